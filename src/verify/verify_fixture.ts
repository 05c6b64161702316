// Runs one PyTorch fixture through the GPU engine and reports the worst relative error per tensor against it.
import { RecurrentTrainer, type TrainerOptions } from '../engine/recurrent_trainer';
import { fixtureConfig, type TorchFixture } from './torch_fixture';

export interface TensorCheck {
  /** Worst |a - b| / max(|b|, 1e-3) over the elements ("elementwise"), or ||a - b|| / ||b|| ("norm"). */
  error: number;
  tolerance: number;
  metric: 'elementwise' | 'norm';
  pass: boolean;
}

export interface FixtureReport {
  fixture: string;
  adapter: string;
  pass: boolean;
  tensors: Record<string, TensorCheck>;
}

/** Worst element-wise relative error |a-b| / max(|b|, 1e-3), b being the truth; NaN counts as the worst. */
export function maxRelError(actual: ArrayLike<number>, truth: ArrayLike<number>): number {
  if (actual.length !== truth.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < truth.length; i++) {
    const e = Math.abs(actual[i] - truth[i]) / Math.max(Math.abs(truth[i]), 1e-3);
    if (!(e <= worst)) worst = e;
  }
  return worst;
}

/** Norm-wise relative error ||a - b|| / ||b||. */
export function normRelError(actual: ArrayLike<number>, truth: ArrayLike<number>): number {
  if (actual.length !== truth.length) return Infinity;
  let num = 0, den = 0;
  for (let i = 0; i < truth.length; i++) {
    num += (actual[i] - truth[i]) ** 2;
    den += truth[i] ** 2;
  }
  const e = Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-30);
  return Number.isNaN(e) ? Infinity : e;
}

/** Tolerance of forward values and gradients: 1e-4, or 1e-3 for long/wide fixtures (steps × hidden ≥ 1024). */
export function forwardTolerance(f: TorchFixture): number {
  return f.steps * f.hidden_size >= 1024 ? 1e-3 : 1e-4;
}

/** Batch-first top-layer outputs [B][T][D·H] from the engine's per-direction time-major states. */
async function readOutputs(trainer: RecurrentTrainer, B: number): Promise<Float32Array> {
  const { window: T, hiddenSize: H, numLayers: L } = trainer.config;
  const D = trainer.config.bidirectional ? 2 : 1;
  const out = new Float32Array(B * T * D * H);
  for (let d = 0; d < D; d++) {
    const { h } = await trainer.readLayerState(L - 1, d, B);
    for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let j = 0; j < H; j++) out[(b * T + t) * D * H + d * H + j] = h[(t * B + b) * H + j];
  }
  return out;
}

/** `options.recurrence` forces a recurrence design, `options.sequenceKernel` its one-dispatch kernels and
 *  `options.matmulKernel` the matmul (the tests run the fixtures with each); the CLI leaves them to the device. */
export async function verifyFixture(
  device: GPUDevice,
  f: TorchFixture,
  adapter = '',
  options: Pick<TrainerOptions, 'recurrence' | 'sequenceKernel' | 'matmulKernel'> = {},
): Promise<FixtureReport> {
  const tol = forwardTolerance(f);
  const tensors: Record<string, TensorCheck> = {};
  const check = (name: string, error: number, tolerance: number, metric: TensorCheck['metric'] = 'elementwise') => {
    tensors[name] = { error, tolerance, metric, pass: error <= tolerance };
  };
  device.pushErrorScope('validation');
  let trainer: RecurrentTrainer | null = null;
  try {
    trainer = await RecurrentTrainer.create(device, fixtureConfig(f), { ...options, computeInputGrad: true });
    const B = f.batch, T = f.steps, H = f.hidden_size;
    const asTensors = (values: Record<string, number[]>) =>
      Object.entries(values).map(([name, v]) => ({ name, shape: f.shapes[name], data: Float32Array.from(v) }));
    trainer.writeParameters(asTensors(f.params));
    const x = Float32Array.from(f.x), y = Float32Array.from(f.target);
    check('prediction', maxRelError(await trainer.predict(x, B), f.prediction), tol);
    check('outputs', maxRelError(await readOutputs(trainer, B), f.outputs), tol);
    trainer.trainStep(x, y, B);
    check('loss', maxRelError([await trainer.readLastLoss()], [f.loss_value]), tol);
    check('grad_x', maxRelError(await trainer.readInputGradient(B), f.grad_x), tol);
    for (const g of await trainer.readGradients()) check(`grad ${g.name}`, maxRelError(g.data, f.grads[g.name] ?? []), tol);
    // The whole step on our own float32 gradients, norm-wise: an element whose gradient is near eps (1e-8) moves by
    // up to lr·eps/(|g|+eps)² per unit of gradient error, so elementwise it measures float32 gradients, not Adam.
    const after = f.adam.params_after_one_step;
    for (const p of await trainer.readParameters()) check(`step ${p.name}`, normRelError(p.data, after[p.name] ?? []), 1e-5, 'norm');
    if (f.gates_seq0_layer0) {
      // recorded by PyTorch with the parameters after the Adam step, for sequence 0 of layer 0
      await trainer.predict(x, B);
      const s = await trainer.readLayerState(0, 0, B);
      const names = f.cell === 'lstm' ? ['i', 'f', 'g', 'o'] : f.cell === 'gru' ? ['r', 'z', 'n'] : [];
      const GS = f.cell === 'rnn' ? 1 : 4;
      for (const [gate, truth] of Object.entries(f.gates_seq0_layer0)) {
        if (!truth) continue;
        const gi = names.indexOf(gate);
        const mine: number[] = [];
        for (let t = 0; t < T; t++)
          for (let j = 0; j < H; j++) {
            if (gi >= 0) mine.push(s.gates[t * B * GS * H + gi * H + j]);
            else mine.push((gate === 'c' ? s.c! : s.h)[t * B * H + j]);
          }
        check(`gate ${gate}`, maxRelError(mine, truth.flat()), tol);
      }
    }
    // The optimizer kernel alone, elementwise: PyTorch's parameters and gradients in, its updated parameters out.
    trainer.writeParameters(asTensors(f.params));
    trainer.writeGradients(asTensors(f.grads));
    trainer.optimizerStep();
    for (const p of await trainer.readParameters()) check(`adam ${p.name}`, maxRelError(p.data, after[p.name] ?? []), 1e-5);
  } finally {
    trainer?.dispose();
    const error = await device.popErrorScope();
    if (error) throw new Error(`WebGPU reported an error while running ${f.name}: ${error.message}`);
  }
  return { fixture: f.name, adapter, pass: Object.values(tensors).every((t) => t.pass), tensors };
}
