// A head on every step trained end to end on a forecast set (GPU engine): it learns, its prediction is its last
// step's output, and the CPU engine's view agrees.
import { describe, expect, it } from 'vitest';
import { parseCsvString } from '../../src/data/csv_stream';
import { buildTrainingSet, trainConfigFields, type ForecastChoices } from '../../src/data/training_set';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/config';
import { RecurrentTrainer } from '../../src/engine/recurrent_trainer';
import { predictWithWeights } from '../../src/model_io/engine_predict';
import { trainingDataOf } from '../../src/training/from_training_set';
import { ModelView } from '../../src/worker/model_view';
import { useGpu } from '../gpu/harness';
import { runSession } from './helpers';
import { gpuEngines } from '../../src/training/engine_factory';

const gpu = useGpu();

describe('head on every step', () => {
  it('trains on a forecast set, and predicts with its last step', () =>
    gpu.scoped(async () => {
      const rows = Array.from({ length: 240 }, (_, i) => (Math.sin(i * 0.3) + 0.4 * Math.sin(i * 0.83)).toFixed(5));
      const set = buildTrainingSet(await parseCsvString(`v\n${rows.join('\n')}\n`), { task: 'forecast', targets: ['v'], window: 12, transform: 'none' } as ForecastChoices);
      const config: TrainConfig = { ...DEFAULT_CONFIG, hiddenSize: 12, batchSize: 16, epochs: 6, learningRate: 0.02, seed: 5, ...trainConfigFields(set, 'every_step') };
      expect(config.headOn).toBe('every_step');
      const data = trainingDataOf(set, ['sine'], 'every_step');
      const r = await runSession({ config, data, engines: gpuEngines(gpu.ctx()) });
      const h = r.result.snapshot.history;
      console.log(`[every step] val loss by epoch ${h.map((e) => e.valLoss.toFixed(4)).join(' ')}`);
      expect(r.result.reason).toBe('completed');
      expect(h[6].valLoss).toBeLessThan(0.5 * h[0].valLoss);

      const params = await r.session.exportParameters();
      const { x, count } = set.validation;
      const predicted = await predictWithWeights(gpu.ctx().device, config, params, x, count);
      expect(predicted.length).toBe(count);
      const trainer = await RecurrentTrainer.create(gpu.ctx().device, { ...config, batchSize: count });
      trainer.writeParameters(params);
      const all = await trainer.predict(x, count); // [count][window][1]
      trainer.dispose();
      for (let s = 0; s < count; s++) expect(predicted[s]).toBe(all[s * 12 + 11]);
      // its forecasts beat persistence on the validation windows (normalized units)
      let mse = 0, persistence = 0;
      for (let s = 0; s < count; s++) {
        mse += (predicted[s] - set.validation.y[s]) ** 2;
        persistence += (x[s * 12 + 11] - set.validation.y[s]) ** 2;
      }
      expect(mse).toBeLessThan(persistence);
      // the CPU reference engine's view reports the same last step
      const cpu = await new ModelView(null, config).predict(params, x, count);
      let worst = 0;
      for (let s = 0; s < count; s++) worst = Math.max(worst, Math.abs(cpu[s] - predicted[s]));
      expect(worst).toBeLessThan(1e-4);
      await r.session.dispose();
    }), 120_000);
});
