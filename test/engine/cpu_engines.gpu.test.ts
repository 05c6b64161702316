// The CPU engines (the fast float32 one and the float64 reference behind the interface) and the WebGPU trainer: the
// same steps on the same batches give the same losses, weights, optimizer state, predictions and probes, for every
// cell and option.
import { describe, expect, it } from 'vitest';
import { CpuEngine } from '../../src/engine/cpu_engine';
import { ReferenceEngine } from '../../src/engine/reference_engine';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/config';
import type { TrainingEngine } from '../../src/engine/engine';
import { RecurrentTrainer } from '../../src/engine/recurrent_trainer';
import { Prng } from '../../src/util/prng';
import { useGpu } from '../gpu/harness';

const gpu = useGpu();

/** Seeded batch of a config's shape: x values (or token ids) and targets (or class ids). */
function batch(c: TrainConfig, n: number, seed: number): { x: Float32Array; y: Float32Array } {
  const rng = new Prng(seed);
  const T = c.window;
  const x = new Float32Array(n * T * (c.vocabSize > 0 ? 1 : c.inputSize)).map(() => (c.vocabSize > 0 ? Math.floor(rng.uniform(0, c.vocabSize)) : rng.uniform(-1, 1)));
  const perRow = c.loss === 'cross_entropy' ? 1 : c.outputSize;
  const y = new Float32Array((c.headOn === 'every_step' ? T : 1) * n * perRow).map(() => (c.loss === 'cross_entropy' ? Math.floor(rng.uniform(0, c.outputSize)) : rng.uniform(-1, 1)));
  return { x, y };
}

/** Largest |a − b| / max(|b|, 1): relative for big values, absolute near zero. */
function worst(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length === 0) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), 1));
  return m;
}

/** Three training steps (the last a partial batch), a validation pass, then everything the session reads. */
async function exercise(e: TrainingEngine, c: TrainConfig) {
  for (const [n, seed] of [[c.batchSize, 1], [c.batchSize, 2], [c.batchSize - 3, 3]]) {
    const b = batch(c, n, seed);
    e.trainStep(b.x, b.y, n);
  }
  const v = batch(c, c.batchSize, 9);
  e.evalStep(v.x, v.y, c.batchSize);
  await e.settled();
  const losses = await e.readLosses();
  const params = (await e.readParameters()).flatMap((t) => Array.from(t.data));
  const opt = await e.readOptimizerState();
  const pred = await e.predict(v.x, c.batchSize);
  const one = batch(c, 1, 11);
  const probe = await e.probe(one.x, one.y, c.numLayers - 1, c.bidirectional ? 1 : 0);
  return { losses, params, opt, pred, probe };
}

const BASE: TrainConfig = { ...DEFAULT_CONFIG, hiddenSize: 7, window: 5, batchSize: 6, learningRate: 0.01, seed: 21, clipNorm: 0.5 };
const CASES: [string, Partial<TrainConfig>][] = [
  ['lstm', {}],
  ['gru bidirectional 2 layers dropout', { cell: 'gru', bidirectional: true, numLayers: 2, dropout: 0.3 }],
  ['rnn sgd momentum', { cell: 'rnn', optimizer: 'sgd', momentum: 0.9, inputSize: 3, outputSize: 2 }],
  ['lstm adamw every step', { optimizer: 'adamw', weightDecay: 0.05, headOn: 'every_step' }],
  ['lstm embedding classifier', { vocabSize: 9, inputSize: 4, loss: 'cross_entropy', outputSize: 3 }],
  ['lstm huber', { loss: 'huber' }],
];

const CPU_ENGINES: [string, (c: TrainConfig) => TrainingEngine][] = [
  ['cpu', (c) => new CpuEngine(c)],
  ['reference', (c) => new ReferenceEngine(c)],
];

describe('CPU engines = WebGPU trainer', () => {
  for (const [engine, make] of CPU_ENGINES)
  for (const [name, patch] of CASES) {
    it(`${engine} engine, ${name}: losses, weights, optimizer state, predictions and probes agree`, () =>
      gpu.scoped(async () => {
        const c: TrainConfig = { ...BASE, ...patch };
        const g = await RecurrentTrainer.create(gpu.ctx().device, c);
        const cpu = make(c);
        try {
          const a = await exercise(g, c);
          const b = await exercise(cpu, c);
          const errors = {
            trainLoss: worst([a.losses.trainLoss], [b.losses.trainLoss]),
            valLoss: worst([a.losses.valLoss], [b.losses.valLoss]),
            gradNorm: worst([a.losses.gradNorm], [b.losses.gradNorm]),
            params: worst(a.params, b.params),
            moment1: worst(a.opt.moment1, b.opt.moment1),
            pred: worst(a.pred, b.pred),
            gates: Math.max(...a.probe.names.map((n) => worst(a.probe.values[n], b.probe.values[n]))),
            dh: worst(a.probe.gradNorm, b.probe.gradNorm),
          };
          console.log(`[${engine} engine] ${name}: worst error ${Math.max(...Object.values(errors)).toExponential(2)} ${JSON.stringify(Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, +v.toExponential(1)])))}`);
          for (const [k, v] of Object.entries(errors)) expect(v, k).toBeLessThan(2e-6); // measured ≤ 1.8e-7
          expect(a.losses.trainSteps).toBe(3);
          expect(b.losses.trainSteps).toBe(3);
          expect(b.opt.step).toBe(a.opt.step);
          expect(b.opt.moment2 === null).toBe(a.opt.moment2 === null);
          if (a.opt.moment2 && b.opt.moment2) expect(worst(a.opt.moment2, b.opt.moment2), 'moment2').toBeLessThan(2e-6);
          expect(b.probe.names).toEqual(a.probe.names);
          expect(Number.isFinite(a.losses.valMse)).toBe(Number.isFinite(b.losses.valMse));
          expect(Number.isFinite(a.losses.valAccuracy)).toBe(Number.isFinite(b.losses.valAccuracy));
          // Negative control: the CPU engine with another seed starts elsewhere, far past the tolerance.
          const other = await exercise(make({ ...c, seed: c.seed + 1 }), c);
          expect(worst(other.params, a.params)).toBeGreaterThan(1e-2);
        } finally {
          g.dispose();
          cpu.dispose();
        }
      }));
  }

  it('a non-finite gradient sets the sticky flag and skips the update on every engine, until clearNonFinite()', () =>
    gpu.scoped(async () => {
      const c: TrainConfig = { ...BASE };
      const engines: TrainingEngine[] = [await RecurrentTrainer.create(gpu.ctx().device, c), new CpuEngine(c), new ReferenceEngine(c)];
      for (const e of engines) {
        const good = batch(c, c.batchSize, 1);
        e.trainStep(good.x, good.y, c.batchSize);
        const before = await e.readParameters();
        const bad = { x: good.x.slice(), y: good.y.slice() };
        bad.y[0] = Infinity;
        e.trainStep(bad.x, bad.y, c.batchSize);
        e.trainStep(good.x, good.y, c.batchSize);
        await e.settled();
        expect((await e.readLosses()).nonFinite).toBe(true);
        const after = await e.readParameters();
        expect(worst(after.flatMap((t) => Array.from(t.data)), before.flatMap((t) => Array.from(t.data)))).toBe(0);
        e.clearNonFinite();
        e.trainStep(good.x, good.y, c.batchSize);
        await e.settled();
        expect((await e.readLosses()).nonFinite).toBe(false);
        const moved = await e.readParameters();
        expect(worst(moved.flatMap((t) => Array.from(t.data)), before.flatMap((t) => Array.from(t.data)))).toBeGreaterThan(0);
        e.dispose();
      }
    }));
});
