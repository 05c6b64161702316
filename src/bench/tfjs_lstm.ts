// Times TensorFlow.js training the same stacked LSTM + dense head (model.trainOnBatch) on one backend: webgpu, webgl, cpu or wasm.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import '@tensorflow/tfjs-backend-wasm';
import type { BenchBatch } from './bench_data';
import { lstmFlopsPerStep, makeRow, type BenchConfig, type BenchRow, type LstmEngine } from './bench_spec';
import { batchLossOf } from './sanity';
import { describeWasmVariant, useLocalWasmBinaries } from './tfjs_wasm';

export type TfjsBackend = 'webgpu' | 'webgl' | 'cpu' | 'wasm';

/** Thrown when a backend cannot be selected here; the bench skips it with this reason. */
export class BackendUnavailable extends Error {}

export function engineName(backend: TfjsBackend): LstmEngine {
  return `tfjs-${backend}`;
}

/** Switches TF.js to `backend`, turning its logged warnings into the reason when that fails. */
async function selectBackend(backend: TfjsBackend): Promise<void> {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
    warn.apply(console, args);
  };
  let ok: boolean;
  try {
    if (backend === 'wasm') useLocalWasmBinaries();
    ok = await tf.setBackend(backend);
    await tf.ready();
  } catch (e) {
    throw new BackendUnavailable(`tf.setBackend('${backend}') threw: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    console.warn = warn;
  }
  if (!ok || tf.getBackend() !== backend) {
    const why = warnings.length > 0 ? warnings.join(' | ') : 'no reason given';
    throw new BackendUnavailable(`tf.setBackend('${backend}') failed (active backend: ${tf.getBackend()}): ${why}`);
  }
}

/** What the active backend runs on, as close to the adapter name as TF.js lets us see. */
async function describeBackend(backend: TfjsBackend): Promise<string> {
  if (backend === 'wasm') return describeWasmVariant();
  const active = tf.backend() as unknown as Record<string, unknown>;
  if (backend === 'webgpu') {
    const info = active.adapterInfo as { vendor?: string; architecture?: string } | undefined;
    const parts = [info?.vendor, info?.architecture].filter((s): s is string => !!s && s.length > 0);
    return parts.length > 0 ? parts.join(' / ') : 'WebGPU (adapter unknown)';
  }
  if (backend === 'webgl') {
    const gl = (active.gpgpu as { gl?: WebGLRenderingContext } | undefined)?.gl;
    const ext = gl?.getExtension('WEBGL_debug_renderer_info');
    const renderer = gl && ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl?.getParameter(gl.RENDERER);
    return renderer ? `WebGL: ${String(renderer)}` : 'WebGL (renderer unknown)';
  }
  return 'CPU (TF.js JavaScript kernels, main thread)';
}

/** U(-1/√fanIn, 1/√fanIn), torch's init for LSTM and Linear (and ours), so every peer starts at the same scale. */
function torchUniform(fanIn: number, seed: number) {
  const bound = 1 / Math.sqrt(fanIn);
  return tf.initializers.randomUniform({ minval: -bound, maxval: bound, seed });
}

/** The same model as ours: LSTM layers of H units (sigmoid gates, like torch), then dense(1); Adam, MSE. */
function buildModel(c: BenchConfig): tf.Sequential {
  const model = tf.sequential();
  const lm = c.vocab !== undefined;
  if (lm) model.add(tf.layers.embedding({ inputDim: c.vocab!, outputDim: c.I, inputLength: c.T, embeddingsInitializer: tf.initializers.randomNormal({ seed: 5 }) }));
  for (let l = 0; l < c.layers; l++) {
    model.add(
      tf.layers.lstm({
        units: c.H,
        returnSequences: lm || l < c.layers - 1,
        recurrentActivation: 'sigmoid',
        // One bias (torch has b_ih + b_hh): the same scale is close enough for timing and the sanity check.
        kernelInitializer: torchUniform(c.H, 11 + 3 * l),
        recurrentInitializer: torchUniform(c.H, 12 + 3 * l),
        biasInitializer: torchUniform(c.H, 13 + 3 * l),
        unitForgetBias: false,
        ...(l === 0 && !lm ? { inputShape: [c.T, c.I] } : {}),
      }),
    );
  }
  model.add(
    tf.layers.dense({
      units: c.vocab ?? 1,
      kernelInitializer: torchUniform(c.H, 7),
      biasInitializer: torchUniform(c.H, 8),
      ...(lm ? { activation: 'softmax' as const } : {}),
    }),
  );
  model.compile({ optimizer: tf.train.adam(1e-3), loss: lm ? 'sparseCategoricalCrossentropy' : 'meanSquaredError' });
  return model;
}

/** The model's MSE on the batch (untimed, for the sanity check). */
async function batchLoss(model: tf.Sequential, xs: tf.Tensor, y: Float32Array, vocab?: number): Promise<number> {
  const pred = model.predict(xs) as tf.Tensor;
  try {
    return batchLossOf(await pred.data(), y, vocab, true);
  } finally {
    pred.dispose();
  }
}

/** Warm-up steps, then N timed trainOnBatch calls (each resolves once its loss is read back). */
export async function benchTfjs(backend: TfjsBackend, c: BenchConfig, batch: BenchBatch, warmup: number, steps: number): Promise<BenchRow> {
  await selectBackend(backend);
  const adapter = await describeBackend(backend);
  const model = buildModel(c);
  const xs = c.vocab ? tf.tensor2d(batch.x, [c.B, c.T]) : tf.tensor3d(batch.x, [c.B, c.T, c.I]);
  const ys = c.vocab ? tf.tensor3d(batch.y, [c.B, c.T, 1]) : tf.tensor2d(batch.y, [c.B, 1]);
  try {
    const lossBefore = await batchLoss(model, xs, batch.y, c.vocab);
    for (let i = 0; i < warmup; i++) await model.trainOnBatch(xs, ys);
    const t0 = performance.now();
    let loss: number | number[] = NaN;
    for (let i = 0; i < steps; i++) loss = await model.trainOnBatch(xs, ys);
    const msPerStep = (performance.now() - t0) / steps;
    const last = Array.isArray(loss) ? loss[0] : loss;
    if (!Number.isFinite(last)) throw new Error(`TF.js ${backend} produced a non-finite loss (${last})`);
    const lossAfter = await batchLoss(model, xs, batch.y, c.vocab);
    return { ...makeRow(c.name, engineName(backend), adapter, msPerStep, c.B, lstmFlopsPerStep(c)), lossBefore, lossAfter };
  } finally {
    xs.dispose();
    ys.dispose();
    model.optimizer?.dispose();
    model.dispose();
  }
}
