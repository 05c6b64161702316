// The CPU engine on its own (no GPU): what its gradient-flow probe shows, its state in and out bit for bit, and the
// messages it gives for inputs that do not fit. Its agreement with the WebGPU trainer is cpu_engine.gpu.test.ts.
import { describe, expect, it } from 'vitest';
import { ReferenceEngine } from '../../src/engine/reference_engine';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/config';
import { Prng } from '../../src/util/prng';

const T = 30, H = 16;
const SEEDS = [1, 2, 3, 4, 5];

function sequence(seed: number): { x: Float32Array; y: Float32Array } {
  const rng = new Prng(100 + seed);
  return { x: new Float32Array(T).map(() => rng.uniform(-1, 1)), y: new Float32Array([0.5]) };
}

/** ‖∂L/∂h_0‖ / ‖∂L/∂h_{T−1}‖ of an untrained model whose loss is on the last step; forgetBias sets the LSTM's b_if. */
async function reach(cell: 'lstm' | 'rnn', seed: number, forgetBias?: number): Promise<number> {
  const e = new ReferenceEngine({ ...DEFAULT_CONFIG, cell, hiddenSize: H, window: T, batchSize: 1, seed });
  if (forgetBias !== undefined) {
    const p = await e.readParameters();
    const b = p.find((t) => t.name === 'bias_ih_l0')!;
    for (let j = H; j < 2 * H; j++) b.data[j] = forgetBias; // torch's gate order i, f, g, o: rows H..2H are f
    e.writeParameters(p);
  }
  const { x, y } = sequence(seed);
  const g = (await e.probe(x, y, 0, 0)).gradNorm;
  return g[0] / g[T - 1];
}

describe('CPU engine gradient flow', () => {
  it('an LSTM carries the gradient 30 steps back through open forget gates; at torch’s initialization, and for an RNN, it vanishes', async () => {
    const rows: string[] = [];
    for (const seed of SEEDS) {
      const open = await reach('lstm', seed, 6);
      const initial = await reach('lstm', seed);
      const shut = await reach('lstm', seed, -6);
      const rnn = await reach('rnn', seed);
      rows.push(`seed ${seed}: LSTM f open ${open.toExponential(1)}, as initialized ${initial.toExponential(1)}, f shut ${shut.toExponential(1)}; RNN ${rnn.toExponential(1)}`);
      expect(open).toBeGreaterThan(1e-3);
      expect(initial).toBeLessThan(1e-5);
      expect(shut).toBeLessThan(1e-20);
      expect(rnn).toBeLessThan(1e-4);
      // The ordering is the forget gate's doing: more open, more reach.
      expect(open).toBeGreaterThan(1e3 * initial);
      expect(initial).toBeGreaterThan(1e10 * shut);
    }
    console.log(`[gradient flow] ‖∂L/∂h_0‖ / ‖∂L/∂h_29‖\n${rows.join('\n')}`);
  });
});

describe('CPU engine state', () => {
  // No dropout: its masks follow the config's seed, and these engines differ in seed (so in their initial weights).
  const c: TrainConfig = { ...DEFAULT_CONFIG, hiddenSize: 5, window: 4, batchSize: 3, seed: 8, numLayers: 2 };
  const rng = new Prng(3);
  const x = new Float32Array(3 * 4).map(() => rng.uniform(-1, 1));
  const y = new Float32Array(3).map(() => rng.uniform(-1, 1));

  it('weights and optimizer state read out of one engine and written into a fresh one continue bit for bit', async () => {
    const a = new ReferenceEngine(c);
    a.trainStep(x, y, 3);
    a.trainStep(x, y, 3);
    const b = new ReferenceEngine({ ...c, seed: 99 });
    b.writeParameters(await a.readParameters());
    b.writeOptimizerState(structuredClone(await a.readOptimizerState()));
    a.trainStep(x, y, 3);
    b.trainStep(x, y, 3);
    const pa = await a.readParameters(), pb = await b.readParameters();
    expect(pb.map((t) => Array.from(t.data))).toEqual(pa.map((t) => Array.from(t.data)));
    // Negative control: without the optimizer state (fresh Adam moments) the same step lands elsewhere.
    const fresh = new ReferenceEngine({ ...c, seed: 99 });
    fresh.writeParameters(await a.readParameters());
    fresh.trainStep(x, y, 3);
    a.trainStep(x, y, 3);
    const pf = await fresh.readParameters(), pa2 = await a.readParameters();
    expect(pf.map((t) => Array.from(t.data))).not.toEqual(pa2.map((t) => Array.from(t.data)));
  });

  it('names what does not fit: batch, input size, parameter names and shapes, optimizer state', async () => {
    const e = new ReferenceEngine(c);
    expect(() => e.trainStep(x, y, 4)).toThrow('batch must be 1..3, got 4');
    expect(() => e.trainStep(x.subarray(1), y, 3)).toThrow('x must hold 12 values, got 11');
    expect(() => e.evalStep(x, y.subarray(1), 3)).toThrow('y must hold 3 values, got 2');
    const p = await e.readParameters();
    expect(() => e.writeParameters([...p, { name: 'weight_ih_l9', shape: [1], data: new Float32Array(1) }])).toThrow('Unknown parameter "weight_ih_l9"');
    expect(() => e.writeParameters(p.map((t) => (t.name === 'head.bias' ? { ...t, shape: [2], data: new Float32Array(2) } : t)))).toThrow('The parameter "head.bias" has shape [2] but this model needs [1].');
    expect(() => e.writeParameters(p.slice(1))).toThrow(`Missing parameters: ${p[0].name}.`);
    const s = await e.readOptimizerState();
    expect(() => e.writeOptimizerState({ ...s, moment1: s.moment1.subarray(1) })).toThrow('Optimizer state does not match this model.');
    expect(() => new ReferenceEngine({ ...c, hiddenSize: 0 })).toThrow(/Invalid model settings/);
    e.dispose();
    expect(() => e.trainStep(x, y, 3)).toThrow('This model was disposed.');
  });
});
