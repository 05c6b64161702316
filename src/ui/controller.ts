// UI-thread controller: owns the worker and the parsed table, turns a person's actions into commands and store updates.
import { parseCsvFile, parseCsvText, numericColumnNames, toNumericColumn, type CsvTable } from '../data/csv';
import { DataError } from '../data/data_error';
import { buildForecastDataset, type ForecastDataset } from '../data/forecast_dataset';
import { noisySineCsv, BUILTIN_DATASET_NAME } from '../data/builtin_datasets';
import { DEFAULT_CONFIG, type TrainConfig } from '../engine/config';
import type { RunRecord, SeriesSource } from '../storage/checkpoint_store';
import type { EpochLoss, WorkerCommand, WorkerEvent } from '../worker/protocol';
import { appStore, type ChartRow, type DatasetView } from './store';
import { KNOB_SPECS, knobWindow, knobsToConfig, type KnobKey, type Knobs } from './knobs';
import { downloadBytes } from './download';
import { offerResume, scheduleRunsRefresh, storedSource } from './saved_runs';

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

/** Sends the current windows and settings to the worker; false (with the reason shown) when they cannot train. */
function sendDataAndConfig(): boolean {
  const { config, problems } = knobsToConfig(appStore.get().knobs);
  if (problems.length > 0) {
    showError(`Cannot train: ${problems.join('; ')}.`);
    return false;
  }
  const l = loaded;
  if (!l) {
    showError('Load a CSV dataset before training.');
    return false;
  }
  const ds = l.windowed;
  if (!ds) {
    showError(`Cannot train on "${l.name}": ${l.problem ?? 'the data could not be windowed'}`);
    return false;
  }
  dismissError();
  appStore.update({ notice: null, resumeOffer: null });
  const source: SeriesSource = { kind: 'series', name: l.name, column: l.column, series: l.series, window: ds.window, valFraction: DEFAULT_CONFIG.valFraction };
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
      source,
    },
  });
  send({ type: 'configure', config: { ...config, inputSize: ds.inputSize, outputSize: ds.outputSize } });
  return true;
}

export function train(): void {
  if (sendDataAndConfig()) send({ type: 'start' });
}

/** One batch: while paused it steps the run; with no run going it starts one paused and steps it. */
export function step(): void {
  const state = appStore.get().training.state;
  if (state === 'training' || state === 'paused') return send({ type: 'step' });
  if (sendDataAndConfig()) send({ type: 'step' });
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

export function chartRows(history: EpochLoss[]): ChartRow[] {
  return history.map((h) => ({ epoch: h.epoch, train: positiveOrNull(h.trainLoss), val: positiveOrNull(h.valLoss) }));
}

/** Chart rows for the current history, or the old ones while the tab is hidden (drawing pauses, training does not). */
function chartFor(history: EpochLoss[]): ChartRow[] {
  const s = appStore.get();
  if (typeof document !== 'undefined' && document.hidden) return s.chart;
  const same = history.length === s.chart.length && history.length === s.training.history.length && history.at(-1)?.epoch === s.chart.at(-1)?.epoch;
  return same ? s.chart : chartRows(history);
}

function handleEvent(ev: WorkerEvent): void {
  switch (ev.type) {
    case 'ready':
      appStore.update({ adapterInfo: ev.adapterInfo });
      break;
    case 'snapshot':
      appStore.update({ training: ev.snapshot, chart: chartFor(ev.snapshot.history) });
      break;
    case 'done':
      appStore.update({ training: ev.snapshot, chart: chartFor(ev.snapshot.history) });
      if (ev.reason === 'early-stopped' && ev.message) appStore.update({ notice: ev.message });
      scheduleRunsRefresh();
      break;
    case 'epoch-end':
      break;
    case 'notice':
      appStore.update({ notice: ev.message });
      break;
    case 'error':
      appStore.update({ error: ev.message, exporting: false });
      break;
    case 'exported':
      downloadBytes(ev.safetensors, 'model.safetensors', 'application/octet-stream');
      downloadBytes(new TextEncoder().encode(ev.json), 'model.json', 'application/json');
      appStore.update({ exporting: false });
      break;
    case 'run':
      if (appStore.get().activeRunId !== ev.run.id) appStore.update({ activeRunId: ev.run.id });
      scheduleRunsRefresh();
      break;
  }
}

// ---------- saved runs ----------

function knobsOf(config: TrainConfig): Knobs {
  const knobs = { ...appStore.get().knobs };
  for (const spec of KNOB_SPECS) knobs[spec.key] = String(config[spec.key]);
  return knobs;
}

/** Makes a run's stored data current again (rebuilt exactly as it was) and sends it to the worker. */
async function restoreRunData(run: RunRecord): Promise<boolean> {
  const src = await storedSource(run.fingerprint);
  if (!src) {
    showError(`The data this run trained on ("${run.datasetName}") is not stored, so the run cannot be opened. Load it again and train a new run.`);
    return false;
  }
  try {
    const windowed = buildForecastDataset(src.series, src.column, src.window, src.valFraction);
    const table: CsvTable = { header: [src.column], rowCount: src.series.length, columns: [Array.from(src.series, String)] };
    loaded = { name: src.name, table, numericColumns: [src.column], column: src.column, series: src.series, windowed, problem: null };
  } catch (e) {
    showError(`The stored data of "${run.name}" could not be rebuilt: ${messageOf(e)}`);
    return false;
  }
  appStore.update({ knobs: knobsOf(run.config) });
  publishDataset();
  return sendDataAndConfig();
}

/** Continues a stored run from its checkpoint (resume) or loads it paused, ready to export or continue (open). */
async function loadRun(run: RunRecord, resume: boolean): Promise<void> {
  const state = appStore.get().training.state;
  if (state === 'training' || state === 'paused') return showError('Stop the current run before opening another.');
  if (!(await restoreRunData(run))) return;
  appStore.update({ resumeOffer: null, activeRunId: run.id, training: { ...appStore.get().training, history: run.history }, chart: chartRows(run.history) });
  send({ type: 'import', runId: run.id, resume });
}

export function resumeOffered(): void {
  const offer = appStore.get().resumeOffer;
  if (offer) void loadRun(offer, true);
}

export function openRun(id: string): void {
  const run = appStore.get().runs.find((r) => r.id === id);
  if (run) void loadRun(run, false);
}

/** e2e hooks on window: lose the worker's GPU device as a real loss would (the run must recover). */
function installTestHooks(): void {
  (globalThis as { __lstmPlaygroundTest?: object }).__lstmPlaygroundTest = {
    loseDevice: () => send({ type: 'test-lose-device' }),
  };
}

/** Starts the training worker and loads the built-in dataset so one click trains; offers to resume a saved run. */
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
  installTestHooks();
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) appStore.update({ chart: chartRows(appStore.get().training.history) });
  });
  void offerResume();
}
