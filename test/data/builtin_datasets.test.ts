// The built-in noisy sine: deterministic, well-formed, and learnable through the data layer's own forecast set.
import { describe, expect, it } from 'vitest';
import { BUILTIN_DATASET_NAME, noisySineCsv } from '../../src/data/builtin_datasets';
import { buildTrainingSet, describeTable, parseCsvString } from '../../src/data/index';

describe('built-in noisy sine', () => {
  it('is a deterministic step,value CSV with the requested rows and 4-decimal values', async () => {
    const csv = noisySineCsv();
    expect(csv).toBe(noisySineCsv(800, 7));
    expect(noisySineCsv(800, 8)).not.toBe(csv);
    expect(BUILTIN_DATASET_NAME).toBe('Noisy multi-frequency sine (built in)');
    const table = await parseCsvString(csv);
    expect(table.columns.map((c) => c.name)).toEqual(['step', 'value']);
    expect(table.rowCount).toBe(800);
    expect(describeTable(table).columns.map((c) => c.type)).toEqual(['integer', 'number']);
    for (const line of csv.trim().split('\n').slice(1)) expect(line.split(',')[1]).toMatch(/^-?\d+\.\d{4}$/);
    expect((await parseCsvString(noisySineCsv(50, 1))).rowCount).toBe(50);
  });

  it('forecasts better than persistence with a least-squares linear model on 24-step windows', async () => {
    const set = buildTrainingSet(await parseCsvString(noisySineCsv()), { task: 'forecast', targets: ['value'], timeColumn: 'step', window: 24 });
    const I = set.inputSize, T = set.window, d = T * I + 1;
    const row = (x: Float32Array, k: number) => [...x.subarray(k * T * I, (k + 1) * T * I), 1];
    // normal equations with a tiny ridge
    const a = Array.from({ length: d }, () => new Float64Array(d + 1));
    for (let k = 0; k < set.train.count; k++) {
      const r = row(set.train.x, k);
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) a[i][j] += r[i] * r[j];
        a[i][d] += r[i] * set.train.y[k];
      }
    }
    for (let i = 0; i < d; i++) a[i][i] += 1e-6;
    for (let i = 0; i < d; i++) {
      const p = a[i][i];
      for (let j = i; j <= d; j++) a[i][j] /= p;
      for (let r = 0; r < d; r++) if (r !== i) { const f = a[r][i]; for (let j = i; j <= d; j++) a[r][j] -= f * a[i][j]; }
    }
    const w = a.map((r) => r[d]);
    let sse = 0, persistence = 0;
    for (let k = 0; k < set.validation.count; k++) {
      const r = row(set.validation.x, k);
      const pred = r.reduce((s, v, i) => s + v * w[i], 0);
      sse += (pred - set.validation.y[k]) ** 2;
      persistence += (r[(T - 1) * I] - set.validation.y[k]) ** 2;
    }
    expect(sse).toBeLessThan(persistence / 2);
  });
});
