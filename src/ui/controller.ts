// UI-thread controller: owns the training worker, turns a person's actions into commands, keeps the URL hash in step.
import type { Task } from '../data/index';
import type { RunRecord } from '../storage/checkpoint_store';
import { IDLE_SNAPSHOT, type ColumnUse, type ExampleId, type ExportFile, type WorkerCommand, type WorkerEvent } from '../worker/protocol';
import { chartRows } from './chart_rows';
import { resetStepSeries } from './charts/step_series';
import { choicesFromForm, switchTask, type DataForm } from './data_choices';
import { configToKnobs, knobsToConfig, type KnobKey } from './knobs';
import { offerResume, refreshRuns } from './saved_runs';
import { offerTuneResume } from './saved_tunes';
import { appStore, isTuning, type AppState } from './store';
import { requestFromForm, type TuneForm, type VaryField } from './tune_form';
import { nextSort, type TuneSortKey } from './tune_view';
import type { TuneSetting } from '../training/tune_space';
import { decodeHash, encodeHash, type HashState } from './url_state';
import { enginePreference, saveEngineSwitch } from './engine_preference';
import { handleEvent } from './worker_events';

let worker: Worker | null = null;
let choicesTimer: ReturnType<typeof setTimeout> | null = null;
let hashTimer: ReturnType<typeof setTimeout> | null = null;
/** Data picks from the link, applied once its example has loaded. */
let pendingHashForm: HashState['form'] = null;

export function send(cmd: WorkerCommand, transfer: Transferable[] = []): void {
  worker?.postMessage(cmd, transfer);
}

export function showError(message: string): void {
  appStore.update({ error: message });
}

export function dismissError(): void {
  appStore.update({ error: null });
}

export function takePendingHashForm(): HashState['form'] {
  const f = pendingHashForm;
  pendingHashForm = null;
  return f;
}

// ---------- data ----------

export function loadFile(file: File): void {
  appStore.update({ loadingData: true, dataProgress: { name: file.name, bytesRead: 0, totalBytes: file.size, rowsRead: 0 } });
  send({ type: 'load', source: { kind: 'file', file } });
}

export function loadExample(id: ExampleId): void {
  appStore.update({ loadingData: true, dataProgress: null });
  send({ type: 'load', source: { kind: 'example', id } });
}

/** Loads an example and lays `picks` over its suggested choices once loaded (as a link's hash does; presets use it). */
export function loadExampleWith(id: ExampleId, picks: NonNullable<HashState['form']>): void {
  pendingHashForm = picks;
  loadExample(id);
}

function seed(): number {
  const v = Number(appStore.get().knobs.seed);
  return Number.isInteger(v) && v >= 0 ? v : 42;
}

/** Sends the form's choices to the worker now (a pending debounced send is replaced). */
export function flushChoices(): void {
  if (choicesTimer) clearTimeout(choicesTimer);
  choicesTimer = null;
  const s = appStore.get();
  if (!s.data) return;
  const { choices, problems } = choicesFromForm(s.form, s.data.columns, seed());
  appStore.update({ formProblems: problems });
  if (choices) send({ type: 'set-choices', choices, uses: s.form.uses.slice() });
}

function scheduleChoices(): void {
  if (choicesTimer) clearTimeout(choicesTimer);
  choicesTimer = setTimeout(flushChoices, 250);
}

export function setForm(patch: Partial<DataForm>): void {
  appStore.update({ form: { ...appStore.get().form, ...patch } });
  scheduleChoices();
  scheduleHash();
}

export function setTask(task: Task): void {
  const s = appStore.get();
  if (!s.data) return;
  appStore.update({ form: switchTask(s.form, task, s.data.columns, s.data.rows) });
  flushChoices();
  scheduleHash();
}

export function setColumnUse(index: number, use: ColumnUse): void {
  const uses = appStore.get().form.uses.slice();
  uses[index] = use;
  setForm({ uses });
}

export function toggleInput(name: string, on: boolean): void {
  const inputs = appStore.get().form.inputs.filter((n) => n !== name);
  setForm({ inputs: on ? [...inputs, name] : inputs });
}

// ---------- knobs and runs ----------

export function setKnob(key: KnobKey, text: string): void {
  appStore.update({ knobs: { ...appStore.get().knobs, [key]: text } });
  // The seed also draws the data's split (classification is split by a seeded stratified draw): send the choices again.
  if (key === 'seed') scheduleChoices();
  scheduleHash();
}

/** Sends the data choices and settings; false (with the reason shown) when they cannot train. */
function sendConfig(): boolean {
  const s0 = appStore.get();
  if (s0.engine?.kind === 'none') {
    showError(`${s0.engine.info} Press "Train on the CPU" to train on the CPU engine instead (the same model).`);
    return false;
  }
  if (choicesTimer) flushChoices();
  const s = appStore.get();
  const { config, patience, problems } = knobsToConfig(s.knobs);
  const all = [...s.formProblems, ...problems];
  if (all.length > 0) {
    showError(`Cannot train: ${all.join('; ')}.`);
    return false;
  }
  if (!s.data) {
    showError('Load a CSV dataset before training.');
    return false;
  }
  dismissError();
  resetStepSeries();
  appStore.update({ notice: null, resumeOffer: null, gradHistory: [], evaluation: null, probe: null });
  send({ type: 'configure', config, options: { earlyStoppingPatience: patience } });
  return true;
}

/** Starts a run with the current data and settings; false (with the reason shown) when it cannot. */
export function train(): boolean {
  if (!sendConfig()) return false;
  send({ type: 'start' });
  return true;
}

/** One batch: while paused it steps the run; with no run going it starts one paused and steps it. */
export function step(): void {
  const state = appStore.get().training.state;
  if (state === 'training' || state === 'paused') return send({ type: 'step' });
  if (sendConfig()) send({ type: 'step' });
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

/** The browser's storage, or null where it cannot be reached (private modes, sandboxed frames). */
function storage(): Storage | null {
  try {
    return localStorage;
  } catch {
    return null;
  }
}

export function useCpu(): void {
  dismissError();
  saveEngineSwitch('cpu', appStore.get().engine, storage());
  send({ type: 'use-cpu' });
}

/** Back to WebGPU on the adapter the worker found (a software one, when the CPU engine was picked over it). */
export function useWebgpu(): void {
  dismissError();
  saveEngineSwitch('webgpu', appStore.get().engine, storage());
  send({ type: 'use-webgpu' });
}

/** Switches to the CPU engine and starts training on it (the worker takes the commands in order). */
export function trainOnCpu(): void {
  useCpu();
  const engine = appStore.get().engine;
  if (engine?.kind === 'none') appStore.update({ engine: { ...engine, kind: 'cpu', software: true } });
  train();
}

// ---------- model files ----------

export function exportModel(file: ExportFile = 'safetensors'): void {
  appStore.update({ exporting: file });
  send({ type: 'export', file });
}

/** model.safetensors + model.json, a .keras file, or a TF.js model.json + .bin files: read and sent to the worker to validate. */
export async function importModelFiles(files: File[]): Promise<void> {
  const lower = files.map((f) => f.name.toLowerCase());
  if (lower.some((n) => n.endsWith('.keras') || n.endsWith('.bin')) || (files.length > 0 && !lower.some((n) => n.endsWith('.safetensors')))) {
    // A .keras archive, or a TF.js model.json with (or missing) its weight files: the worker tells which and checks them.
    const read = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
    send({ type: 'import-layers-model', files: read }, read.map((f) => f.bytes.buffer));
    return;
  }
  const st = files.find((f) => f.name.toLowerCase().endsWith('.safetensors'));
  const json = files.find((f) => f.name.toLowerCase().endsWith('.json'));
  if (!st || !json || files.length !== 2) {
    showError(`Choose both files of a model together: model.safetensors and model.json (got ${files.map((f) => JSON.stringify(f.name)).join(', ') || 'nothing'}).`);
    return;
  }
  const bytes = new Uint8Array(await st.arrayBuffer());
  send({ type: 'import-model', safetensors: bytes, json: await json.text() }, [bytes.buffer]);
}

export function predictFile(file: File): void {
  send({ type: 'predict-file', file });
}

// ---------- dashboard settings ----------

export function setProbe(patch: Partial<{ probeSample: number; probeLayer: number; probeDirection: number; sortUnits: boolean }>): void {
  appStore.update(patch);
  const s = appStore.get();
  send({ type: 'probe-settings', settings: { sample: s.probeSample, layer: s.probeLayer, direction: s.probeDirection } });
}

export function setChartLog(log: boolean): void {
  appStore.update({ chartLog: log });
}

export function setSmoothing(v: number): void {
  appStore.update({ chartSmoothing: v });
}

export function toggleTheme(): void {
  const theme = appStore.get().theme === 'dark' ? 'light' : 'dark';
  appStore.update({ theme });
  document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem('lstm-playground-theme', theme);
  } catch {
    // private mode: the choice lasts for this page only
  }
}

// ---------- saved runs ----------

/** Continues a stored run from its checkpoint (resume) or loads it paused, ready to export or continue (open). */
function loadRun(run: RunRecord, resume: boolean): void {
  const state = appStore.get().training.state;
  if (state === 'training' || state === 'paused') return showError('Stop the current run before opening another.');
  if (isTuning(appStore.get())) return showError('Stop the search before opening a run.');
  appStore.update({
    resumeOffer: null,
    activeRunId: run.id,
    knobs: configToKnobs(run.config, Number(appStore.get().knobs.patience) || 0, appStore.get().knobs),
    training: { ...appStore.get().training, history: run.history },
    chart: chartRows(run.history),
    gradHistory: [],
    evaluation: null,
  });
  send({ type: 'open-run', runId: run.id, resume });
}

export function resumeOffered(): void {
  const offer = appStore.get().resumeOffer;
  if (offer) loadRun(offer, true);
}

export function openRun(id: string): void {
  const run = appStore.get().runs.find((r) => r.id === id);
  if (run) loadRun(run, false);
}

// ---------- the search (Tune) ----------

/** Resolves true once the store satisfies `ok`, false after `timeoutMs`. */
function until(ok: (s: AppState) => boolean, timeoutMs: number): Promise<boolean> {
  if (ok(appStore.get())) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      off();
      resolve(false);
    }, timeoutMs);
    const off = appStore.subscribe(() => {
      if (!ok(appStore.get())) return;
      clearTimeout(timer);
      off();
      resolve(true);
    });
  });
}

const running = (s: AppState) => s.training.state === 'training' || s.training.state === 'paused';

export function openTune(open = true): void {
  appStore.update({ tuneOpen: open });
}

export function setTuneForm(patch: Partial<TuneForm>): void {
  appStore.update({ tuneForm: { ...appStore.get().tuneForm, ...patch } });
}

export function setTuneVary(name: TuneSetting, patch: Partial<VaryField>): void {
  const form = appStore.get().tuneForm;
  setTuneForm({ vary: { ...form.vary, [name]: { ...form.vary[name], ...patch } } });
}

export function sortTuneBy(key: TuneSortKey): void {
  appStore.update({ tuneSort: nextSort(appStore.get().tuneSort, key) });
}

/** Starts the search the Tune panel sets up, on the loaded data and the model settings; false when it cannot (the panel says why). */
export function startTune(): boolean {
  const s = appStore.get();
  appStore.update({ tuneOpen: true });
  if (isTuning(s)) return false;
  if (running(s)) {
    showError('A run is going: stop it before starting a search.');
    return false;
  }
  const { config, problems } = knobsToConfig(s.knobs);
  if (problems.length === 0) {
    const r = requestFromForm(s.tuneForm, config.epochs, config.seed, s.data?.choices ?? null);
    if (!r.ok) return false;
    if (!sendConfig()) return false;
    appStore.update({ tune: null, tuneOffer: null, tuneStarting: true, tunePromoted: null, training: IDLE_SNAPSHOT, chart: [], activeRunId: null });
    send({ type: 'tune', request: r.request });
    return true;
  }
  sendConfig(); // shows the settings' problems
  return false;
}

/** Ends the search: the trial training now stops at its next batch, no other starts (it stays saved, resumable). */
export function stopTune(): void {
  send({ type: 'stop' });
}

/** The saved search that can continue now: the one offered on opening the page, or the one stopped in this visit. */
export function resumableTuneId(s: AppState): string | null {
  if (s.tuneOffer) return s.tuneOffer.id;
  return s.tune?.end?.reason === 'stopped' ? (s.tune.tuneId ?? null) : null;
}

/** Continues a saved search where it was (finished trials kept, the cut-off one from its checkpoint); false when it cannot. */
export function resumeTune(): boolean {
  const s = appStore.get();
  const id = resumableTuneId(s);
  if (!id || isTuning(s)) return false;
  if (running(s)) {
    showError('A run is going: stop it before resuming a search.');
    return false;
  }
  dismissError();
  resetStepSeries();
  const patience = s.tuneOffer?.patience ?? (Number(s.knobs.patience) || 0);
  const knobs = s.tuneOffer ? configToKnobs(s.tuneOffer.config, patience, s.knobs) : s.knobs;
  // The saved trials stay in the panel, as a search starting again, until the worker's first snapshot replaces them.
  const tune = s.tune ? { ...s.tune, end: null, snapshot: { ...s.tune.snapshot, state: 'running' as const } } : null;
  appStore.update({ knobs, tune, tuneOffer: null, resumeOffer: null, tuneStarting: true, tuneOpen: true, tunePromoted: null, training: IDLE_SNAPSHOT, chart: [], activeRunId: null });
  send({ type: 'resume-tune', tuneId: id });
  return true;
}

/** The stored run `id` with its checkpoint, once the worker's writes have landed (a few seconds at most). */
async function savedRun(id: string): Promise<RunRecord | null> {
  for (let i = 0; i < 40; i++) {
    await refreshRuns();
    const run = appStore.get().runs.find((r) => r.id === id);
    if (run?.hasCheckpoint) return run;
    await new Promise((r) => setTimeout(r, 250));
  }
  return null;
}

/** Makes a trial the current model: stops the search (and any opened run) first, then opens the trial's saved run. */
export async function promoteTrial(trial: number): Promise<void> {
  if (!appStore.get().tune) return;
  if (isTuning(appStore.get())) {
    stopTune();
    if (!(await until((s) => s.tune?.end != null, 120_000))) return showError('The search has not stopped yet; try again once it has.');
  }
  if (running(appStore.get())) {
    stop();
    if (!(await until((s) => !running(s), 60_000))) return showError('The current run has not stopped yet; try again once it has.');
  }
  const id = appStore.get().tune?.runIds[trial];
  if (!id) return showError(`Trial ${trial} has no saved run to open: runs are not saved in this browser, or it stopped before its first epoch.`);
  const run = await savedRun(id);
  if (!run) return showError(`Trial ${trial}'s run has no saved checkpoint yet, so it cannot be opened.`);
  appStore.update({ tunePromoted: trial });
  loadRun(run, false);
}

// ---------- the URL hash ----------

function scheduleHash(): void {
  if (hashTimer) clearTimeout(hashTimer);
  hashTimer = setTimeout(() => {
    hashTimer = null;
    const s = appStore.get();
    const example = s.data?.example ?? null;
    const hash = encodeHash(s.knobs, example, example ? s.form : null);
    if (hash !== location.hash) history.replaceState(null, '', hash);
  }, 300);
}

export { scheduleHash };

/** e2e hooks on window: lose the worker's GPU device as a real loss would (the run must recover). */
function installTestHooks(): void {
  (globalThis as { __lstmPlaygroundTest?: object }).__lstmPlaygroundTest = {
    loseDevice: () => send({ type: 'test-lose-device' }),
  };
}

function initialTheme(): 'light' | 'dark' {
  try {
    const saved = localStorage.getItem('lstm-playground-theme');
    if (saved === 'light' || saved === 'dark') return saved;
  } catch {
    // no storage
  }
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Starts the training worker, applies the link's setup, loads its example (or the noisy sine), offers to resume. */
export function startApp(): void {
  if (worker) return;
  const theme = initialTheme();
  document.documentElement.dataset.theme = theme;
  const fromHash = decodeHash(location.hash);
  appStore.update({ theme, ...(fromHash ? { knobs: fromHash.knobs } : {}) });
  pendingHashForm = fromHash?.form ?? null;
  try {
    worker = new Worker(new URL('../worker/training_worker.ts', import.meta.url), { type: 'module', name: 'training' });
    worker.onmessage = (ev: MessageEvent<WorkerEvent>) => handleEvent(ev.data);
    send({ type: 'boot', engine: enginePreference(location.search, storage()) });
    worker.onerror = (ev) => showError(`The training worker stopped: ${ev.message || 'it could not be started'}. Reload the page to try again.`);
  } catch (e) {
    showError(`The training worker could not start: ${e instanceof Error ? e.message : String(e)}`);
  }
  loadExample(fromHash?.example ?? 'sine');
  installTestHooks();
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) appStore.update({ chart: chartRows(appStore.get().training.history) });
  });
  // A search cut off by the reload comes back first; its trials' runs are resumed with it, not offered on their own.
  void offerTuneResume().then((skip) => offerResume(skip));
}
