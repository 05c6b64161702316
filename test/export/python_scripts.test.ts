// The exported Python scripts: valid Python, the exact state_dict keys, and (under a stand-in torch) the playground's own
// reading of CSVs, windows, rows, tokens and seeded split, function by function against the TypeScript they port.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initialParameters } from '../../src/engine/init';
import { paramLayout } from '../../src/engine/param_layout';
import { CALENDAR_FEATURES, cyclePosition } from '../../src/data/calendar_features';
import { isMissingCell, isSingleWord, parseNumberCell } from '../../src/data/cell_values';
import { profileColumn } from '../../src/data/column_stats';
import { parseCsvString } from '../../src/data/csv_stream';
import { timeValues } from '../../src/data/dataset_shape';
import { formatDate, readDateCell } from '../../src/data/dates';
import { stratifiedSplit } from '../../src/data/splits';
import { cellText } from '../../src/data/table';
import { tokenize } from '../../src/data/text_set';
import { everyStepTargets } from '../../src/data/step_targets';
import { buildTrainingSet } from '../../src/data/training_set';
import { identity, zscore, type DataDescription } from '../../src/export/manifest';
import { exportModelFiles } from '../../src/export/model_files';
import type { TrainConfig } from '../../src/engine/config';
import { formatNumber } from '../../src/model_io/predictions_csv';
import { Prng } from '../../src/util/prng';
import { dataFor, MODEL_CASES, modelConfig } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'export-python-'));

function files(c: TrainConfig, data: DataDescription = dataFor(c)) {
  const layout = paramLayout(c);
  const flat = initialParameters(layout, c.hiddenSize, c.seed);
  return exportModelFiles(layout.slots.map((s) => ({ name: s.name, shape: s.shape, data: flat.slice(s.offset, s.offset + s.size) })), c, data);
}

/** Runs train_pytorch.py's data code under stand-in torch/safetensors modules (only imports need them). */
const DRIVER = String.raw`
import importlib.abc, importlib.machinery, json, math, runpy, sys, types

class StubMeta(type):
    def __getattr__(cls, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return StubMeta(name, (), {})

class StubModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return StubMeta(name, (), {})

class Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path, target=None):
        if fullname.split(".")[0] in ("torch", "safetensors"):
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None
    def create_module(self, spec):
        return StubModule(spec.name)
    def exec_module(self, module):
        module.__path__ = []

sys.meta_path.insert(0, Finder())

def plain(v):
    """JSON-ready: NaN and infinities become None, tuples lists."""
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    return v

if sys.argv[1] == "--eval":
    ns = runpy.run_path(sys.argv[2], run_name="exported_script")
    print(json.dumps([plain(eval(e, ns)) for e in json.loads(open(sys.argv[3], encoding="utf-8").read())]))
    sys.exit(0)
model_dir, csv_path = sys.argv[1:3]
train = runpy.run_path(model_dir + "/train_pytorch.py", run_name="exported_script")
load = runpy.run_path(model_dir + "/load_in_pytorch.py", run_name="exported_script")
manifest = json.load(open(model_dir + "/model.json", encoding="utf-8"))
print(json.dumps(plain({
    "examples": train["build_examples"](manifest, csv_path),
    "unlabeled": load["build_examples"](manifest, csv_path, with_targets=False),
    "outputNames": load["header_of"](manifest),
})))
`;

interface Example {
  x: number[][] | number[];
  y: number[] | number | null;
  part: number;
  /** 0-based data row of the prediction (-1 for a step inserted into a gap). */
  row: number;
  group: string | null;
  time: string | null;
  /** Forecast: what the script adds back to the outputs (null for classes). */
  offset?: number[] | null;
}

/** Prints the names a script reads but never binds (a misspelt variable would show up here). */
const UNBOUND = String.raw`
import ast, builtins, json, sys
tree = ast.parse(open(sys.argv[1], encoding="utf-8").read())
bound = set(dir(builtins)) | {"__file__"}
for n in ast.walk(tree):
    if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
        bound.add(n.id)
    elif isinstance(n, ast.arg):
        bound.add(n.arg)
    elif isinstance(n, (ast.FunctionDef, ast.ClassDef)):
        bound.add(n.name)
    elif isinstance(n, ast.alias):
        bound.add((n.asname or n.name).split(".")[0])
    elif isinstance(n, ast.ExceptHandler) and n.name:
        bound.add(n.name)
print(json.dumps(sorted({n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id not in bound})))
`;

function runData(name: string, f: ReturnType<typeof files>, csv: string): { examples: Example[]; unlabeled: Example[]; outputNames: string[] } {
  const d = mkdtempSync(join(dir, `${name}-`));
  writeFileSync(join(d, 'model.json'), f.json);
  writeFileSync(join(d, 'train_pytorch.py'), f.trainScript);
  writeFileSync(join(d, 'load_in_pytorch.py'), f.loadScript);
  writeFileSync(join(d, 'data.csv'), csv);
  writeFileSync(join(d, 'driver.py'), DRIVER);
  const out = JSON.parse(execFileSync('python3', [join(d, 'driver.py'), d, join(d, 'data.csv')], { encoding: 'utf8' }));
  // A forecast sample's offset is what decode_outputs adds back (checked where it matters); classes have none.
  for (const list of [out.examples, out.unlabeled] as Example[][]) for (const e of list) if (e.offset === null) delete e.offset;
  return out;
}

/** Evaluates Python expressions in train_pytorch.py's namespace (under the stand-in torch); NaN comes back as null. */
function evalInScript(exprs: string[]): unknown[] {
  const d = mkdtempSync(join(dir, 'eval-'));
  writeFileSync(join(d, 'train_pytorch.py'), files(modelConfig({ cell: 'lstm' })).trainScript);
  writeFileSync(join(d, 'driver.py'), DRIVER);
  writeFileSync(join(d, 'exprs.json'), JSON.stringify(exprs));
  return JSON.parse(execFileSync('python3', [join(d, 'driver.py'), '--eval', join(d, 'train_pytorch.py'), join(d, 'exprs.json')], { encoding: 'utf8' }));
}

const nullIfNaN = (v: number) => (Number.isNaN(v) ? null : v);

/** 144 different names of two syllables ("Kaka", "Kalo", …): single words, for the word-list rule. */
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ri', 'to', 'sa', 'el', 'an', 'jo', 'us', 'ar'];
const NAMES = SYLLABLES.flatMap((a) => SYLLABLES.map((b) => a[0].toUpperCase() + a.slice(1) + b));

describe('exported Python scripts', () => {
  for (const [name, c] of MODEL_CASES) {
    it(`${name}: both scripts compile, read no undefined name, and name every state_dict key with its shape`, () => {
      const f = files(c);
      const d = mkdtempSync(join(dir, 'compile-'));
      for (const [file, text] of [['load_in_pytorch.py', f.loadScript], ['train_pytorch.py', f.trainScript]] as const) {
        writeFileSync(join(d, file), text);
        execFileSync('python3', ['-m', 'py_compile', join(d, file)]);
        expect(JSON.parse(execFileSync('python3', ['-c', UNBOUND, join(d, file)], { encoding: 'utf8' })), `${file} reads undefined names`).toEqual([]);
        for (const p of f.manifest.parameters) expect(text).toContain(`    ${JSON.stringify(p.name)}: ${JSON.stringify(p.shape)},`);
      }
      expect(f.trainScript).toContain('DistributedDataParallel(model');
      expect(f.trainScript).toContain('DistributedSampler(train_set');
      expect(f.trainScript).toContain('sampler.set_epoch(epoch)');
    });
  }

  it('rebuild forecast windows as specified: groups, time order, features, horizon, stride, normalization, split', () => {
    const c = modelConfig({ cell: 'lstm', inputSize: 3, window: 3, outputSize: 2 });
    const data: DataDescription = {
      ...dataFor(c),
      inputColumns: ['a', 'kind=x', 'hour_sin'],
      features: [
        { name: 'a', column: 'a', kind: 'value' },
        { name: 'kind=x', column: 'kind', kind: 'onehot', value: 'x' },
        { name: 'hour_sin', column: 'date', kind: 'calendar', part: 'hour', fn: 'sin' },
      ],
      targetColumns: ['a'],
      horizon: 2,
      stride: 2,
      timeColumn: 'date',
      groupColumn: 'g',
      missing: 'ffill',
      split: { valFraction: 0.25, testFraction: 0 },
      normalization: { inputs: [zscore('a', 10, 2), identity('kind=x'), identity('hour_sin')], targets: [zscore('a', 10, 2)] },
    };
    const f = files(c, data);
    // Group "p": 8 hourly rows listed out of order, one missing value (forward-filled); group "q": 5 rows.
    const pRows = [0, 1, 2, 3, 4, 5, 6, 7].map((h) => ({ g: 'p', date: `2024-01-01T0${h}:00:00`, a: h === 4 ? 'NA' : String(10 + h), kind: h % 2 ? 'x' : 'y' }));
    const qRows = [0, 1, 2, 3, 4].map((h) => ({ g: 'q', date: `2024-01-02T1${h}:00:00`, a: String(20 + 2 * h), kind: 'x' }));
    const ordered = [pRows[3], qRows[0], pRows[0], pRows[1], qRows[1], pRows[2], qRows[2], ...pRows.slice(4), ...qRows.slice(3)];
    const csv = 'g,date,a,kind\n' + ordered.map((r) => `${r.g},${r.date},${r.a},${r.kind}`).join('\n') + '\n';
    const { examples, unlabeled, outputNames } = runData('forecast', f, csv);
    expect(outputNames).toEqual(['g', 'last_row', 'last_date', 'a t+1', 'a t+2']);
    // Without targets (predicting): every complete window, stride 1, the last one ending at each group's last row.
    const lastRows = [pRows, qRows].flatMap((rows) => rows.slice(2).map((r) => [ordered.indexOf(r), r.g, r.date]));
    expect(lastRows).toHaveLength(9);
    expect(unlabeled.map((e) => [e.row, e.group, e.time, e.y])).toEqual(lastRows.map((key) => [...key, null]));

    const expected: Example[] = [];
    for (const rows of [pRows, qRows]) {
      const a = rows.map((r) => (r.a === 'NA' ? NaN : Number(r.a)));
      for (let i = 0; i < a.length; i++) if (Number.isNaN(a[i])) a[i] = a[i - 1];
      const n = rows.length, cut = Math.floor(n * 0.75);
      for (let s = 0; s + 3 - 1 + 2 <= n - 1; s += 2) {
        const x = [0, 1, 2].map((t) => {
          const r = rows[s + t];
          return [(a[s + t] - 10) / 2, r.kind === 'x' ? 1 : 0, Math.sin((2 * Math.PI * Number(r.date.slice(11, 13))) / 24)];
        });
        const y = [1, 2].map((k) => (a[s + 2 + k] - 10) / 2);
        const firstTarget = s + 3, end = s + 5; // targets are positions [s + window, s + window + horizon)
        const part = end <= cut ? 0 : firstTarget >= cut ? 1 : null; // no test share; straddling windows are left out
        // offset: the target normalization's a for every output (no transform), what the outputs are decoded with
        if (part !== null) expected.push({ x, y, part, row: ordered.indexOf(rows[s + 2]), group: rows[s].g, time: rows[s + 2].date, offset: [10, 10] });
      }
    }
    expect(expected.length).toBe(2);
    expect(new Set(expected.map((e) => e.part))).toEqual(new Set([0, 1]));
    expect(examples.map((e) => ({ ...e, x: (e.x as number[][]).map((r) => r.map((v) => +v.toFixed(12))) }))).toEqual(
      expected.map((e) => ({ ...e, x: (e.x as number[][]).map((r) => r.map((v) => +v.toFixed(12))) })),
    );
  });

  it('rebuild a head on every step\'s windows as the playground does: each step\'s next value, split by the step after the window', async () => {
    const c = modelConfig({ cell: 'lstm', inputSize: 1, window: 3, outputSize: 1, headOn: 'every_step' });
    const data: DataDescription = {
      ...dataFor(c),
      inputColumns: ['a'],
      features: [{ name: 'a', column: 'a', kind: 'value' }],
      targetColumns: ['a'],
      horizon: 1,
      stride: 1,
      timeColumn: null,
      groupColumn: null,
      missing: 'drop',
      split: { valFraction: 0.25, testFraction: 0 },
      normalization: { inputs: [zscore('a', 10, 2)], targets: [zscore('a', 10, 2)] },
    };
    const a = Array.from({ length: 12 }, (_, i) => 10 + i * i * 0.5);
    const { examples } = runData('every-step', files(c, data), `a\n${a.join('\n')}\n`);
    // the playground's own windows and per-step targets for the same series
    const set = buildTrainingSet(await parseCsvString(`a\n${a.join('\n')}\n`), { task: 'forecast', targets: ['a'], window: 3, valFraction: 0.25, testFraction: 0, transform: 'none' });
    const z = (v: number) => (v - 10) / 2;
    const cut = Math.floor(12 * 0.75);
    const expected = [];
    for (let s = 0; s + 3 < 12; s++) {
      const part = s + 4 <= cut ? 0 : s + 3 >= cut ? 1 : null;
      if (part !== null) expected.push({ y: [1, 2, 3].map((t) => [z(a[s + t])]), part });
    }
    expect(examples.map((e) => ({ y: e.y, part: e.part }))).toEqual(expected);
    expect(expected.filter((e) => e.part === 0).length).toBe(set.train.count);
    expect(expected.filter((e) => e.part === 1).length).toBe(set.validation.count);
    // the playground's every-step targets are the same values (its normalization is fitted on its own training part)
    const mine = everyStepTargets(set.train, 3, 1, 1);
    const { center, scale } = set.normalization!.targets[0];
    expected.filter((e) => e.part === 0).forEach((e, n) => e.y.forEach(([v], t) => expect(mine[n * 3 + t] * scale + center).toBeCloseTo(v * 2 + 10, 4)));
  });

  it('read wide sequences from a semicolon CSV with decimal commas, interpolating a gap', () => {
    const c = modelConfig({ cell: 'rnn', inputSize: 1, window: 3, outputSize: 2, loss: 'cross_entropy' });
    const data: DataDescription = {
      ...dataFor(c),
      inputColumns: ['value'],
      targetColumns: ['label'],
      groupColumn: null,
      layout: 'wide',
      sequenceColumns: ['v1', 'v2', 'v3'],
      missing: 'interpolate',
      normalization: { inputs: [zscore('value', 1, 2)], targets: [] },
      classNames: ['down', 'up'],
      split: { valFraction: 0, testFraction: 0 },
    };
    const f = files(c, data);
    const { examples } = runData('wide', f, 'label;v1;v2;v3\nup;1,5;NA;3,5\ndown;"1.000,5";2;1\nup;;1;2\n');
    expect(examples).toEqual([
      { x: [[0.25], [0.75], [1.25]], y: 1, part: 0, row: 0, group: null, time: null },
      { x: [[499.75], [0.5], [0]], y: 0, part: 0, row: 1, group: null, time: null },
    ]);
  });

  it('read long sequences per group: the last window steps, shorter ones zero-padded at the start, one label each', () => {
    const c = modelConfig({ cell: 'gru', inputSize: 2, window: 3, outputSize: 2, loss: 'cross_entropy' });
    const data: DataDescription = {
      ...dataFor(c),
      inputColumns: ['u', 'v'],
      targetColumns: ['label'],
      groupColumn: 'id',
      timeColumn: 't',
      normalization: { inputs: [zscore('u', 1, 2), identity('v')], targets: [] },
      classNames: ['a', 'b'],
      split: { valFraction: 0, testFraction: 0 },
    };
    const f = files(c, data);
    const csv = 'id,t,u,v,label\ns1,2,3,1,b\ns2,1,5,0,a\ns1,1,1,0,b\ns1,3,5,1,b\ns1,4,7,0,b\ns2,2,7,1,a\ns3,1,NA,1,a\n';
    const { examples } = runData('long', f, csv);
    expect(examples).toEqual([
      { x: [[1, 1], [2, 1], [3, 0]], y: 1, part: 0, row: 2, group: 's1', time: null }, // s1 sorted by t: its first step is data row 2
      { x: [[0, 0], [2, 0], [3, 1]], y: 0, part: 0, row: 1, group: 's2', time: null },
    ]);
  });

  it('compute calendar features as the playground does (src/data/calendar_features.ts), from the dates people write', () => {
    const dates: [string, number][] = [
      ['2024-02-29T13:45:30', Date.UTC(2024, 1, 29, 13, 45, 30)],
      ['2023-12-31 23:00:00', Date.UTC(2023, 11, 31, 23)],
      ['2015/01/04 01:00:00', Date.UTC(2015, 0, 4, 1)],
      ['2021-07-10T08:00:00+02:00', Date.UTC(2021, 6, 10, 6)],
      ['Jan 5 2000', Date.UTC(2000, 0, 5)],
      ['3-Sep-1999 11:15 PM', Date.UTC(1999, 8, 3, 23, 15)],
    ];
    const exprs = dates.flatMap(([text]) => CALENDAR_FEATURES.map((part) => `cycle_position(${JSON.stringify(part)}, read_date(${JSON.stringify(text)})[1])`));
    const got = evalInScript(exprs) as number[];
    const want = dates.flatMap(([, ms]) => CALENDAR_FEATURES.map((part) => cyclePosition(part, ms)));
    got.forEach((v, i) => expect(v, exprs[i]).toBeCloseTo(want[i], 12));
    const numeric = evalInScript(['[cycle_position(p, t) for p in ("hour", "month", "day-of-year") for t in (1700000000123, 915148800000, -86400000 * 400)]'])[0] as number[];
    expect(numeric).toEqual(['hour', 'month', 'day-of-year'].flatMap((p) => [1700000000123, 915148800000, -86400000 * 400].map((t) => cyclePosition(p as 'hour', t))));
  });

  it('read cells, numbers and dates as the playground does (cell_values.ts, dates.ts)', () => {
    const cells = ['1.5', '-2', '+3e4', '.5', '1.', '1,234.5', '1.234,5', '1,5', '1 234,5', "1'234.5", '12,345,678', '1e999', 'abc', '0x10', '', '1,2,3', '-,5'];
    const numbers = evalInScript(cells.flatMap((c) => ['.', ','].map((m) => `parse_number(${JSON.stringify(c)}, ${JSON.stringify(m)})`)));
    expect(numbers).toEqual(cells.flatMap((c) => (['.', ','] as const).map((m) => nullIfNaN(parseNumberCell(c, m)))));
    const missing = ['', 'NA', 'n/a', 'NaN', 'Null', 'none', 'nil', '#N/A', '?', '-nan', 'nan0', '0'];
    expect(evalInScript(missing.map((c) => `is_missing(${JSON.stringify(c)})`))).toEqual(missing.map(isMissingCell));
    const words = ['Anna', "O'Neil", 'O\u2019Neil', 'Jean-Luc', 'Mr.', 'A.B.', 'na\u0308ive', 'Zoë', '\u{1d400}bc', 'x'.repeat(64), 'x'.repeat(65), '\u{1d400}'.repeat(32), '\u{1d400}'.repeat(33),
      '.', '', 'Jean--Luc', '-Luc', 'Luc-', "Luc'", 'Mr..', 'R2D2', 'two words', 'snake_case', 'e-mail.', '\u0301a'];
    expect(evalInScript(words.map((w) => `is_single_word(${JSON.stringify(w)})`))).toEqual(words.map(isSingleWord));
    const dateCells = [
      '2012-01-31', '2012-1-5', '2010-01-01T01:00:00Z', '2010-01-01 01:00:00+02:00', '2010-01-01T01:00:00.5-0130', '2021-02-29', '2020-02-29',
      '1949-01', '2015/01/01 01:00:00', '2015.01.02', '01/02/2003', '13/02/2003', '01-02-2003 7:05 pm', '01.02.2003', 'Jan 1 2000', 'January 1, 2000',
      'Sept 3, 2020', '1st Jan 2000', '1 Jan 2000', '01-Jan-2000', 'Foo 1 2000', '2012-01-31T25:00', '0050-01-01', 'abc',
    ];
    const readings = evalInScript(dateCells.flatMap((c) => ['month-first', 'day-first'].map((o) => `read_date(${JSON.stringify(c)}, ${JSON.stringify(o)})`)));
    expect(readings).toEqual(
      dateCells.flatMap((c) => (['month-first', 'day-first'] as const).map((o) => {
        const r = readDateCell(c, o);
        return r && [r.family, r.ms];
      })),
    );
    const ms = [0, Date.UTC(2021, 4, 6), Date.UTC(2021, 4, 6, 7, 8, 9), Date.UTC(2021, 4, 6, 7, 8, 9, 10), Date.UTC(2021, 4, 6) + 0.5, -86400000, Date.UTC(1850, 11, 31, 23)];
    expect(evalInScript(ms.flatMap((v) => [`format_date(${v})`, `format_date(${v}, "year-month")`]))).toEqual(ms.flatMap((v) => [formatDate(v), formatDate(v, 'year-month')]));
    const values = [0, -0, 1, -1.5, 0.1 + 0.2, 1e21, 1.5e21, 123456789012345680000, 1e-6, 1e-7, 1.25e-7, 2 ** 53, 1 / 3, -1e-300, 5e-324];
    expect(evalInScript(values.flatMap((v) => [`js_number(${v === 0 && 1 / v < 0 ? '-0.0' : String(v)})`, `format_number(${String(v)})`]))).toEqual(values.flatMap((v) => [String(v), formatNumber(v)]));
  });

  it('read whole CSVs as the playground does: delimiter, header, decimal mark, column types, cells and times', async () => {
    const files = [
      'date,value,name\n2021-01-01,1.5,"a, b"\n\n2021-01-03,NA,c\n  2021-01-04 , 2.5 ,"d ""e"""\n',
      'when;x;n\n01/02/2003;1,5;1.000\n03/04/2003;2,5;2.000\n25/04/2003;3;7\n',
      'year,timestamp,ms_time,label,id\n1999,1700000000,1700000000123,a,7\n2000,1700003600,1700003600123,b,8\n2001,1700007200,1700007200123,a,7.0\n',
      '0.5,abc\n1.5,def\n2.5,ghi\n',
      'when\tamount\tflag\n2021-01-01 10:00\t1,234.5\tyes\n2021-01-01 11:30\t2,000\tno\n2021-01-01 13:00\t17\t?\n',
      'a|b|c\n1 234,5|x|2020-01\n2|3|2020-02\n3|4|2020-03\n4|5|not a date\n',
      ['t,v', ...Array.from({ length: 30 }, (_, i) => `${i},${i % 7 === 0 ? 'oops' : i}`)].join('\n') + '\n',
      'h1,h2,h3\r\n1,2,3\r\n4,5,6\r\n',
      '1,2,3\n4,5,6\n7,8,9\n',
      // NA-like words: names in a list of many different single words (kept), missing in a two-value column
      ['name,kind', ...NAMES.slice(0, 30).map((n, i) => `${n},${i % 7 === 3 ? 'NA' : 'xy'[i % 2]}`), 'Nan,x', 'NA,y', 'nil,x'].join('\n') + '\n',
      // a number column that turns text while reading (the 101st word): the NA before it stays missing, the Nan after is a word
      ['i,v', ...Array.from({ length: 150 }, (_, r) => `${r},${r < 20 ? r : r === 25 ? 'NA' : r === 140 ? 'Nan' : NAMES[r]}`)].join('\n') + '\n',
      // the same, turning text only at the end (under 101 words): every NA-like word read before stays missing
      ['i,v', ...Array.from({ length: 100 }, (_, r) => `${r},${r < 10 ? r : r === 50 ? 'Nan' : NAMES[r]}`)].join('\n') + '\n',
    ];
    const d = mkdtempSync(join(dir, 'tables-'));
    const exprs = files.map((text, i) => {
      const path = join(d, `t${i}.csv`);
      writeFileSync(path, text);
      return `(lambda t: {"delimiter": t.delimiter, "mark": t.mark, "names": t.names, "count": t.count, "columns": [(lambda c: {"kind": c.kind, "texts": [c.text(r) for r in range(t.count)], "times": c.times(), "isDate": c.is_date})(t.column(n)) for n in t.names]})(Table(${JSON.stringify(path)}))`;
    });
    const got = evalInScript(exprs);
    for (const [i, text] of files.entries()) {
      const table = await parseCsvString(text);
      const want = {
        delimiter: table.delimiter,
        mark: table.decimalMark,
        names: table.columns.map((c) => c.name),
        count: table.rowCount,
        columns: table.columns.map((c) => ({
          kind: c.kind,
          texts: Array.from({ length: table.rowCount }, (_, r) => cellText(c, r)),
          times: Array.from(timeValues(c), nullIfNaN),
          isDate: profileColumn(c).type === 'date',
        })),
      };
      expect(got[i], JSON.stringify(text)).toEqual(want);
    }
  });

  it('draw the class split as the playground does (mulberry32 and stratifiedSplit, seeded)', () => {
    const seeds = [0, 1, 42, 0xffffffff, 123456789];
    expect(evalInScript(seeds.map((seed) => `(lambda g: [g.next() for _ in range(200)])(Mulberry32(${seed}))`))).toEqual(
      seeds.map((seed) => {
        const g = new Prng(seed);
        return Array.from({ length: 200 }, () => g.next());
      }),
    );
    const rng = new Prng(5);
    const cases = Array.from({ length: 40 }, (_, k) => {
      const classes = 2 + (k % 4);
      const ids = Array.from({ length: 1 + Math.floor(rng.next() * 60) }, () => Math.floor(rng.next() ** 2 * classes));
      const fractions: [number, number][] = [[0.2, 0.1], [0.25, 0], [0.5, 0.3], [0.1, 0.1], [0.33, 0.33]];
      const [val, test] = fractions[k % fractions.length];
      return { ids, classes, val, test, seed: k * 7919 };
    });
    const got = evalInScript(cases.map((c) => `stratified_parts(${JSON.stringify(c.ids)}, ${c.classes}, {"valFraction": ${c.val}, "testFraction": ${c.test}}, ${c.seed})`));
    const names = { train: 0, validation: 1, test: 2 };
    expect(got).toEqual(cases.map((c) => stratifiedSplit(c.ids, c.classes, c.val, c.test, c.seed).map((p) => names[p])));
  });

  it('tokenize as text_set.ts does: words with inner apostrophes, punctuation, underscores, characters with runs of spaces as one', () => {
    const texts = ["Don't stop_me now!", 'É tudo  bem? Ça va…', '  tabs\tand\nlines  ', 'x1 2y ’tis rock’n’roll', 'ΣΊΣΥΦΟΣ naïve café', '日本語のテキスト。', 'a\u00a0b\u2003c\ufeffd', ''];
    const vocab = (level: string, lowercase: boolean) => `{"level": "${level}", "lowercase": ${lowercase ? 'True' : 'False'}, "tokens": [], "padId": 0, "unknownId": 1, "padSide": "left"}`;
    const exprs = texts.flatMap((t) => [true, false].flatMap((lower) => [
      `WORD.findall(${JSON.stringify(t)}.lower() if ${lower ? 'True' : 'False'} else ${JSON.stringify(t)})`,
      `list(js_trim(SPACES.sub(" ", ${JSON.stringify(t)}.lower() if ${lower ? 'True' : 'False'} else ${JSON.stringify(t)})))`,
    ]));
    expect(evalInScript(exprs)).toEqual(texts.flatMap((t) => [true, false].flatMap((lower) => [tokenize(t, 'word', lower), tokenize(t, 'char', lower)])));
    expect(evalInScript([`tokenize("ab abc", ${vocab('char', true)}, 4, {"a": 2, "b": 3})`])).toEqual([[2, 3, 1, 2]]); // the first 4 tokens, as text_set.ts keeps
  });

  it('tokenize text as the vocabulary says and split each class by the validation share', () => {
    const c = modelConfig({ cell: 'gru', vocabSize: 6, inputSize: 4, outputSize: 2, loss: 'cross_entropy', window: 5 });
    const data: DataDescription = {
      ...dataFor(c),
      vocabulary: { level: 'char', tokens: ['<pad>', '<unk>', 'a', 'b', 'c', ' '], padId: 0, unknownId: 1, lowercase: true, padSide: 'left' },
      classNames: ['neg', 'pos'],
      split: { valFraction: 0.5, testFraction: 0 },
    };
    const f = files(c, data);
    const { examples, outputNames } = runData('text', f, 'text;label\n  Ab ;pos\n"abc   ab";neg\nzz;neg\nc;unknown-class\nbca;pos\n');
    expect(examples.map((e) => [e.x, e.y, e.row])).toEqual([
      [[0, 0, 0, 2, 3], 1, 0],
      [[2, 3, 4, 5, 2], 0, 1],
      [[0, 0, 0, 1, 1], 0, 2],
      [[0, 0, 3, 4, 2], 1, 4],
    ]);
    const words = files(c, { ...data, vocabulary: { ...data.vocabulary!, level: 'word', tokens: ['<pad>', '<unk>', "don't", '!', 'go', '_'] } });
    const w = runData('words', words, "text,label\n\"Don't GO!_ now\",pos\n");
    expect(w.examples[0].x).toEqual([2, 4, 3, 5, 1]);
    expect(outputNames).toEqual(['row', 'predicted', 'p(neg)', 'p(pos)']);
    expect(examples.map((e) => e.part).sort()).toEqual([0, 0, 1, 1]); // stratified: one of each class validates
  });
});
