// The worker's data: the parsed table, the person's column uses and choices, the training set, and the view of them
// the UI draws. A failed load or build leaves what was there before.
import { buildTrainingSet, cellText, DataError, describeTable, parseCsvBlob, parseCsvString, suggestedChoices, type DataTable, type ParseProgress, type TrainingChoices, type TrainingSet } from '../data/index';
import type { DataSource } from '../storage/checkpoint_store';
import { exampleById, exampleCsv, exampleText } from '../data/examples/index';
import { decodeTextBytes } from '../data/plain_text';
import { isPlainTextName, linesTable, TEXT_LINES_COLUMN } from '../data/text_table';
import { columnView, tableWithUses } from './column_uses';
import type { ColumnUse, DataView, ExampleId, SetSummary } from './protocol';

const PREVIEW_ROWS = 100;

export interface LoadedData {
  loadId: number;
  name: string;
  example: ExampleId | null;
  /** The file as chosen (null for examples), kept so a saved run can be rebuilt after a reload. */
  file: Blob | null;
  table: DataTable;
  uses: ColumnUse[];
  /** The table with the uses applied (what the choices read). */
  used: DataTable;
  choices: TrainingChoices | null;
  set: TrainingSet | null;
  problem: string | null;
}

let nextLoadId = 1;

/** The page's base URL, where public/ files are served (examples read /datasets/ from it). */
function pageBase(): string {
  const origin = typeof self !== 'undefined' && self.location ? self.location.origin : 'http://localhost';
  return new URL(import.meta.env.BASE_URL ?? '/', origin).href;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function summarize(set: TrainingSet): SetSummary {
  return {
    task: set.task,
    window: set.window,
    inputSize: set.inputSize,
    outputSize: set.outputSize,
    vocabSize: set.vocabSize,
    loss: set.loss,
    featureNames: set.featureNames,
    outputNames: set.outputNames,
    classNames: set.classNames ?? null,
    horizon: set.horizon ?? null,
    targets: set.targets ?? null,
    counts: set.counts,
    baselines: set.baselines,
    notes: set.notes,
    ...(set.transform ? { transform: { name: set.transform.name, season: set.transform.season } } : {}),
  };
}

/** Missing cells of the columns the choices read, by row, so an error can say where to look. */
function missingHint(table: DataTable, choices: TrainingChoices): string {
  const names = choices.task === 'forecast' ? [...choices.targets, ...(choices.inputs ?? [])] : choices.task === 'classify-sequences' ? [choices.labelColumn, ...(choices.valueColumns ?? [])] : choices.task === 'generate' ? [] : [choices.labelColumn];
  const parts: string[] = [];
  for (const name of names) {
    const column = table.columns.find((c) => c.name === name);
    if (!column || column.missing === 0) continue;
    const rows: number[] = [];
    for (let r = 0; r < table.rowCount && rows.length < 5; r++) {
      const empty = column.kind === 'text' ? column.codes[r] < 0 : Number.isNaN(column.values[r]) && cellText(column, r) === '';
      if (empty) rows.push(r + 1);
    }
    parts.push(`column ${JSON.stringify(name)} is empty in row${rows.length === 1 ? '' : 's'} ${rows.join(', ')}${column.missing > rows.length ? ` and ${column.missing - rows.length} more` : ''}`);
  }
  return parts.length > 0 ? ` Missing values: ${parts.join('; ')}.` : '';
}

/** Builds the set; the DataError message (with where values are missing) on failure. */
function build(used: DataTable, choices: TrainingChoices): { set: TrainingSet | null; problem: string | null } {
  try {
    return { set: buildTrainingSet(used, choices), problem: null };
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    const hint = /missing|left out|fill/i.test(e.message) ? missingHint(used, choices) : '';
    return { set: null, problem: `${e.message}${hint}` };
  }
}

/** Reads a file or an example and builds a set from the suggested choices (laid over with `over`); throws on failure. */
export async function loadData(
  source: { kind: 'file'; file: Blob; name: string } | { kind: 'example'; id: ExampleId },
  over: Partial<TrainingChoices> | undefined,
  onProgress: (p: ParseProgress) => void,
): Promise<LoadedData> {
  let table: DataTable;
  let name: string;
  let plainText = false;
  if (source.kind === 'file') {
    name = source.name;
    plainText = isPlainTextName(name);
    table = plainText ? linesTable(decodeTextBytes(new Uint8Array(await source.file.arrayBuffer()), JSON.stringify(name))) : await parseCsvBlob(source.file, { onProgress });
  } else {
    const example = exampleById(source.id);
    name = example.name;
    plainText = example.textFile !== undefined;
    table = plainText ? linesTable(await exampleText(source.id, pageBase())) : await parseCsvString(await exampleCsv(source.id, pageBase()), { onProgress });
    over = { ...example.choices, ...over } as Partial<TrainingChoices>;
  }
  // A plain text (a .txt file) is for text generation: its lines, joined back with line breaks.
  const suggested: TrainingChoices = plainText ? { task: 'generate', textColumn: TEXT_LINES_COLUMN, separator: '\n' } : suggestedChoices(table);
  let choices = (over && (!over.task || over.task === suggested.task) ? { ...suggested, ...over } : suggested) as TrainingChoices;
  const uses = table.columns.map((c) => columnView(c).uses[0]);
  let { set, problem } = build(table, choices);
  if (!set && over) {
    choices = suggested;
    ({ set, problem } = build(table, choices));
  }
  if (!set) throw new DataError(problem ?? 'These data do not make a training set.');
  return {
    loadId: nextLoadId++,
    name,
    example: source.kind === 'example' ? source.id : null,
    file: source.kind === 'file' ? source.file : null,
    table,
    uses,
    used: table,
    choices,
    set,
    problem: null,
  };
}

/** The data with new choices (and column uses): a new set, or the problem that keeps the old one from changing. */
export function withChoices(data: LoadedData, choices: TrainingChoices, uses: ColumnUse[]): LoadedData {
  const used = tableWithUses(data.table, uses);
  const { set, problem } = build(used, choices);
  return { ...data, uses, used, choices, set, problem };
}

/** The view of the data; the preview rows only when asked (after a load: choice changes keep the UI's copy). */
export function dataView(d: LoadedData, withPreview = true): DataView {
  const report = describeTable(d.table);
  const rows = withPreview ? Math.min(PREVIEW_ROWS, d.table.rowCount) : 0;
  return {
    loadId: d.loadId,
    name: d.name,
    example: d.example,
    rows: d.table.rowCount,
    columns: d.table.columns.map(columnView),
    warnings: report.warnings.map((w) => w.message),
    shape: report.shape,
    suggestedTask: report.suggestedTask,
    reason: report.reason,
    delimiter: report.delimiter,
    preview: d.table.columns.map((c) => Array.from({ length: rows }, (_, r) => cellText(c, r))),
    previewRows: rows,
    choices: d.choices,
    set: d.set ? summarize(d.set) : null,
    problem: d.problem,
  };
}

/** What a saved run stores to rebuild this data. */
export function dataSource(d: LoadedData): DataSource {
  return { kind: 'table', name: d.name, example: d.example, file: d.file, choices: d.choices!, uses: d.uses };
}

/** Rebuilds stored data exactly (same file, uses and choices); throws a message a person can act on. */
export async function restoreData(src: DataSource): Promise<LoadedData> {
  if (src.kind !== 'table') throw new Error('This run was saved by an earlier version of the playground, so its data cannot be rebuilt. Load the file again and train a new run.');
  const source = src.example ? ({ kind: 'example', id: src.example } as const) : src.file ? ({ kind: 'file', file: src.file, name: src.name } as const) : null;
  if (!source) throw new Error(`The data this run trained on ("${src.name}") is not stored, so the run cannot be opened.`);
  const loaded = await loadData(source, undefined, () => undefined);
  const restored = withChoices(loaded, src.choices, src.uses);
  if (!restored.set) throw new Error(`The stored data of this run no longer builds: ${restored.problem}`);
  return { ...restored, name: src.name };
}

export { messageOf };
