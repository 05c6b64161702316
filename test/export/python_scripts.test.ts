// The exported Python scripts: valid Python, the exact state_dict keys, and (with a stand-in torch) the same windows.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initialParameters } from '../../src/engine/init';
import { paramLayout } from '../../src/engine/param_layout';
import { CALENDAR_FEATURES, cyclePosition } from '../../src/data/calendar_features';
import { parseCsvString } from '../../src/data/csv_stream';
import { everyStepTargets } from '../../src/data/step_targets';
import { buildTrainingSet } from '../../src/data/training_set';
import { identity, zscore, type DataDescription } from '../../src/export/manifest';
import { exportModelFiles } from '../../src/export/model_files';
import type { TrainConfig } from '../../src/engine/config';
import { dataFor, MODEL_CASES, modelConfig } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'export-python-'));

function files(c: TrainConfig, data: DataDescription = dataFor(c)) {
  const layout = paramLayout(c);
  const flat = initialParameters(layout, c.hiddenSize, c.seed);
  return exportModelFiles(layout.slots.map((s) => ({ name: s.name, shape: s.shape, data: flat.slice(s.offset, s.offset + s.size) })), c, data);
}

/** Runs train_pytorch.py's data code under stand-in torch/safetensors modules (only imports need them). */
const DRIVER = String.raw`
import importlib.abc, importlib.machinery, json, runpy, sys, types

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
if sys.argv[1] == "--calendar":
    ns = runpy.run_path(sys.argv[2], run_name="exported_script")
    print(json.dumps([ns["cycle_position"](part, ns["parse_time"](text, "test")) for part, text in json.loads(sys.argv[3])]))
    sys.exit(0)
model_dir, csv_path = sys.argv[1:3]
train = runpy.run_path(model_dir + "/train_pytorch.py", run_name="exported_script")
load = runpy.run_path(model_dir + "/load_in_pytorch.py", run_name="exported_script")
manifest = json.load(open(model_dir + "/model.json", encoding="utf-8"))
print(json.dumps({
    "examples": train["build_examples"](manifest, csv_path),
    "unlabeled": load["build_examples"](manifest, csv_path, with_targets=False),
    "outputNames": load["output_names"](manifest),
}))
`;

interface Example {
  x: number[][] | number[];
  y: number[] | number | null;
  part: number;
  row: number;
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
  return JSON.parse(execFileSync('python3', [join(d, 'driver.py'), d, join(d, 'data.csv')], { encoding: 'utf8' }));
}

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
    expect(outputNames).toEqual(['a+1', 'a+2']);
    // Without targets (predicting): every complete window, stride 1, the last one ending at each group's last row.
    const lastRows = [pRows, qRows].flatMap((rows) => rows.slice(2).map((r) => ordered.indexOf(r) + 2));
    expect(lastRows).toHaveLength(9);
    expect(unlabeled.map((e) => [e.row, e.y])).toEqual(lastRows.map((row) => [row, null]));

    const expected: { x: number[][]; y: number[]; part: number; row: number }[] = [];
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
        if (part !== null) expected.push({ x, y, part, row: ordered.indexOf(rows[s + 2]) + 2 });
      }
    }
    expect(expected.length).toBe(2);
    expect(new Set(expected.map((e) => e.part))).toEqual(new Set([0, 1]));
    expect(examples.map((e) => ({ ...e, x: (e.x as number[][]).map((r) => r.map((v) => +v.toFixed(12))) }))).toEqual(
      expected.map((e) => ({ ...e, x: e.x.map((r) => r.map((v) => +v.toFixed(12))) })),
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
    const set = buildTrainingSet(await parseCsvString(`a\n${a.join('\n')}\n`), { task: 'forecast', targets: ['a'], window: 3, valFraction: 0.25, testFraction: 0 });
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
      { x: [[0.25], [0.75], [1.25]], y: 1, part: 0, row: 2 },
      { x: [[499.75], [0.5], [0]], y: 0, part: 0, row: 3 },
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
      { x: [[1, 1], [2, 1], [3, 0]], y: 1, part: 0, row: 4 }, // s1 sorted by t: its first step is on line 4
      { x: [[0, 0], [2, 0], [3, 1]], y: 0, part: 0, row: 3 },
    ]);
  });

  it('compute calendar features as the playground does (src/data/calendar_features.ts), from the dates people write', () => {
    const c = modelConfig({ cell: 'lstm' });
    const d = mkdtempSync(join(dir, 'calendar-'));
    writeFileSync(join(d, 'train_pytorch.py'), files(c).trainScript);
    writeFileSync(join(d, 'driver.py'), DRIVER);
    const dates: [string, number][] = [
      ['2024-02-29T13:45:30', Date.UTC(2024, 1, 29, 13, 45, 30)],
      ['2023-12-31 23:00:00', Date.UTC(2023, 11, 31, 23)],
      ['2015/01/04 01:00:00', Date.UTC(2015, 0, 4, 1)],
      ['2021-07-10T08:00:00+02:00', Date.UTC(2021, 6, 10, 6)],
      ['1700000000', 1_700_000_000_000],
      ['1700000000123', 1_700_000_000_123],
      ['Jan 5 2000', Date.UTC(2000, 0, 5)],
      ['1999', Date.UTC(1999, 0, 1)],
    ];
    const pairs = dates.flatMap(([text]) => CALENDAR_FEATURES.map((part) => [part, text]));
    const got: number[] = JSON.parse(execFileSync('python3', [join(d, 'driver.py'), '--calendar', join(d, 'train_pytorch.py'), JSON.stringify(pairs)], { encoding: 'utf8' }));
    const want = dates.flatMap(([, ms]) => CALENDAR_FEATURES.map((part) => cyclePosition(part, ms)));
    got.forEach((v, i) => expect(v, `${pairs[i][0]} of ${pairs[i][1]}`).toBeCloseTo(want[i], 9));
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
      [[0, 0, 0, 2, 3], 1, 2],
      [[2, 3, 4, 5, 2], 0, 3],
      [[0, 0, 0, 1, 1], 0, 4],
      [[0, 0, 3, 4, 2], 1, 6],
    ]);
    const words = files(c, { ...data, vocabulary: { ...data.vocabulary!, level: 'word', tokens: ['<pad>', '<unk>', "don't", '!', 'go', '_'] } });
    const w = runData('words', words, "text,label\n\"Don't GO!_ now\",pos\n");
    expect(w.examples[0].x).toEqual([2, 4, 3, 5, 1]);
    expect(outputNames).toEqual(['class', 'p(neg)', 'p(pos)']);
    expect(examples.map((e) => e.part).sort()).toEqual([0, 0, 1, 1]); // stratified: one of each class validates
  });
});
