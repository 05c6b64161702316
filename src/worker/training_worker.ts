// Training worker: owns the GPUDevice and the trainer, runs seeded epochs of mini-batches, reports snapshots.
/// <reference lib="webworker" />
import { requestBrowserDevice } from '../gpu/device';
import { RecurrentTrainer } from '../engine/recurrent_trainer';
import { validateConfig, type TrainConfig } from '../engine/config';
import { buildModelExport } from '../export/model_export';
import type { Normalization } from '../data/forecast_dataset';
import { Prng } from '../util/prng';
import {
  IDLE_SNAPSHOT,
  type EpochLoss,
  type TrainingSnapshot,
  type WorkerCommand,
  type WorkerDataset,
  type WorkerEvent,
} from './protocol';

const SNAPSHOT_INTERVAL_MS = 100;

const scope = self as unknown as DedicatedWorkerGlobalScope;

/** The model the last run trained, with the config and normalization it belongs to. */
interface TrainedModel {
  trainer: RecurrentTrainer;
  config: TrainConfig;
  normalization: Normalization;
  history: EpochLoss[];
}

let device: GPUDevice | null = null;
let devicePending: Promise<GPUDevice> | null = null;
let dataset: WorkerDataset | null = null;
let config: TrainConfig | null = null;
let model: TrainedModel | null = null;

let running = false;
let pauseRequested = false;
let stopRequested = false;
let gpuFault: string | null = null;
let wake: (() => void) | null = null;
let snap: TrainingSnapshot = { ...IDLE_SNAPSHOT };
let lastPost = 0;

function post(event: WorkerEvent, transfer: Transferable[] = []): void {
  scope.postMessage(event, transfer);
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function publish(force = false): void {
  const now = performance.now();
  if (!force && now - lastPost < SNAPSHOT_INTERVAL_MS) return;
  lastPost = now;
  post({ type: 'snapshot', snapshot: { ...snap, history: snap.history.slice() } });
}

function getDevice(): Promise<GPUDevice> {
  if (device) return Promise.resolve(device);
  devicePending ??= requestBrowserDevice().then(
    ({ device: d, adapterInfo }) => {
      device = d;
      devicePending = null;
      d.addEventListener('uncapturederror', (ev) => {
        gpuFault ??= `GPU error: ${(ev as GPUUncapturedErrorEvent).error.message}`;
      });
      void d.lost.then((info) => {
        if (device !== d) return;
        device = null;
        model = null;
        if (info.reason === 'destroyed') return;
        gpuFault ??= `The GPU device was lost (${info.message || 'no reason given'}). Press Train to start again on a new device.`;
        if (!running) {
          snap = { ...snap, state: 'error' };
          post({ type: 'error', message: gpuFault });
          gpuFault = null;
          publish(true);
        }
      });
      post({ type: 'ready', adapterInfo });
      return d;
    },
    (e: unknown) => {
      devicePending = null;
      throw e;
    },
  );
  return devicePending;
}

/** Copies the windows named by order[from..from+n) into the batch buffers. */
function gather(src: Float32Array, srcY: Float32Array, order: Uint32Array, from: number, n: number, x: Float32Array, y: Float32Array, xw: number, yw: number): void {
  for (let i = 0; i < n; i++) {
    const k = order[from + i];
    x.set(src.subarray(k * xw, (k + 1) * xw), i * xw);
    y.set(srcY.subarray(k * yw, (k + 1) * yw), i * yw);
  }
}

/** Waits while paused; false once a stop was asked for. Throws when the GPU reported a fault. */
async function gate(): Promise<boolean> {
  while (pauseRequested && !stopRequested && !gpuFault) {
    if (snap.state !== 'paused') {
      snap.state = 'paused';
      publish(true);
    }
    await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
  }
  if (gpuFault) throw new Error(gpuFault);
  if (stopRequested) return false;
  if (snap.state !== 'training') {
    snap.state = 'training';
    publish(true);
  }
  return true;
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

async function run(): Promise<void> {
  if (running) return;
  const ds = dataset;
  const cfg = config;
  const problem = checkRunInputs(ds, cfg);
  if (problem || !ds || !cfg) {
    post({ type: 'error', message: problem ?? 'Cannot train.' });
    return;
  }
  running = true;
  pauseRequested = false;
  stopRequested = false;
  gpuFault = null;
  const batch = cfg.batchSize;
  const xw = cfg.window * cfg.inputSize;
  const yw = cfg.outputSize;
  const stepsPerEpoch = Math.ceil(ds.trainCount / batch);
  snap = { ...IDLE_SNAPSHOT, state: 'training', epochs: cfg.epochs, stepsPerEpoch, history: [] };
  publish(true);
  // Time spent training, pauses excluded.
  let activeSince = performance.now();
  const tick = () => {
    const now = performance.now();
    snap.elapsedMs += now - activeSince;
    activeSince = now;
  };
  let stopped = false;
  try {
    const dev = await getDevice();
    model?.trainer.dispose();
    model = null;
    const trainer = await RecurrentTrainer.create(dev, cfg);
    const trained: TrainedModel = { trainer, config: cfg, normalization: ds.normalization, history: [] };
    model = trained;
    const prng = new Prng(cfg.seed);
    const order = new Uint32Array(ds.trainCount);
    for (let i = 0; i < order.length; i++) order[i] = i;
    const xb = new Float32Array(batch * xw);
    const yb = new Float32Array(batch * yw);
    outer: for (let epoch = 1; epoch <= cfg.epochs; epoch++) {
      prng.shuffle(order);
      trainer.resetLosses();
      for (let s = 0; s < stepsPerEpoch; s++) {
        tick();
        if (!(await gate())) {
          stopped = true;
          break outer;
        }
        activeSince = performance.now();
        const from = s * batch;
        const n = Math.min(batch, ds.trainCount - from);
        gather(ds.trainX, ds.trainY, order, from, n, xb, yb, xw, yw);
        trainer.trainStep(xb.subarray(0, n * xw), yb.subarray(0, n * yw), n);
        await dev.queue.onSubmittedWorkDone();
        snap.step++;
        if (performance.now() - lastPost >= SNAPSHOT_INTERVAL_MS) {
          const losses = await trainer.readLosses();
          snap.trainLoss = losses.trainLoss;
          tick();
          publish();
        }
      }
      for (let from = 0; from < ds.valCount; from += batch) {
        const n = Math.min(batch, ds.valCount - from);
        trainer.evalStep(ds.valX.subarray(from * xw, (from + n) * xw), ds.valY.subarray(from * yw, (from + n) * yw), n);
        await dev.queue.onSubmittedWorkDone();
      }
      const losses = await trainer.readLosses();
      if (gpuFault) throw new Error(gpuFault);
      const loss: EpochLoss = { epoch, trainLoss: losses.trainLoss, valLoss: losses.valLoss };
      trained.history.push(loss);
      snap.history.push(loss);
      snap.epoch = epoch;
      snap.trainLoss = loss.trainLoss;
      snap.valLoss = loss.valLoss;
      tick();
      post({ type: 'epoch-end', loss });
      publish(true);
      if (!Number.isFinite(loss.trainLoss) || !Number.isFinite(loss.valLoss)) {
        throw new Error(`Training diverged in epoch ${epoch} (the loss is not a finite number). Try a lower learning rate.`);
      }
    }
    snap.state = snap.history.length > 0 ? 'done' : 'idle';
    post({ type: 'done', snapshot: { ...snap, history: snap.history.slice() }, stopped });
  } catch (e) {
    tick();
    snap.state = 'error';
    post({ type: 'error', message: messageOf(e) });
    publish(true);
  } finally {
    running = false;
    pauseRequested = false;
    stopRequested = false;
    gpuFault = null;
  }
}

async function exportModel(): Promise<void> {
  const m = model;
  if (!m || m.history.length === 0) {
    post({ type: 'error', message: 'Train at least one epoch before exporting.' });
    return;
  }
  try {
    const params = await m.trainer.readParameters();
    const last = m.history[m.history.length - 1];
    const out = buildModelExport(params, m.config, m.normalization, {
      trainLoss: last.trainLoss,
      valLoss: last.valLoss,
      epochs: m.history.length,
    });
    const bytes = out.safetensors;
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
    post({ type: 'exported', safetensors: bytes, json: out.json }, whole ? [bytes.buffer as ArrayBuffer] : []);
  } catch (e) {
    post({ type: 'error', message: `Export failed: ${messageOf(e)}` });
  }
}

function wakeLoop(): void {
  wake?.();
}

scope.onmessage = (ev: MessageEvent<WorkerCommand>) => {
  const cmd = ev.data;
  switch (cmd.type) {
    case 'load-data':
      dataset = cmd.dataset;
      break;
    case 'configure':
      config = cmd.config;
      break;
    case 'start':
      void run();
      break;
    case 'pause':
      if (running) pauseRequested = true;
      break;
    case 'resume':
      pauseRequested = false;
      wakeLoop();
      break;
    case 'stop':
      if (running) stopRequested = true;
      wakeLoop();
      break;
    case 'export':
      void exportModel();
      break;
  }
};

getDevice().catch((e: unknown) => {
  snap = { ...snap, state: 'error' };
  post({ type: 'error', message: messageOf(e) });
  publish(true);
});
