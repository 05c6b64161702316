// End to end on the GPU engine (Dawn): a training set from each dataset shape trains past its baseline (forecasts: persistence).
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/config';
import { RecurrentTrainer } from '../../src/engine/recurrent_trainer';
import { parseCsvPath } from '../../src/data/csv_node';
import { parseCsvString } from '../../src/data/csv_stream';
import { decodeForecast } from '../../src/data/target_transform';
import { buildTrainingSet, trainConfigFields, type TrainingChoices, type TrainingSet } from '../../src/data/training_set';
import type { DataTable } from '../../src/data/table';
import { fixturePath } from '../data/helpers';
import { useGpu } from '../gpu/harness';

const gpu = useGpu();

/** Trains on the training split and returns the head outputs for the validation split. */
async function trainAndPredict(set: TrainingSet, overrides: Partial<TrainConfig>): Promise<Float32Array> {
  const config: TrainConfig = { ...DEFAULT_CONFIG, hiddenSize: 24, batchSize: 16, learningRate: 0.02, seed: 5, ...overrides, ...trainConfigFields(set) };
  const trainer = await RecurrentTrainer.create(gpu.ctx().device, config);
  const stepValues = set.train.x.length / set.train.count;
  const yWidth = set.train.y.length / set.train.count;
  const B = config.batchSize;
  for (let epoch = 0; epoch < (overrides.epochs ?? 30); epoch++) {
    for (let s = 0; s < set.train.count; s += B) {
      const b = Math.min(B, set.train.count - s);
      trainer.trainStep(set.train.x.subarray(s * stepValues, (s + b) * stepValues), set.train.y.subarray(s * yWidth, (s + b) * yWidth), b);
    }
    await gpu.ctx().device.queue.onSubmittedWorkDone();
  }
  const out = new Float32Array(set.validation.count * set.outputSize);
  for (let s = 0; s < set.validation.count; s += B) {
    const b = Math.min(B, set.validation.count - s);
    out.set(await trainer.predict(set.validation.x.subarray(s * stepValues, (s + b) * stepValues), b), s * set.outputSize);
  }
  trainer.dispose();
  return out;
}

function accuracy(set: TrainingSet, logits: Float32Array): number {
  let hits = 0;
  for (let n = 0; n < set.validation.count; n++) {
    const row = Array.from(logits.subarray(n * set.outputSize, (n + 1) * set.outputSize));
    if (row.indexOf(Math.max(...row)) === set.validation.y[n]) hits++;
  }
  return hits / set.validation.count;
}

function mseInOriginalUnits(set: TrainingSet, predictions: Float32Array): number {
  const predicted = decodeForecast(predictions, set.validation.decoder!);
  const actual = decodeForecast(set.validation.y, set.validation.decoder!);
  return predicted.reduce((sum, p, i) => sum + (p - actual[i]) ** 2, 0) / predicted.length;
}

async function check(name: string, table: DataTable, choices: TrainingChoices, overrides: Partial<TrainConfig> = {}) {
  const set = buildTrainingSet(table, choices);
  const predictions = await trainAndPredict(set, overrides);
  if (set.task === 'forecast') {
    const mse = mseInOriginalUnits(set, predictions);
    const baselines = set.baselines.map((b) => `${b.name} ${(b.validation as { mse: number }).mse.toFixed(3)}`).join(', ');
    console.log(`[${name}] validation MSE ${mse.toFixed(3)}; baselines: ${baselines}`);
    const persistence = set.baselines.find((b) => b.name === 'persistence')!.validation as { mse: number };
    expect(mse).toBeLessThan(persistence.mse);
  } else {
    const acc = accuracy(set, predictions);
    const majority = (set.baselines[0].validation as { accuracy: number }).accuracy;
    console.log(`[${name}] validation accuracy ${acc.toFixed(3)}; majority class ${majority.toFixed(3)}`);
    expect(acc).toBeGreaterThan(majority);
  }
}

describe('each dataset shape trains past its baseline', () => {
  it('one series (dated, weekly cycle)', () =>
    gpu.scoped(async () => {
      await check('one series', await parseCsvPath(fixturePath('one_series.csv')), { task: 'forecast', targets: ['sales'], timeColumn: 'date', window: 14 });
    }));

  it('several series in long format', () =>
    gpu.scoped(async () => {
      const rows = ['station,hour,temp'];
      for (let s = 0; s < 3; s++) for (let h = 0; h < 80; h++) rows.push(`st${s},${h},${(10 * s + 5 * Math.sin((2 * Math.PI * h) / 12 + s)).toFixed(3)}`);
      const table = await parseCsvString(rows.join('\n'));
      await check('long', table, { task: 'forecast', targets: ['temp'], timeColumn: 'hour', groupColumn: 'station', window: 12, season: null });
    }));

  it('one sequence per row (wide, UCR style)', () =>
    gpu.scoped(async () => {
      await check('wide', await parseCsvPath(fixturePath('wide_ucr.csv')), { task: 'classify-sequences', format: 'wide', labelColumn: 'column_1' }, { epochs: 40 });
    }));

  it('text and label', () =>
    gpu.scoped(async () => {
      await check('text', await parseCsvPath(fixturePath('text_label.csv')), { task: 'classify-text', textColumn: 'review', labelColumn: 'sentiment', embeddingSize: 16 }, { epochs: 40 });
    }));
});
