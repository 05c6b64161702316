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

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
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
            for (const n of a.names) expect(maxDiff(a.values[n], b.values[n]), `${n} l${layer} d${dir}`).toBeLessThan(1e-4);
            expect(maxDiff(a.gradNorm, b.gradNorm)).toBeLessThan(1e-4);
          }
          const n = set.validation.count;
          expect(maxDiff(await view.predict(params, set.validation.x, n), await cpu.predict(params, set.validation.x, n))).toBeLessThan(1e-4);
        });
      } finally {
        view.dispose();
      }
    });
  }
});
