// The dashboard's view engines agree: gate probes and predictions from a WebGPU viewer (a second RecurrentTrainer
// loaded with the weights) match the CPU reference engine the worker falls back to without WebGPU.
import { describe, expect, it } from 'vitest';
import { buildTrainingSet, parseCsvString, trainConfigFields } from '../../src/data/index';
import { noisySineCsv } from '../../src/data/builtin_datasets';
import { DEFAULT_CONFIG, type CellKind, type TrainConfig } from '../../src/engine/config';
import { CpuEngine } from '../../src/engine/cpu_engine';
import { ModelView } from '../../src/worker/model_view';
import { useGpu } from '../gpu/harness';

const gpu = useGpu();

/** Largest |a - b|; throws on empty or length-mismatched inputs (nothing compared is no agreement); NaN gives Infinity. */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length === 0 || a.length !== b.length) throw new Error(`maxDiff: ${a.length} values against ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

/** The same weights with every recurrent matrix negated: a wrong model the comparison must tell apart. */
function negatedRecurrence<T extends { name: string; data: Float32Array }>(params: T[]): T[] {
  return params.map((t) => (t.name.startsWith('weight_hh_') ? { ...t, data: t.data.map((v) => -v) } : t));
}

describe('GPU and CPU model views', () => {
  for (const [cell, bidirectional] of [['lstm', false], ['gru', true], ['rnn', false]] as [CellKind, boolean][]) {
    it(`${cell}${bidirectional ? ' bidirectional' : ''}: the same gates, gradient flow and predictions`, async () => {
      const table = await parseCsvString(noisySineCsv(200));
      const set = buildTrainingSet(table, { task: 'forecast', targets: ['value'], window: 10 });
      const c: TrainConfig = { ...DEFAULT_CONFIG, ...trainConfigFields(set), cell, bidirectional, hiddenSize: 6, numLayers: 2, batchSize: 16 };
      const params = await new CpuEngine(c).readParameters();
      const x = set.validation.x.slice(0, 10), y = set.validation.y.slice(0, 1);
      const view = new ModelView(gpu.ctx().device, c);
      try {
        await gpu.scoped(async () => {
          const cpu = new ModelView(null, c);
          for (const [layer, dir] of [[1, 0], [0, bidirectional ? 1 : 0]]) {
            const a = await view.probe(params, x, y, layer, dir);
            const b = await cpu.probe(params, x, y, layer, dir);
            expect(a.names).toEqual(b.names);
            expect(a.names).toContain('h');
            for (const n of a.names) expect(maxDiff(a.values[n], b.values[n]), `${n} l${layer} d${dir}`).toBeLessThan(1e-4);
            expect(maxDiff(a.gradNorm, b.gradNorm)).toBeLessThan(1e-4);
            // Negative control: the CPU view of a wrong model (recurrent weights negated) is far off on every series.
            const wrong = await cpu.probe(negatedRecurrence(params), x, y, layer, dir);
            for (const n of a.names) expect(maxDiff(a.values[n], wrong.values[n]), `wrong model ${n} l${layer} d${dir}`).toBeGreaterThan(1e-3);
            expect(maxDiff(a.gradNorm, wrong.gradNorm)).toBeGreaterThan(1e-3);
          }
          const n = set.validation.count;
          const predicted = await view.predict(params, set.validation.x, n);
          expect(predicted.length).toBe(n * c.outputSize);
          expect(maxDiff(predicted, await cpu.predict(params, set.validation.x, n))).toBeLessThan(1e-4);
          expect(maxDiff(predicted, await cpu.predict(negatedRecurrence(params), set.validation.x, n))).toBeGreaterThan(1e-3);
        });
      } finally {
        view.dispose();
      }
    });
  }
});

describe('maxDiff', () => {
  it('fails on nothing to compare, on lengths that differ and on NaN, rather than reporting agreement', () => {
    expect(maxDiff([1, 2, 3], [1, 2.5, 3])).toBe(0.5);
    expect(() => maxDiff([], [])).toThrow(/0 values against 0/);
    expect(() => maxDiff(new Float32Array(0), [1])).toThrow(/0 values against 1/);
    expect(() => maxDiff([1, 2], [1])).toThrow(/2 values against 1/);
    expect(maxDiff([1, NaN, 3], [1, 2, 3])).toBe(Infinity);
    expect(maxDiff([NaN], [NaN])).toBe(Infinity);
  });
});
