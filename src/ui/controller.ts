// UI-thread controller: owns the worker and the parsed table, turns a person's actions into commands and store updates.
import { parseCsvFile, parseCsvText, numericColumnNames, toNumericColumn, type CsvTable } from '../data/csv';
import { DataError } from '../data/data_error';
import { buildForecastDataset, type ForecastDataset } from '../data/forecast_dataset';
import { noisySineCsv, BUILTIN_DATASET_NAME } from '../data/builtin_datasets';
import { DEFAULT_CONFIG } from '../engine/config';
import type { EpochLoss, WorkerCommand, WorkerEvent } from '../worker/protocol';
import { appStore, type ChartRow, type DatasetView } from './store';
import { knobWindow, knobsToConfig, type KnobKey } from './knobs';
import { downloadBytes } from './download';

/** The dataset currently shown: its table, the chosen column as numbers, and its windows for the current knob. */
interface Loaded {
  name: string;
  table: CsvTable;
  numericColumns: string[];
  column: string;
  series: Float64Array;
  windowed: ForecastDataset | null;
  problem: string | null;
}

let worker: Worker | null = null;
let loaded: Loaded | null = null;

function send(cmd: WorkerCommand): void {
  worker?.postMessage(cmd);
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function showError(message: string): void {
  appStore.update({ error: message });
}

export function dismissError(): void {
  appStore.update({ error: null });
}

function windowSeries(series: Float64Array, column: string): { windowed: ForecastDataset | null; problem: string | null } {
  const window = knobWindow(appStore.get().knobs);
  if (window === null) return { windowed: null, problem: 'Set a valid window to see the training windows.' };
  try {
    return { windowed: buildForecastDataset(series, column, window, DEFAULT_CONFIG.valFraction), problem: null };
  } catch (e) {
    return { windowed: null, problem: messageOf(e) };
  }
}

function publishDataset(): void {
  const l = loaded;
  if (!l) return appStore.update({ dataset: null });
  const n = l.windowed?.normalization;
  const view: DatasetView = {
    name: l.name,
    rowCount: l.table.rowCount,
    columnCount: l.table.header.length,
    columnChoices: l.numericColumns.includes(l.column) ? l.numericColumns : [...l.numericColumns, l.column],
    column: l.column,
    windows: l.windowed ? { train: l.windowed.trainCount, val: l.windowed.valCount } : null,
    mean: n ? n.mean : meanOf(l.series),
    std: n ? n.std : stdOf(l.series),
    problem: l.problem,
  };
  appStore.update({ dataset: view });
}

function meanOf(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v;
  return a.length ? s / a.length : NaN;
}

function stdOf(a: Float64Array): number {
  const m = meanOf(a);
  let s = 0;
  for (const v of a) s += (v - m) * (v - m);
  return a.length ? Math.sqrt(s / a.length) : NaN;
}

/** True when most non-empty cells of the column read as numbers (a stray text cell does not disqualify it). */
function mostlyNumeric(cells: string[]): boolean {
  let numbers = 0;
  let filled = 0;
  for (const cell of cells) {
    if (cell === '') continue;
    filled++;
    if (Number.isFinite(Number(cell))) numbers++;
  }
  return filled > 0 && numbers * 2 >= filled;
}

/**
 * The column to forecast by default: the last numeric-looking one (a leading time or index column is rarely the
 * target). A mostly-numeric column with a bad cell is still chosen, so the person learns which cell to fix.
 */
function defaultColumn(table: CsvTable, numeric: string[]): string {
  for (let c = table.header.length - 1; c >= 0; c--) {
    if (mostlyNumeric(table.columns[c])) return table.header[c];
  }
  if (numeric.length > 0) return numeric[numeric.length - 1];
  throw new DataError(`No column holds numbers to forecast. The header has: ${table.header.map((h) => JSON.stringify(h)).join(', ')}.`);
}

/** Makes a parsed table current; throws (leaving the previous dataset in place) when its column is not usable. */
function adoptTable(table: CsvTable, name: string): void {
  const numericColumns = numericColumnNames(table);
  const column = defaultColumn(table, numericColumns);
  const series = toNumericColumn(table, column);
  loaded = { name, table, numericColumns, column, series, ...windowSeries(series, column) };
  publishDataset();
}

export async function loadFile(file: File): Promise<void> {
  appStore.update({ loadingData: true });
  try {
    const table = await parseCsvFile(file);
    adoptTable(table, file.name);
    dismissError();
  } catch (e) {
    showError(`Could not load "${file.name}": ${messageOf(e)}`);
  } finally {
    appStore.update({ loadingData: false });
  }
}

function loadBuiltin(): void {
  try {
    adoptTable(parseCsvText(noisySineCsv()), BUILTIN_DATASET_NAME);
  } catch (e) {
    showError(`Could not load the built-in dataset: ${messageOf(e)}`);
  }
}

export function selectColumn(column: string): void {
  const l = loaded;
  if (!l || column === l.column) return;
  try {
    const series = toNumericColumn(l.table, column);
    loaded = { ...l, column, series, ...windowSeries(series, column) };
    publishDataset();
    dismissError();
  } catch (e) {
    showError(`Column "${column}" cannot be used: ${messageOf(e)}`);
  }
}

export function setKnob(key: KnobKey, text: string): void {
  appStore.update({ knobs: { ...appStore.get().knobs, [key]: text } });
  if (key === 'window' && loaded) {
    loaded = { ...loaded, ...windowSeries(loaded.series, loaded.column) };
    publishDataset();
  }
}

export function train(): void {
  const { config, problems } = knobsToConfig(appStore.get().knobs);
  if (problems.length > 0) return showError(`Cannot train: ${problems.join('; ')}.`);
  const l = loaded;
  if (!l) return showError('Load a CSV dataset before training.');
  const ds = l.windowed;
  if (!ds) return showError(`Cannot train on "${l.name}": ${l.problem ?? 'the data could not be windowed'}`);
  dismissError();
  send({
    type: 'load-data',
    dataset: {
      name: l.name,
      column: ds.column,
      window: ds.window,
      inputSize: ds.inputSize,
      outputSize: ds.outputSize,
      trainCount: ds.trainCount,
      valCount: ds.valCount,
      trainX: ds.trainX,
      trainY: ds.trainY,
      valX: ds.valX,
      valY: ds.valY,
      normalization: ds.normalization,
    },
  });
  send({ type: 'configure', config: { ...config, inputSize: ds.inputSize, outputSize: ds.outputSize } });
  send({ type: 'start' });
}

export function pause(): void {
  send({ type: 'pause' });
}

export function resume(): void {
  send({ type: 'resume' });
}

export function stop(): void {
  send({ type: 'stop' });
}

export function exportModel(): void {
  appStore.update({ exporting: true });
  send({ type: 'export' });
}

function positiveOrNull(v: number): number | null {
  return Number.isFinite(v) && v > 0 ? v : null;
}

function chartRows(history: EpochLoss[]): ChartRow[] {
  return history.map((h) => ({ epoch: h.epoch, train: positiveOrNull(h.trainLoss), val: positiveOrNull(h.valLoss) }));
}

function handleEvent(ev: WorkerEvent): void {
  const s = appStore.get();
  switch (ev.type) {
    case 'ready':
      appStore.update({ adapterInfo: ev.adapterInfo });
      break;
    case 'snapshot':
    case 'done': {
      const snap = ev.snapshot;
      const chart = snap.history.length === s.chart.length && snap.history.length === s.training.history.length ? s.chart : chartRows(snap.history);
      appStore.update({ training: snap, chart });
      break;
    }
    case 'epoch-end':
      break;
    case 'error':
      appStore.update({ error: ev.message, exporting: false });
      break;
    case 'exported':
      downloadBytes(ev.safetensors, 'model.safetensors', 'application/octet-stream');
      downloadBytes(new TextEncoder().encode(ev.json), 'model.json', 'application/json');
      appStore.update({ exporting: false });
      break;
  }
}

/** Starts the training worker and loads the built-in dataset so one click trains. */
export function startApp(): void {
  if (worker) return;
  try {
    worker = new Worker(new URL('../worker/training_worker.ts', import.meta.url), { type: 'module', name: 'training' });
    worker.onmessage = (ev: MessageEvent<WorkerEvent>) => handleEvent(ev.data);
    worker.onerror = (ev) => showError(`The training worker stopped: ${ev.message || 'it could not be started'}. Reload the page to try again.`);
  } catch (e) {
    showError(`The training worker could not start: ${messageOf(e)}`);
  }
  loadBuiltin();
}
