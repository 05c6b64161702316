// The jax-js peer trains the same model as ours: from the same weights, its jitted step (on jax-js's wasm device in Node)
// and the CPU engine cpuEngines() builds give the same predictions after the same Adam steps.
import { describe, expect, it } from 'vitest';
import { makeBatch } from '../../src/bench/bench_data';
import type { BenchConfig } from '../../src/bench/bench_spec';
import { benchJax, initialJaxParams, JaxLstmTrainer } from '../../src/bench/jax_lstm';
import { trainConfigFor } from '../../src/bench/ours_lstm';
import type { NamedTensor } from '../../src/engine/tensor';
import { cpuEngines } from '../../src/training/engine_factory';

const C: BenchConfig = { name: 'tiny', T: 6, I: 3, H: 8, B: 5, layers: 2 };

/** [rows][cols] row-major → its transpose. */
function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let r = 0; r < rows; r++) for (let k = 0; k < cols; k++) out[k * rows + r] = a[r * cols + k];
  return out;
}

/** The jax-js flat parameters as torch-named tensors (W_ih and W_hh transposed). */
function asTorchTensors(c: BenchConfig, p: Float32Array[]): NamedTensor[] {
  const out: NamedTensor[] = [];
  for (let l = 0; l < c.layers; l++) {
    const inSize = l === 0 ? c.I : c.H;
    const [wih, whh, bih, bhh] = p.slice(4 * l, 4 * l + 4);
    out.push(
      { name: `weight_ih_l${l}`, shape: [4 * c.H, inSize], data: transpose(wih, inSize, 4 * c.H) },
      { name: `weight_hh_l${l}`, shape: [4 * c.H, c.H], data: transpose(whh, c.H, 4 * c.H) },
      { name: `bias_ih_l${l}`, shape: [4 * c.H], data: bih.slice() },
      { name: `bias_hh_l${l}`, shape: [4 * c.H], data: bhh.slice() },
    );
  }
  const [wy, by] = p.slice(4 * c.layers);
  out.push({ name: 'head.weight', shape: [1, c.H], data: wy.slice() }, { name: 'head.bias', shape: [1], data: by.slice() });
  return out;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('jax-js LSTM peer', () => {
  it('matches the CPU engine step for step from the same weights (negative control: one step apart they differ)', async () => {
    const batch = makeBatch(C);
    const init = initialJaxParams(C);
    const jax = await JaxLstmTrainer.create('wasm', C, batch, init);
    const f = cpuEngines();
    await f.ready();
    const ours = await f.build(trainConfigFor(C));
    try {
      ours.writeParameters(asTorchTensors(C, init));
      const diffs: number[] = [];
      diffs.push(maxDiff(await jax.predict(), await ours.predict(batch.x, C.B)));
      let oneBehind = 0;
      for (let s = 0; s < 3; s++) {
        await jax.step();
        ours.trainStep(batch.x, batch.y, C.B);
        await ours.settled();
        diffs.push(maxDiff(await jax.predict(), await ours.predict(batch.x, C.B)));
        if (s === 2) {
          // Negative control: jax one step further than ours must not pass the same tolerance.
          await jax.step();
          oneBehind = maxDiff(await jax.predict(), await ours.predict(batch.x, C.B));
        }
      }
      console.log(`[jax-js vs cpu engine] max |Δ prediction| per step: ${diffs.map((d) => d.toExponential(1)).join(', ')}; one step apart ${oneBehind.toExponential(1)}`);
      for (const d of diffs) expect(d).toBeLessThan(2e-6);
      expect(oneBehind).toBeGreaterThan(1e-4);
    } finally {
      jax.dispose();
      ours.dispose();
    }
  });

  it('benchJax reports a row whose loss fell on the batch', async () => {
    const row = await benchJax('wasm', C, makeBatch(C), 1, 2);
    expect(row.engine).toBe('jax-js-wasm');
    expect(row.msPerStep).toBeGreaterThan(0);
    expect(row.lossAfter!).toBeLessThan(row.lossBefore!);
  });
});
