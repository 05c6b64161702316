// Training worker: owns the GPUDevice (or the CPU reference engine), the data, the training session and the model;
// answers the UI's commands and posts snapshots, probes, evaluations and files.
/// <reference lib="webworker" />
import { targetsFor, trainConfigFields } from '../data/index';
import { validateConfig, type TrainConfig } from '../engine/config';
import type { DataDescription, ModelManifest } from '../export/manifest';
import type { NamedTensor } from '../engine/tensor';
import { requestBrowserDevice } from '../gpu/device';
import { describeTrainingData } from '../model_io/data_description';
import { trainingDataOf } from '../training/from_training_set';
import { datasetFingerprint } from '../training/fingerprint';
import { TrainingSession } from '../training/session';
import type { Checkpoint, DeviceContext, SessionCallbacks, SessionResult, TrainingData } from '../training/types';
import { cpuLoss, toParamMap } from './cpu_model';
import { CpuSession } from './cpu_session';
import { dataSource, dataView, loadData, messageOf, restoreData, withChoices, type LoadedData } from './data_host';
import { Inspector, type Inspected } from './inspector';
import { descriptionOf, exportBundle, importCheckpoint, importModel, manifestFor, predictFile, runMetrics, trainableProblem } from './model_files';
import { CpuModelView, GpuModelView, type ModelView } from './model_view';
import { IDLE_SNAPSHOT, type EngineInfo, type RunOptions, type WorkerCommand, type WorkerEvent } from './protocol';
import type { RunSession } from './run_session';
import { RunPersistence } from './run_persistence';
import type { RunRecord } from '../storage/checkpoint_store';

const scope = self as unknown as DedicatedWorkerGlobalScope;

interface Active {
  session: RunSession;
  data: LoadedData;
  config: TrainConfig;
  /** model.json's data part for this run (what export and prediction use). */
  description: DataDescription | null;
  ended: boolean;
}

/** A model a person imported that does not fit the loaded data: it can still predict and be exported. */
interface Imported {
  config: TrainConfig;
  tensors: NamedTensor[];
  manifest: ModelManifest;
}

let device: DeviceContext | null = null;
let devicePending: Promise<DeviceContext> | null = null;
let engine: EngineInfo = { kind: 'none', info: 'starting', software: false };
let data: LoadedData | null = null;
let loading = false;
let config: TrainConfig | null = null;
let options: RunOptions = { earlyStoppingPatience: 0 };
let active: Active | null = null;
let imported: Imported | null = null;
let starting = false;
let view: { key: string; view: ModelView } | null = null;
const persistenceReady: Promise<RunPersistence | null> = RunPersistence.open(
  (e) => post({ type: 'error', message: e.message, kind: 'storage' }),
  (run, saved) => post({ type: 'run', run, saved }),
);

function post(event: WorkerEvent, transfer: Transferable[] = []): void {
  scope.postMessage(event, transfer);
}

function setEngine(e: EngineInfo): void {
  engine = e;
  post({ type: 'engine', engine: e });
}

function adoptDevice(ctx: DeviceContext): void {
  device = ctx;
  const d = ctx.device;
  void d.lost.then(() => {
    if (device?.device === d) device = null;
  });
  setEngine({ kind: 'webgpu', info: ctx.adapterInfo, software: /swiftshader|software|llvmpipe|lavapipe/i.test(ctx.adapterInfo) });
}

function getDevice(): Promise<DeviceContext> {
  if (device) return Promise.resolve(device);
  devicePending ??= requestBrowserDevice().then(
    (ctx) => {
      devicePending = null;
      adoptDevice(ctx);
      return ctx;
    },
    (e: unknown) => {
      devicePending = null;
      throw e;
    },
  );
  return devicePending;
}

// ---------- looking inside the model ----------

/** The model the dashboard shows: the run's session, or nothing. */
function inspected(): Inspected | null {
  const a = active;
  if (!a) return null;
  return { config: a.config, data: a.data, params: () => a.session.exportParameters(), snapshot: () => a.session.snapshot() };
}

/** A viewer engine for the model's shape on the current engine (rebuilt after a device change). */
async function viewFor(c: TrainConfig): Promise<ModelView | null> {
  const shape = JSON.stringify([c.cell, c.inputSize, c.hiddenSize, c.numLayers, c.bidirectional, c.outputSize, c.vocabSize, c.window, c.headOn, c.loss, c.batchSize]);
  if (engine.kind === 'cpu') {
    const key = `cpu ${shape}`;
    if (view?.key !== key) {
      view?.view.dispose();
      view = { key, view: new CpuModelView(c) };
    }
    return view.view;
  }
  const ctx = active?.session.deviceContext ?? (await getDevice().catch(() => null));
  if (!ctx) return null;
  if (view && (!(view.view instanceof GpuModelView) || view.view.device !== ctx.device || !view.key.endsWith(shape))) {
    view.view.dispose();
    view = null;
  }
  view ??= { key: `gpu ${shape}`, view: new GpuModelView(ctx.device, c) };
  return view.view;
}

const inspector = new Inspector(post, inspected, viewFor);

// ---------- data ----------

async function load(cmd: Extract<WorkerCommand, { type: 'load' }>): Promise<void> {
  const name = cmd.source.kind === 'file' ? cmd.source.file.name : cmd.source.id;
  loading = true;
  let last = 0;
  try {
    const source = cmd.source.kind === 'file' ? { kind: 'file' as const, file: cmd.source.file, name: cmd.source.file.name } : cmd.source;
    const loaded = await loadData(source, cmd.choices, (p) => {
      const now = performance.now();
      if (now - last < 80 && p.totalBytes !== null && p.bytesRead < p.totalBytes) return;
      last = now;
      post({ type: 'data-progress', name, bytesRead: p.bytesRead, totalBytes: p.totalBytes, rowsRead: p.rowsRead });
    });
    data = loaded;
    post({ type: 'data', view: dataView(loaded) });
  } catch (e) {
    post({ type: 'data-error', name, message: messageOf(e), during: 'load' });
  } finally {
    loading = false;
  }
}

// ---------- runs ----------

function runConfig(d: LoadedData, base: TrainConfig): TrainConfig {
  const set = d.set!;
  const val = d.choices?.valFraction ?? 0.2;
  return { ...base, ...trainConfigFields(set, base.headOn), valFraction: val > 0 && val <= 0.9 ? val : base.valFraction };
}

function isLive(): boolean {
  return starting || (active !== null && !active.ended);
}

function describe(d: LoadedData): DataDescription | null {
  try {
    return describeTrainingData(d.used, d.choices!, d.set!, d.name);
  } catch {
    return null;
  }
}

interface StartFrom {
  run?: RunRecord;
  checkpoint?: Checkpoint;
  /** Imported weights to continue from (CPU engine). */
  tensors?: NamedTensor[];
  description?: DataDescription | null;
  paused: boolean;
}

/** Starts a session on the loaded data and config: fresh, or from a checkpoint or imported weights. */
async function startRun(from: StartFrom = { paused: false }, cfgOverride?: TrainConfig): Promise<RunSession | null> {
  if (isLive()) {
    post({ type: 'error', message: 'A run is already going: stop it before starting another.' });
    return null;
  }
  const d = data;
  if (loading || !d) return post({ type: 'error', message: 'Load a dataset before training.' }), null;
  if (!d.set) return post({ type: 'error', message: `Cannot train on "${d.name}": ${d.problem ?? 'the choices do not make a training set'}` }), null;
  if (!cfgOverride && !config) return post({ type: 'error', message: 'Set the model options before training.' }), null;
  const cfg = cfgOverride ?? runConfig(d, config!);
  const problems = validateConfig(cfg);
  if (problems.length > 0) return post({ type: 'error', message: `Cannot train: ${problems.join('; ')}.` }), null;
  if (d.set.train.count < 1 || d.set.validation.count < 1) return post({ type: 'error', message: 'The dataset has no training or no validation samples; use more data or a shorter window.' }), null;
  starting = true;
  try {
    const previous = active;
    active = null;
    await previous?.session.dispose();
    const trainingData: TrainingData = trainingDataOf(d.set, [d.name, JSON.stringify(d.choices), JSON.stringify(d.uses)], cfg.headOn);
    const entry: Active = { session: null as unknown as RunSession, data: d, config: cfg, description: from.description !== undefined ? from.description : describe(d), ended: false };
    const callbacks = (store: RunPersistence | null): SessionCallbacks => ({
      onSnapshot: (snapshot) => {
        store?.state(snapshot.state);
        post({ type: 'snapshot', snapshot });
        inspector.changed();
        if (snapshot.state === 'paused') inspector.evaluateSoon();
      },
      onEpochEnd: (loss) => {
        post({ type: 'epoch-end', loss });
        inspector.evaluateSoon();
      },
      onCheckpoint: (cp) => store?.checkpoint(cp, entry.session.snapshot().state),
      onNotice: (message) => post({ type: 'notice', message }),
      onDeviceChange: adoptDevice,
      onError: (e) => post({ type: 'error', message: e.message, kind: e.kind }),
      onDone: (result: SessionResult) => {
        entry.ended = true;
        store?.end(result);
        post({ type: 'done', snapshot: result.snapshot, stopped: result.reason === 'stopped', reason: result.reason, message: result.message });
        inspector.evaluateSoon();
      },
    });
    let session: RunSession;
    if (engine.kind === 'cpu') {
      session = new CpuSession({ config: cfg, data: trainingData, callbacks: callbacks(null), startPaused: from.paused, earlyStoppingPatience: options.earlyStoppingPatience, initial: from.tensors ?? from.checkpoint?.parameters });
    } else {
      let ctx: DeviceContext;
      try {
        ctx = await getDevice();
      } catch (e) {
        throw new Error(`${messageOf(e)} You can train on the CPU reference engine instead (slower, same results): press "Train on the CPU".`);
      }
      const store = await persistenceReady;
      if (from.run) store?.adopt(from.run, dataSource(d));
      else store?.begin(cfg, d.name, dataSource(d));
      session = new TrainingSession({
        config: cfg,
        data: trainingData,
        device: ctx,
        deviceFactory: requestBrowserDevice,
        resumeFrom: from.checkpoint,
        startPaused: from.paused,
        earlyStoppingPatience: options.earlyStoppingPatience,
        callbacks: callbacks(store),
      });
    }
    entry.session = session;
    active = entry;
    imported = null;
    void session.start();
    post({ type: 'model', model: { source: from.tensors || (from.checkpoint && !from.run) ? 'imported' : 'trained', config: cfg, trainable: true, description: d.name, patience: options.earlyStoppingPatience } });
    return session;
  } catch (e) {
    post({ type: 'error', message: messageOf(e), kind: 'setup' });
    return null;
  } finally {
    starting = false;
  }
}

async function openRun(runId: string, resume: boolean): Promise<void> {
  if (isLive()) return post({ type: 'error', message: 'Stop the current run before opening another.' });
  const store = await persistenceReady;
  if (!store) return post({ type: 'error', message: 'Saved runs are not available in this browser (no IndexedDB).', kind: 'storage' });
  try {
    const [run, checkpoint] = await Promise.all([store.getRun(runId), store.loadCheckpoint(runId)]);
    if (!run || !checkpoint) return post({ type: 'error', message: 'This run has no saved checkpoint to open; it may have been deleted.' });
    const source = await store.getDataset(run.fingerprint);
    if (!source) return post({ type: 'error', message: `The data this run trained on ("${run.datasetName}") is not stored, so the run cannot be opened. Load it again and train a new run.` });
    loading = true;
    try {
      data = await restoreData(source);
    } finally {
      loading = false;
    }
    post({ type: 'data', view: dataView(data) });
    await startRun({ run, checkpoint, paused: !resume }, checkpoint.config);
  } catch (e) {
    post({ type: 'error', message: messageOf(e), kind: 'storage' });
  }
}

// ---------- model files ----------

async function exportFiles(file: Extract<WorkerCommand, { type: 'export' }>['file']): Promise<void> {
  try {
    let files;
    if (active) {
      if (!active.description) throw new Error('This model’s data cannot be described for model.json.');
      files = exportBundle(file, await active.session.exportParameters(), active.session.config, active.description, runMetrics(active.session.snapshot()));
    } else if (imported) {
      files = exportBundle(file, imported.tensors, imported.config, descriptionOf(imported.manifest), {});
    } else throw new Error('Train at least one epoch (or import a model) before exporting.');
    post({ type: 'exported', file, files }, files.map((f) => f.bytes.buffer as ArrayBuffer));
  } catch (e) {
    post({ type: 'error', message: `Export failed: ${messageOf(e)}`, kind: 'export' });
  }
}

/** The imported model's validation loss on the loaded data (the epoch-0 point of its curve). */
function importedValLoss(cfg: TrainConfig, tensors: NamedTensor[], d: LoadedData): number {
  const v = d.set!.validation;
  // at most 2000 samples: x and y cut to them (cpuLoss infers each sample's width from the lengths)
  const n = Math.min(v.count, 2000);
  const y = targetsFor(d.set!, v, cfg.headOn);
  return cpuLoss(cfg, toParamMap(tensors), v.x.subarray(0, (v.x.length / v.count) * n), y.subarray(0, (y.length / v.count) * n), n);
}

async function importFiles(safetensors: Uint8Array, json: string): Promise<void> {
  if (isLive()) return post({ type: 'error', message: 'Stop the current run before importing a model.', kind: 'import' });
  let model;
  try {
    model = importModel(safetensors, json);
  } catch (e) {
    return post({ type: 'error', message: `Could not import the model: ${messageOf(e)}`, kind: 'import' });
  }
  const d = data;
  const problem = d ? trainableProblem(model.config, d.set) : 'no data is loaded';
  if (problem || !d) {
    active = null;
    imported = { config: model.config, tensors: model.tensors, manifest: model.manifest };
    post({ type: 'model', model: { source: 'imported', config: model.config, trainable: false, description: `${model.manifest.dataset.name} (predict only: ${problem})` } });
    post({ type: 'notice', message: `Imported the model. It does not fit the loaded data (${problem}), so it can predict on a CSV with its own columns and be exported, but not train here.` });
    return;
  }
  const cfg: TrainConfig = { ...model.config, ...trainConfigFields(d.set!, model.config.headOn) };
  const description = descriptionOf(model.manifest);
  if (engine.kind === 'cpu') {
    await startRun({ tensors: model.tensors, description, paused: true }, cfg);
  } else {
    const trainingData = trainingDataOf(d.set!, [d.name, JSON.stringify(d.choices), JSON.stringify(d.uses)], cfg.headOn);
    const valLoss = importedValLoss(cfg, model.tensors, d);
    const checkpoint = importCheckpoint(cfg, model.tensors, await datasetFingerprint(trainingData), valLoss);
    await startRun({ checkpoint, description, paused: true }, cfg);
  }
  post({ type: 'notice', message: `Imported the model (${cfg.cell.toUpperCase()}, ${cfg.numLayers} × ${cfg.hiddenSize}). It is paused at its imported weights: Resume or Step to keep training, or predict on a CSV.` });
}

async function predictOn(file: File): Promise<void> {
  try {
    let manifest: ModelManifest;
    let params: NamedTensor[];
    let cfg: TrainConfig;
    if (active) {
      if (!active.description) throw new Error('This model’s data cannot be described, so new data cannot be fed to it.');
      cfg = active.session.config;
      params = await active.session.exportParameters();
      manifest = manifestFor(cfg, active.description, runMetrics(active.session.snapshot()));
    } else if (imported) {
      ({ config: cfg, tensors: params, manifest } = imported);
    } else throw new Error('Train or import a model before predicting.');
    const v = await viewFor(cfg);
    if (!v) throw new Error('No engine is available to run the model.');
    const out = await predictFile(file, manifest, params, v);
    post({ type: 'predictions', name: file.name, ...out });
  } catch (e) {
    post({ type: 'error', message: `Could not predict on "${file.name}": ${messageOf(e)}`, kind: 'data' });
  }
}

// ---------- commands ----------

scope.onmessage = (ev: MessageEvent<WorkerCommand>) => {
  const cmd = ev.data;
  const live = active && !active.ended ? active.session : null;
  switch (cmd.type) {
    case 'load':
      void load(cmd);
      break;
    case 'set-choices':
      if (data && !loading) {
        data = withChoices(data, cmd.choices, cmd.uses);
        post({ type: 'data', view: dataView(data, false) });
      }
      break;
    case 'configure':
      config = cmd.config;
      options = { ...options, ...cmd.options };
      break;
    case 'start':
      void startRun();
      break;
    case 'pause':
      live?.pause();
      break;
    case 'resume':
      live?.resume();
      break;
    case 'step':
      if (live) live.stepOnce();
      else void startRun({ paused: true }).then((s) => s?.stepOnce());
      break;
    case 'stop':
      live?.stop();
      break;
    case 'export':
      void exportFiles(cmd.file);
      break;
    case 'open-run':
      void openRun(cmd.runId, cmd.resume);
      break;
    case 'import-model':
      void importFiles(cmd.safetensors, cmd.json);
      break;
    case 'predict-file':
      void predictOn(cmd.file);
      break;
    case 'probe-settings':
      inspector.setSettings(cmd.settings);
      break;
    case 'use-cpu':
      if (isLive()) post({ type: 'error', message: 'Stop the current run before switching engines.' });
      else setEngine({ kind: 'cpu', info: 'CPU reference engine (float64, in a worker)', software: true });
      post({ type: 'snapshot', snapshot: active?.session.snapshot() ?? IDLE_SNAPSHOT });
      break;
    case 'test-lose-device':
      if (!live?.simulateDeviceLoss()) post({ type: 'error', message: 'No run is going, so there is no device to lose.' });
      break;
  }
};

getDevice().catch((e: unknown) => {
  setEngine({ kind: 'none', info: messageOf(e), software: false });
  post({ type: 'snapshot', snapshot: { ...IDLE_SNAPSHOT, state: 'error' } });
  post({ type: 'error', message: messageOf(e), kind: 'setup' });
});
