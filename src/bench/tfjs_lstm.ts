// Times TensorFlow.js training the same stacked LSTM + dense head (model.trainOnBatch) on one backend: webgpu, webgl or cpu.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import type { BenchBatch } from './bench_data';
import { lstmFlopsPerStep, makeRow, type BenchConfig, type BenchRow, type LstmEngine } from './bench_spec';

export type TfjsBackend = 'webgpu' | 'webgl' | 'cpu';

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
function describeBackend(backend: TfjsBackend): string {
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

/** The same model as ours: LSTM layers of H units (sigmoid gates, like torch), then dense(1); Adam, MSE. */
function buildModel(c: BenchConfig): tf.Sequential {
  const model = tf.sequential();
  for (let l = 0; l < c.layers; l++) {
    model.add(
      tf.layers.lstm({
        units: c.H,
        returnSequences: l < c.layers - 1,
        recurrentActivation: 'sigmoid',
        ...(l === 0 ? { inputShape: [c.T, c.I] } : {}),
      }),
    );
  }
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  return model;
}

/** Warm-up steps, then N timed trainOnBatch calls (each resolves once its loss is read back). */
export async function benchTfjs(backend: TfjsBackend, c: BenchConfig, batch: BenchBatch, warmup: number, steps: number): Promise<BenchRow> {
  await selectBackend(backend);
  const adapter = describeBackend(backend);
  const model = buildModel(c);
  const xs = tf.tensor3d(batch.x, [c.B, c.T, c.I]);
  const ys = tf.tensor2d(batch.y, [c.B, 1]);
  try {
    for (let i = 0; i < warmup; i++) await model.trainOnBatch(xs, ys);
    const t0 = performance.now();
    let loss: number | number[] = NaN;
    for (let i = 0; i < steps; i++) loss = await model.trainOnBatch(xs, ys);
    const msPerStep = (performance.now() - t0) / steps;
    const last = Array.isArray(loss) ? loss[0] : loss;
    if (!Number.isFinite(last)) throw new Error(`TF.js ${backend} produced a non-finite loss (${last})`);
    return makeRow(c.name, engineName(backend), adapter, msPerStep, c.B, lstmFlopsPerStep(c));
  } finally {
    xs.dispose();
    ys.dispose();
    model.optimizer?.dispose();
    model.dispose();
  }
}
