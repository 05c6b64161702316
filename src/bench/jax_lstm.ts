// Times jax-js training the same stacked LSTM + linear head on its WebGPU or wasm device: one jit of the whole step
// (the input projection hoisted out of the unrolled recurrence, MSE loss, valueAndGrad, Adam), as its own examples write it.
import { blockUntilReady, defaultDevice, getWebGPUDevice, init, jit, nn, numpy as np, valueAndGrad, type Device } from '@jax-js/jax';
import { Prng } from '../util/prng';
import type { BenchBatch } from './bench_data';
import { lstmFlopsPerStep, makeRow, type BenchConfig, type BenchRow } from './bench_spec';
import { mseOf } from './sanity';

export type JaxDevice = Extract<Device, 'webgpu' | 'wasm'>;

/** Thrown when jax-js cannot start this device here; the bench skips the engine with this reason. */
export class JaxUnavailable extends Error {}

/** Adam as ours and torch run it (lr 1e-3, no weight decay). */
const LR = 1e-3;
const B1 = 0.9;
const B2 = 0.999;
const EPS = 1e-8;

/** Flat parameter list: per layer [W_ih (in×4H), W_hh (H×4H), b_ih (4H), b_hh (4H)] (torch's two biases, so Adam
 *  moves them as torch and ours do), then the head [W (H×1), b (1)]. Gates i, f, g, o. */
type Params = np.Array[];

/** Weights drawn as torch draws them (and ours): U(-1/√H, 1/√H) for every LSTM and head parameter. */
export function initialJaxParams(c: BenchConfig, seed = 42): Float32Array<ArrayBuffer>[] {
  const rng = new Prng(seed);
  const bound = 1 / Math.sqrt(c.H);
  const draw = (n: number) => Float32Array.from({ length: n }, () => rng.uniform(-bound, bound));
  const out: Float32Array<ArrayBuffer>[] = [];
  for (let l = 0; l < c.layers; l++) {
    const inSize = l === 0 ? c.I : c.H;
    out.push(draw(inSize * 4 * c.H), draw(c.H * 4 * c.H), draw(4 * c.H), draw(4 * c.H));
  }
  out.push(draw(c.H), draw(1));
  return out;
}

function shapesOf(c: BenchConfig): number[][] {
  const shapes: number[][] = [];
  for (let l = 0; l < c.layers; l++) shapes.push([l === 0 ? c.I : c.H, 4 * c.H], [c.H, 4 * c.H], [4 * c.H], [4 * c.H]);
  shapes.push([c.H, 1], [1]);
  return shapes;
}

/** The model's output [B][1] for x [B][T][I]; takes ownership of p and x (jax-js reference counting). */
function forward(c: BenchConfig, p: Params, x: np.Array): np.Array {
  const { B, T, H, layers } = c;
  let seq = x;
  let inSize = c.I;
  let last: np.Array | null = null;
  for (let l = 0; l < layers; l++) {
    const [wih, whh, bih, bhh] = p.slice(4 * l, 4 * l + 4);
    // Hoisted: one [B·T, in] × [in, 4H] product for every step at once, biases included.
    const proj = np.dot(seq.reshape([B * T, inSize]), wih).add(bih.add(bhh)).reshape([B, T, 4 * H]);
    let h = np.zeros([B, H]);
    let cell = np.zeros([B, H]);
    const hs: np.Array[] = [];
    for (let t = 0; t < T; t++) {
      const z = proj.ref.slice([], t).add(np.dot(h, whh.ref));
      const i = nn.sigmoid(z.ref.slice([], [0, H]));
      const f = nn.sigmoid(z.ref.slice([], [H, 2 * H]));
      const g = np.tanh(z.ref.slice([], [2 * H, 3 * H]));
      const o = nn.sigmoid(z.slice([], [3 * H, 4 * H]));
      cell = f.mul(cell).add(i.mul(g));
      h = o.mul(np.tanh(cell.ref));
      if (l < layers - 1) hs.push(h.ref);
    }
    proj.dispose();
    whh.dispose();
    cell.dispose();
    if (l < layers - 1) {
      h.dispose();
      seq = np.stack(hs, 1);
      inSize = H;
    } else last = h;
  }
  const [wy, by] = p.slice(4 * layers);
  return np.dot(last!, wy).add(by);
}

function mseLoss(c: BenchConfig, p: Params, x: np.Array, y: np.Array): np.Array {
  return np.mean(np.square(forward(c, p, x).sub(y)));
}

/** One jitted training step: [params, m, v, loss] from [params, m, v, x, y, lr/(1-β1^t), 1/(1-β2^t)]. */
function makeTrainStep(c: BenchConfig) {
  return jit((p: Params, m: Params, v: Params, x: np.Array, y: np.Array, lrT: np.Array, bc2: np.Array) => {
    const [loss, g] = valueAndGrad((q: Params, xx: np.Array, yy: np.Array) => mseLoss(c, q, xx, yy))(
      p.map((a) => a.ref),
      x,
      y,
    );
    const newP: np.Array[] = [], newM: np.Array[] = [], newV: np.Array[] = [];
    for (let i = 0; i < p.length; i++) {
      const gi = g[i];
      const mi = m[i].mul(B1).add(gi.ref.mul(1 - B1));
      const vi = v[i].mul(B2).add(np.square(gi).mul(1 - B2));
      const step = mi.ref.mul(lrT.ref).div(np.sqrt(vi.ref.mul(bc2.ref)).add(EPS));
      newP.push(p[i].sub(step));
      newM.push(mi);
      newV.push(vi);
    }
    lrT.dispose();
    bc2.dispose();
    return [newP, newM, newV, loss] as [np.Array[], np.Array[], np.Array[], np.Array];
  });
}

function makeForward(c: BenchConfig) {
  return jit((p: Params, x: np.Array) => forward(c, p, x));
}

async function startDevice(device: JaxDevice): Promise<void> {
  let available: Device[];
  try {
    available = await init(device);
  } catch (e) {
    throw new JaxUnavailable(`jax-js init('${device}') threw: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!available.includes(device)) throw new JaxUnavailable(`jax-js could not start its ${device} device here (init gave: ${available.join(', ') || 'nothing'})`);
  defaultDevice(device);
}

function describeDevice(device: JaxDevice): string {
  if (device === 'webgpu') {
    const info = (getWebGPUDevice() as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo;
    const parts = [info?.vendor, info?.architecture].filter((s): s is string => !!s && s.length > 0);
    return `jax-js WebGPU: ${parts.length > 0 ? parts.join(' / ') : 'adapter unknown'}`;
  }
  const threads = globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer !== 'undefined' && typeof Worker !== 'undefined';
  return `jax-js wasm: ${threads ? `${navigator.hardwareConcurrency} worker threads (SharedArrayBuffer)` : 'one thread (no SharedArrayBuffer: not cross-origin isolated)'}`;
}

/** The jax-js model, its Adam state and the bench batch on one device; steps are waited for with blockUntilReady. */
export class JaxLstmTrainer {
  private t = 0;
  private last: np.Array | null = null;
  private readonly trainStep: ReturnType<typeof makeTrainStep>;
  private readonly forwardFn: ReturnType<typeof makeForward>;

  private constructor(
    readonly device: JaxDevice,
    private readonly c: BenchConfig,
    private params: Params,
    private m: Params,
    private v: Params,
    private readonly x: np.Array,
    private readonly y: np.Array,
  ) {
    this.trainStep = makeTrainStep(c);
    this.forwardFn = makeForward(c);
  }

  /** Starts the device (JaxUnavailable when it cannot) and puts the weights (default: initialJaxParams) and batch on it. */
  static async create(device: JaxDevice, c: BenchConfig, batch: BenchBatch, initial: Float32Array<ArrayBuffer>[] = initialJaxParams(c)): Promise<JaxLstmTrainer> {
    await startDevice(device);
    const shapes = shapesOf(c);
    const params = initial.map((a, i) => np.array(a, { shape: shapes[i], device }));
    const zeros = () => shapes.map((s) => np.zeros(s, { device }));
    const x = np.array(new Float32Array(batch.x), { shape: [c.B, c.T, c.I], device });
    const y = np.array(new Float32Array(batch.y), { shape: [c.B, 1], device });
    return new JaxLstmTrainer(device, c, params, zeros(), zeros(), x, y);
  }

  /** One Adam step on the batch (torch's bias corrections, passed as arrays so the jit compiles once). */
  async step(): Promise<void> {
    this.t++;
    const lrT = np.array(LR / (1 - B1 ** this.t), { device: this.device });
    const bc2 = np.array(1 / (1 - B2 ** this.t), { device: this.device });
    const [p, m, v, loss] = this.trainStep(this.params, this.m, this.v, this.x.ref, this.y.ref, lrT, bc2);
    this.params = p;
    this.m = m;
    this.v = v;
    this.last?.dispose();
    this.last = loss;
    await blockUntilReady(this.params);
  }

  /** The loss the latest step computed (before its update). */
  async lastLoss(): Promise<number> {
    if (!this.last) return Number.NaN;
    const loss = this.last;
    this.last = null;
    return (await loss.data())[0];
  }

  /** The model's outputs [B][1] on the batch. */
  async predict(): Promise<Float32Array> {
    return new Float32Array(await this.forwardFn(this.params.map((a) => a.ref), this.x.ref).data());
  }

  dispose(): void {
    // After a failure mid-step some of these may already be consumed; freeing is best effort.
    for (const a of [...this.params, ...this.m, ...this.v, this.x, this.y, this.last, this.trainStep, this.forwardFn]) {
      try {
        a?.dispose();
      } catch {
        /* already freed */
      }
    }
  }
}

/** Warm-up steps, then N timed steps, each waited for with blockUntilReady (as jax-js's own training loops do). */
export async function benchJax(device: JaxDevice, c: BenchConfig, batch: BenchBatch, warmup: number, steps: number): Promise<BenchRow> {
  const trainer = await JaxLstmTrainer.create(device, c, batch);
  try {
    const adapter = describeDevice(device);
    const lossBefore = mseOf(await trainer.predict(), batch.y);
    for (let i = 0; i < warmup; i++) await trainer.step();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await trainer.step();
    const msPerStep = (performance.now() - t0) / steps;
    const stepLoss = await trainer.lastLoss();
    if (!Number.isFinite(stepLoss)) throw new Error(`jax-js ${device} produced a non-finite loss (${stepLoss})`);
    const lossAfter = mseOf(await trainer.predict(), batch.y);
    return { ...makeRow(c.name, device === 'webgpu' ? 'jax-js' : 'jax-js-wasm', adapter, msPerStep, c.B, lstmFlopsPerStep(c)), lossBefore, lossAfter };
  } finally {
    trainer.dispose();
  }
}
