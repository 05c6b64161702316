// Every forecast transform round-trips: the engine's outputs decoded in original units equal what `predict`'s inputs
// and model.onnx (in ONNX Runtime, on raw windows) give for the same windows, and the untrained (zero-head) model is
// the transform's naive forecast.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { parseCsvString } from '../../src/data/csv_stream';
import { decodeForecast, transformMatrices, transformWindow, TRANSFORM_NAMES, type TransformName } from '../../src/data/target_transform';
import { buildTrainingSet, trainConfigFields } from '../../src/data/training_set';
import type { ForecastChoices, TrainingSet } from '../../src/data/training_types';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/config';
import { CpuEngine } from '../../src/engine/cpu_engine';
import { exportModelFiles } from '../../src/export/model_files';
import { describeTrainingData } from '../../src/model_io/data_description';
import { predictInBatches } from '../../src/model_io/engine_predict';
import { forecastInputs } from '../../src/model_io/forecast_inputs';

const N = 160, T = 12, H = 2, SEASON = 6;
/** A positive series with trend and season (v, the target) and an input u. */
const rows = Array.from({ length: N }, (_, i) => {
  const v = 50 + 0.4 * i + 6 * Math.sin((2 * Math.PI * i) / SEASON) + 1.5 * Math.sin(i * 1.7);
  const u = Math.cos(i * 0.3) * 3 + 10;
  return [v.toFixed(4), u.toFixed(4)];
});
const csv = `v,u\n${rows.map((r) => r.join(',')).join('\n')}\n`;

async function setFor(transform: TransformName) {
  const table = await parseCsvString(csv);
  const choices: ForecastChoices = { task: 'forecast', targets: ['v'], inputs: ['u'], window: T, horizon: H, season: SEASON, transform };
  const set = buildTrainingSet(table, choices);
  return { table, choices, set };
}

function configOf(set: TrainingSet): TrainConfig {
  return { ...DEFAULT_CONFIG, hiddenSize: 6, batchSize: 8, seed: 3, ...trainConfigFields(set) };
}

const maxRel = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return m;
};

describe('forecast target transforms', () => {
  for (const name of TRANSFORM_NAMES) {
    it(`${name}: engine, predict inputs and ONNX Runtime agree on raw windows in original units`, async () => {
      const { table, choices, set } = await setFor(name);
      expect(set.transform!.name).toBe(name);
      const config = configOf(set);
      const engine = new CpuEngine(config);
      // A few steps so the head is not at its initial values.
      for (let i = 0; i < 5; i++) engine.trainStep(set.train.x.subarray(0, 8 * T * config.inputSize), set.train.y.subarray(0, 8 * H), 8);
      const v = set.validation;
      const engineOut = decodeForecast(await predictInBatches(engine, config, v.x, v.count), v.decoder!);
      // The decoder gives back the true values from the targets.
      const truth = decodeForecast(v.y, v.decoder!);
      for (let n = 0; n < v.count; n++) expect(truth[n * H]).toBeCloseTo(Number(rows[v.row[n] + 1][0]), 3);

      // predict: windows built from the table with the saved description.
      const params = await engine.readParameters();
      const files = exportModelFiles(params, config, describeTrainingData(table, choices, set, 'series.csv'));
      const inputs = forecastInputs(files.manifest, table);
      const predicted = decodeForecast(await predictInBatches(engine, config, inputs.x, inputs.count), inputs.decoder!);
      const byRow = new Map(inputs.keys.map((k, i) => [k.row, i]));
      const fromPredict = Float64Array.from({ length: v.count * H }, (_, j) => predicted[byRow.get(v.row[Math.floor(j / H)])! * H + (j % H)]);
      const predictError = maxRel(fromPredict, engineOut);

      // model.onnx on the raw windows.
      const raw = new Float32Array(v.count * T * 2);
      for (let n = 0; n < v.count; n++) for (let t = 0; t < T; t++) for (let f = 0; f < 2; f++) raw[(n * T + t) * 2 + f] = Number(rows[v.row[n] - T + 1 + t][f]);
      const session = await ort.InferenceSession.create(files.onnx);
      const result = await session.run({ input: new ort.Tensor('float32', raw, [v.count, T, 2]) });
      await session.release();
      const onnxError = maxRel(result.output.data as Float32Array, engineOut);
      console.log(`[transform ${name}] predict vs engine ${predictError.toExponential(2)}, ONNX vs engine ${onnxError.toExponential(2)} (relative, ${v.count * H} values)`);
      expect(predictError).toBeLessThanOrEqual(1e-6);
      expect(onnxError).toBeLessThanOrEqual(1e-4);
      engine.dispose();
    });
  }

  it('with a zero head the model is the naive forecast: persistence (difference), seasonal naive (seasonal-difference)', async () => {
    for (const [name, source] of [['difference', (n: number) => n], ['seasonal-difference', (n: number, h: number) => n + h - SEASON]] as const) {
      const { set } = await setFor(name);
      const v = set.validation;
      const zero = decodeForecast(new Float32Array(v.count * H), v.decoder!);
      for (let n = 0; n < v.count; n++) for (let h = 1; h <= H; h++) expect(zero[n * H + h - 1]).toBeCloseTo(Number(rows[source(v.row[n], h)][0]), 3);
    }
  });

  it('the O(T) window transform equals the matrices ONNX and the scripts apply', () => {
    for (const name of ['difference', 'seasonal-difference', 'window-normalize'] as const) {
      const t = { name, season: 4, columns: [{ column: 'v', inputScale: 2, outputScale: 3 }] };
      const values = Float64Array.from({ length: 9 }, (_, i) => i * i - 3 * i);
      const maps = transformMatrices(t, 9, 3)!;
      const features = values.slice();
      const reference = new Float64Array(3);
      transformWindow(t, features, 9, 1, reference);
      for (let r = 0; r < 9; r++) expect(features[r]).toBeCloseTo(values.reduce((s, x, c) => s + maps.M[r * 9 + c] * x, 0) / 2, 10);
      for (let h = 0; h < 3; h++) expect(reference[h]).toBeCloseTo(values.reduce((s, x, c) => s + maps.C[h * 9 + c] * x, 0), 10);
    }
  });

  it('refuses what a transform cannot do, naming the limit', async () => {
    await expect(async () => buildTrainingSet(await parseCsvString(csv), { task: 'forecast', targets: ['v'], window: 4, season: SEASON, transform: 'seasonal-difference' })).rejects.toThrow(/window of at least 6 steps/);
    const negative = `v\n${Array.from({ length: 60 }, (_, i) => (i === 37 ? -1 : i + 1)).join('\n')}\n`;
    await expect(async () => buildTrainingSet(await parseCsvString(negative), { task: 'forecast', targets: ['v'], window: 4, transform: 'log' })).rejects.toThrow(/holds -1 at row 38/);
  });

  it('picks a default from the training part and says why', async () => {
    const trend = await parseCsvString(`v\n${Array.from({ length: 200 }, (_, i) => (i * 0.5 + Math.sin(i)).toFixed(3)).join('\n')}\n`);
    const a = buildTrainingSet(trend, { task: 'forecast', targets: ['v'], window: 8, season: null });
    expect(a.transform!.name).toBe('difference');
    expect(a.notes.some((n) => n.startsWith('Transform difference:'))).toBe(true);
    // White noise reverts to its mean at once: no transform.
    let s = 1;
    const noise = await parseCsvString(`v\n${Array.from({ length: 200 }, () => ((s = (s * 16807) % 2147483647) / 2147483647).toFixed(4)).join('\n')}\n`);
    const b = buildTrainingSet(noise, { task: 'forecast', targets: ['v'], window: 8, season: null });
    expect(b.transform!.name).toBe('none');
    const seasonal = await parseCsvString(`v\n${Array.from({ length: 240 }, (_, i) => (10 * Math.sin((2 * Math.PI * i) / 12) + 0.01 * i).toFixed(4)).join('\n')}\n`);
    const c = buildTrainingSet(seasonal, { task: 'forecast', targets: ['v'], window: 24 });
    expect(c.transform).toMatchObject({ name: 'seasonal-difference', season: 12 });
  });
});
