// Training worker: owns the GPUDevice and the training session, answers the UI's commands, saves runs to IndexedDB.
/// <reference lib="webworker" />
import { requestBrowserDevice } from '../gpu/device';
import { validateConfig, type TrainConfig } from '../engine/config';
import { buildModelExport } from '../export/model_export';
import type { Normalization } from '../data/forecast_dataset';
import type { RunRecord } from '../storage/checkpoint_store';
import { TrainingSession } from '../training/session';
import type { Checkpoint, DeviceContext, SessionResult, TrainingData } from '../training/types';
import { RunPersistence } from './run_persistence';
import { IDLE_SNAPSHOT, type RunOptions, type WorkerCommand, type WorkerDataset, type WorkerEvent } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

/** A session with what its export needs. */
interface Active {
  session: TrainingSession;
  normalization: Normalization;
  ended: boolean;
}

let device: DeviceContext | null = null;
let devicePending: Promise<DeviceContext> | null = null;
let dataset: WorkerDataset | null = null;
let config: TrainConfig | null = null;
let options: RunOptions = { earlyStoppingPatience: 0 };
let active: Active | null = null;
let starting = false;
/** Saved runs (null when this browser cannot store them: the reason was reported once). */
const persistenceReady: Promise<RunPersistence | null> = RunPersistence.open(
  (e) => post({ type: 'error', message: e.message, kind: 'storage' }),
  (run, saved) => post({ type: 'run', run, saved }),
);

function post(event: WorkerEvent, transfer: Transferable[] = []): void {
  scope.postMessage(event, transfer);
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function adoptDevice(ctx: DeviceContext): void {
  device = ctx;
  const d = ctx.device;
  // A device lost while no run is going is simply replaced at the next run.
  void d.lost.then(() => {
    if (device?.device === d) device = null;
  });
  post({ type: 'ready', adapterInfo: ctx.adapterInfo });
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

function checkRunInputs(ds: WorkerDataset | null, cfg: TrainConfig | null): string | null {
  if (!ds) return 'Load a dataset before training.';
  if (!cfg) return 'Set the model options before training.';
  const problems = validateConfig(cfg);
  if (problems.length > 0) return `Cannot train: ${problems.join('; ')}.`;
  if (cfg.window !== ds.window) return `The dataset was windowed with ${ds.window} steps but the model expects ${cfg.window}; load the data again.`;
  if (cfg.inputSize !== ds.inputSize || cfg.outputSize !== ds.outputSize) return 'The dataset shape does not match the model inputs and outputs.';
  if (ds.trainCount < 1) return 'The dataset has no training windows; use a longer series or a shorter window.';
  if (ds.valCount < 1) return 'The dataset has no validation windows; use a longer series or a shorter window.';
  return null;
}

function trainingData(ds: WorkerDataset): TrainingData {
  return { names: [ds.name, ds.column], trainX: ds.trainX, trainY: ds.trainY, trainCount: ds.trainCount, valX: ds.valX, valY: ds.valY, valCount: ds.valCount };
}

function isLive(): boolean {
  return starting || (active !== null && !active.ended);
}

/** Starts a session on the loaded data and config: fresh, or from a stored checkpoint (paused when reopened). */
async function startRun(resume?: { run: RunRecord; checkpoint: Checkpoint; paused: boolean }, paused = false): Promise<TrainingSession | null> {
  if (isLive()) {
    post({ type: 'error', message: 'A run is already going: stop it before starting another.' });
    return null;
  }
  const ds = dataset, cfg = config;
  const problem = checkRunInputs(ds, cfg);
  if (problem || !ds || !cfg) {
    post({ type: 'error', message: problem ?? 'Cannot train.' });
    return null;
  }
  starting = true;
  try {
    const previous = active;
    active = null;
    await previous?.session.dispose();
    const ctx = await getDevice();
    const store = await persistenceReady;
    if (resume) store?.adopt(resume.run, ds.source ?? null);
    else store?.begin(cfg, ds.name, ds.source ?? null);
    const entry: Active = { session: null as unknown as TrainingSession, normalization: ds.normalization, ended: false };
    const session = new TrainingSession({
      config: cfg,
      data: trainingData(ds),
      device: ctx,
      deviceFactory: requestBrowserDevice,
      resumeFrom: resume?.checkpoint,
      startPaused: resume ? resume.paused : paused,
      earlyStoppingPatience: options.earlyStoppingPatience,
      callbacks: {
        onSnapshot: (snapshot) => {
          store?.state(snapshot.state);
          post({ type: 'snapshot', snapshot });
        },
        onEpochEnd: (loss) => post({ type: 'epoch-end', loss }),
        onCheckpoint: (cp) => store?.checkpoint(cp, session.snapshot().state),
        onNotice: (message) => post({ type: 'notice', message }),
        onDeviceChange: adoptDevice,
        onError: (e) => post({ type: 'error', message: e.message, kind: e.kind }),
        onDone: (result: SessionResult) => {
          entry.ended = true;
          store?.end(result);
          post({ type: 'done', snapshot: result.snapshot, stopped: result.reason === 'stopped', reason: result.reason, message: result.message });
        },
      },
    });
    entry.session = session;
    active = entry;
    void session.start();
    return session;
  } catch (e) {
    post({ type: 'error', message: messageOf(e) });
    return null;
  } finally {
    starting = false;
  }
}

async function importRun(runId: string, resume: boolean): Promise<void> {
  const store = await persistenceReady;
  if (!store) return post({ type: 'error', message: 'Saved runs are not available in this browser (no IndexedDB).', kind: 'storage' });
  try {
    const [run, checkpoint] = await Promise.all([store.getRun(runId), store.loadCheckpoint(runId)]);
    if (!run || !checkpoint) return post({ type: 'error', message: 'This run has no saved checkpoint to open; it may have been deleted.' });
    config = checkpoint.config;
    await startRun({ run, checkpoint, paused: !resume });
  } catch (e) {
    post({ type: 'error', message: messageOf(e), kind: 'storage' });
  }
}

async function exportModel(): Promise<void> {
  const a = active;
  if (!a) return post({ type: 'error', message: 'Train at least one epoch before exporting.', kind: 'export' });
  try {
    const params = await a.session.exportParameters();
    const snap = a.session.snapshot();
    const last = snap.history[snap.history.length - 1];
    const out = buildModelExport(params, a.session.config, a.normalization, {
      trainLoss: last?.trainLoss ?? NaN,
      valLoss: last?.valLoss ?? NaN,
      epochs: snap.epoch,
    });
    const bytes = out.safetensors;
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
    post({ type: 'exported', safetensors: bytes, json: out.json }, whole ? [bytes.buffer as ArrayBuffer] : []);
  } catch (e) {
    post({ type: 'error', message: `Export failed: ${messageOf(e)}`, kind: 'export' });
  }
}

scope.onmessage = (ev: MessageEvent<WorkerCommand>) => {
  const cmd = ev.data;
  const live = active && !active.ended ? active.session : null;
  switch (cmd.type) {
    case 'load-data':
      dataset = cmd.dataset;
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
      else void startRun(undefined, true).then((s) => s?.stepOnce());
      break;
    case 'stop':
      live?.stop();
      break;
    case 'export':
      void exportModel();
      break;
    case 'import':
      void importRun(cmd.runId, cmd.resume);
      break;
    case 'test-lose-device':
      if (!live?.simulateDeviceLoss()) post({ type: 'error', message: 'No run is going, so there is no device to lose.' });
      break;
  }
};

getDevice().catch((e: unknown) => {
  post({ type: 'snapshot', snapshot: { ...IDLE_SNAPSHOT, state: 'error' } });
  post({ type: 'error', message: messageOf(e), kind: 'setup' });
});
