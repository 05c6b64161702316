// Numbers at the edges of the double range (±1e300, 1e-300), infinities in number columns, and scaled values past float32.
import { describe, expect, it } from 'vitest';
import { infiniteCellValue, parseNumberCell } from '../../src/data/cell_values';
import { parseCsvString } from '../../src/data/csv_stream';
import { guessShape } from '../../src/data/dataset_shape';
import { describeTable } from '../../src/data/describe_table';
import { FLOAT32_MAX, fitScaling, scaleValue, unscaleForecast, unscaleValue } from '../../src/data/scaling';
import { columnNamed } from '../../src/data/table';
import { buildTrainingSet, suggestedChoices } from '../../src/data/training_set';
import { errorOf, numbersOf } from './helpers';

const wave = (i: number) => Math.sin(i * 0.3) + 0.3 * Math.sin(i * 1.1);
const csv = (values: (number | string)[]) => `t,value\n${values.map((v, i) => `${i},${v}`).join('\n')}\n`;

describe('fitScaling at the edges of the double range', () => {
  it('values around ±1e300 get a finite mean and standard deviation, and scale to ordinary sizes', () => {
    const values = Array.from({ length: 200 }, (_, i) => wave(i) * 1e300);
    const s = fitScaling('v', 'zscore', values);
    const mean = values.reduce((a, v) => a + v / 1e300, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, v) => a + (v / 1e300 - mean) ** 2, 0) / values.length);
    expect(s.center / 1e300).toBeCloseTo(mean, 12);
    expect(s.scale / 1e300).toBeCloseTo(std, 12);
    const scaled = values.map((v) => scaleValue(v, s));
    expect(Math.max(...scaled.map(Math.abs))).toBeLessThan(5);
    values.forEach((v, i) => expect(Math.abs(unscaleValue(scaled[i], s) - v)).toBeLessThan(1e-10 * 1e300));
  });

  it('values around 1e-300 are scaled up instead of being taken for a constant', () => {
    const values = Array.from({ length: 100 }, (_, i) => wave(i) * 1e-300);
    const s = fitScaling('v', 'zscore', values);
    expect(s.scale).toBeGreaterThan(1e-301);
    expect(s.scale).toBeLessThan(1e-299);
    expect(Math.max(...values.map((v) => Math.abs(scaleValue(v, s))))).toBeGreaterThan(1);
  });

  it('min-max over a span wider than the double range still scales every value to a finite number in [0, 2]', () => {
    const values = [-1.7e308, 0, 1.7e308];
    const s = fitScaling('v', 'minmax', values);
    const scaled = values.map((v) => scaleValue(v, s));
    expect(scaled.every((v) => Number.isFinite(v) && v >= 0 && v <= 2)).toBe(true);
    expect(unscaleValue(scaled[2], s) / 1.7e308).toBeCloseTo(1, 10);
  });

  it('ordinary numbers get exactly the scaling the direct formulas give (negative control)', () => {
    const values = Array.from({ length: 50 }, (_, i) => 3 + 0.1 * i + Math.cos(i));
    const mean = values.reduce((a, v) => a + v, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
    expect(fitScaling('v', 'zscore', values)).toEqual({ column: 'v', method: 'zscore', center: mean, scale: std });
    expect(fitScaling('v', 'minmax', [2, 5, 3])).toEqual({ column: 'v', method: 'minmax', center: 2, scale: 3 });
    expect(fitScaling('v', 'zscore', [7, 7, 7]).scale).toBe(1);
  });
});

describe('a forecast on values around ±1e300', () => {
  it('trains on finite float32 inputs and targets that come back in original units', async () => {
    const values = Array.from({ length: 200 }, (_, i) => wave(i) * 1e300);
    const table = await parseCsvString(csv(values.map((v) => v.toExponential(6))));
    const profile = describeTable(table).columns[1];
    const written = numbersOf(table, 'value');
    expect(profile.mean! / 1e300).toBeCloseTo(written.reduce((a, v) => a + v / 1e300, 0) / written.length, 10);
    expect(profile.std! / 1e300).toBeGreaterThan(0.5);
    expect(profile.std! / 1e300).toBeLessThan(1);
    const set = buildTrainingSet(table, { task: 'forecast', targets: ['value'], timeColumn: 't', window: 8 });
    for (const split of [set.train, set.validation, set.test]) {
      expect(split.x.every(Number.isFinite)).toBe(true);
      expect(split.y.every(Number.isFinite)).toBe(true);
      expect(Math.max(...Array.from(split.y, Math.abs))).toBeLessThan(5);
    }
    const original = unscaleForecast(set.test.y, set.normalization!.targets);
    const read = numbersOf(table, 'value');
    Array.from(set.test.row).forEach((lastRow, n) => expect(original[n] / read[lastRow + 1]).toBeCloseTo(1, 5));
  });

  it('a value that scales past float32 is an error naming its row and column, not a training failure', async () => {
    const values: (number | string)[] = Array.from({ length: 200 }, (_, i) => wave(i).toFixed(5));
    values[170] = '1e300';
    const table = await parseCsvString(csv(values));
    const e = errorOf(() => buildTrainingSet(table, { task: 'forecast', targets: ['value'], timeColumn: 't', window: 8 }));
    expect(e.message).toMatch(/^Row 171 \(line 172 of the file\), column "value": "1e\+300" cannot be used: the training part's mean is .* past the largest 32-bit float/);
    expect(e.message).not.toMatch(/learning rate/);
    expect([e.row, e.column]).toEqual([171, 'value']);
  });

  it('the same spike well inside float32 trains (negative control)', async () => {
    const values: (number | string)[] = Array.from({ length: 200 }, (_, i) => wave(i).toFixed(5));
    values[170] = '1e30';
    const set = buildTrainingSet(await parseCsvString(csv(values)), { task: 'forecast', targets: ['value'], timeColumn: 't', window: 8 });
    expect(set.test.x.every(Number.isFinite)).toBe(true);
  });

  it('a wide sequence step past float32 is named by its row and step column; in training it only widens the spread', async () => {
    const wide = (spikeRow: number) => {
      const rows = Array.from({ length: 40 }, (_, r) => `${r % 2 ? 'up' : 'down'},${Array.from({ length: 8 }, (_, t) => (r === spikeRow && t === 5 ? '1e200' : ((r % 2 ? t : 8 - t) / 8).toFixed(3))).join(',')}`);
      return parseCsvString(`label,${Array.from({ length: 8 }, (_, t) => `s${t}`).join(',')}\n${rows.join('\n')}\n`);
    };
    const choices = { task: 'classify-sequences', format: 'wide', labelColumn: 'label' } as const;
    const [outside, inside] = [await wide(33), await wide(37)];
    // With seed 42, row 34 lands in validation or test, row 38 in training.
    const e = errorOf(() => buildTrainingSet(outside, choices));
    expect(e.message).toMatch(/^Row 34 \(line 35 of the file\), column "s5": "1e\+200" cannot be used: the training part's mean is 0.5 /);
    expect([e.row, e.column]).toEqual([34, 's5']);
    const set = buildTrainingSet(inside, choices);
    expect([set.train, set.validation, set.test].every((s) => s.x.every(Number.isFinite))).toBe(true);
    expect(set.normalization!.inputs[0].scale).toBeGreaterThan(1e198);
  });
});

describe('infinite values in a number column', () => {
  it('reads inf, -inf, Infinity, ∞ and overflowing numbers as infinite, and nothing else', () => {
    expect(['inf', '-inf', '+Inf', 'Infinity', '-infinity', '∞', '1e400', '-2e999'].map((c) => infiniteCellValue(c))).toEqual([
      Infinity, -Infinity, Infinity, Infinity, -Infinity, Infinity, Infinity, -Infinity,
    ]);
    expect(['1e300', 'info', 'infinite', 'NaN', ''].map((c) => infiniteCellValue(c))).toEqual([NaN, NaN, NaN, NaN, NaN]);
    expect(parseNumberCell('inf')).toBeNaN();
    expect(parseNumberCell('1e400')).toBeNaN();
  });

  it('a few infinities: the error names each cell and offers the missing-value policy', async () => {
    const values: (number | string)[] = Array.from({ length: 100 }, (_, i) => wave(i).toFixed(5));
    values[17] = 'inf';
    values[90] = '-inf';
    const table = await parseCsvString(csv(values));
    const e = errorOf(() => buildTrainingSet(table, { task: 'forecast', targets: ['value'], window: 8 }));
    expect(e.message).toBe(
      'Column "value" holds 2 infinite values (row 18 (line 19 of the file): "inf", row 91 (line 92): "-inf"), and the column is used as a target; ' +
        'a model can only learn from finite numbers. Empty those cells to treat them as missing values, which the missing-value policy then handles ' +
        '(drop the windows or sequences that touch them, forward-fill or interpolate), or write finite numbers there.',
    );
    expect([e.row, e.column, e.value]).toEqual([18, 'value', 'inf']);
    expect(describeTable(table).warnings.map((w) => w.message)).toEqual([
      'Column "value" has 2 infinite values, which a model cannot learn from: row 18 (line 19 of the file): "inf", row 91 (line 92): "-inf". ' +
        'Empty them to treat them as missing values (the missing-value policy — drop, forward-fill or interpolate — then applies).',
    ]);
  });

  it('many infinities keep the column numeric, so the suggestion names the cells instead of "no column holds numbers"', async () => {
    const values = Array.from({ length: 70 }, (_, i) => (i % 7 === 0 ? 'inf' : i % 7 === 3 ? '-inf' : wave(i).toFixed(5)));
    const table = await parseCsvString(`value\n${values.join('\n')}\n`);
    expect(columnNamed(table, 'value').kind).toBe('number');
    expect(guessShape(table)).toMatchObject({ suggestedTask: 'forecast', valueColumns: ['value'] });
    const e = errorOf(() => buildTrainingSet(table, suggestedChoices(table)));
    expect(e.message).toMatch(/^Column "value" holds 20 infinite values \(row 1 \(line 2 of the file\): "inf", row 4 \(line 5\): "-inf", .* and 15 more\)/);
  });

  it('an infinity as the first cell still starts a number column', async () => {
    const table = await parseCsvString(csv(['inf', ...Array.from({ length: 30 }, (_, i) => i)]));
    const column = columnNamed(table, 'value');
    expect(column.kind).toBe('number');
    expect(column.kind !== 'text' && column.invalid).toEqual({ rows: [0], values: ['inf'] });
  });

  it('text among numbers is still reported as text, before any infinity (negative control)', async () => {
    const values: (number | string)[] = Array.from({ length: 100 }, (_, i) => i);
    values[5] = 'inf';
    values[40] = 'oops';
    const table = await parseCsvString(csv(values));
    const e = errorOf(() => buildTrainingSet(table, { task: 'forecast', targets: ['value'], window: 8 }));
    expect(e.message).toBe('Row 41 (line 42 of the file), column "value": "oops" is not a number, and the column is used as a target. Fix or empty that cell, or leave the column out.');
    const kinds = describeTable(table).warnings.map((w) => w.message.slice(0, 40));
    expect(kinds).toEqual(['Column "value" has an infinite value, wh', 'Column "value" has 1 cell that is not nu']);
  });

  it('a column of mostly words stays text, "inf" among them (negative control)', async () => {
    const words = Array.from({ length: 30 }, (_, i) => (i === 3 ? 'inf' : `word${i}x`));
    const table = await parseCsvString(`w\n${words.join('\n')}\n`);
    expect(columnNamed(table, 'w').kind).toBe('text');
  });
});
