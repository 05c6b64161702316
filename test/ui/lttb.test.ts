// LTTB down-sampling and smoothing for the loss charts: shape kept, ends kept, 100,000 points in milliseconds.
import { describe, expect, it } from 'vitest';
import { downsampleRows, lttbIndices } from '../../src/ui/lttb';
import { smoothSeries } from '../../src/ui/smoothing';
import { lossChartRows } from '../../src/ui/charts/loss_data';

describe('lttbIndices', () => {
  it('returns every point when there are no more than the threshold', () => {
    expect(lttbIndices([0, 1, 2], [5, 6, 7], 10)).toEqual([0, 1, 2]);
  });

  it('keeps exactly `threshold` points, the first and the last, in order', () => {
    const n = 1000;
    const xs = Array.from({ length: n }, (_, i) => i);
    const ys = xs.map((x) => Math.sin(x / 30));
    const idx = lttbIndices(xs, ys, 50);
    expect(idx).toHaveLength(50);
    expect(idx[0]).toBe(0);
    expect(idx.at(-1)).toBe(n - 1);
    for (let i = 1; i < idx.length; i++) expect(idx[i]).toBeGreaterThan(idx[i - 1]);
  });

  it('keeps a lone spike that uniform striding would miss', () => {
    const n = 10_000;
    const xs = Array.from({ length: n }, (_, i) => i);
    const ys = xs.map((x) => (x === 4321 ? 100 : 1));
    expect(lttbIndices(xs, ys, 100)).toContain(4321);
    const stride = Array.from({ length: 100 }, (_, k) => Math.round((k * (n - 1)) / 99));
    expect(stride).not.toContain(4321);
  });

  it('skips non-finite points', () => {
    const idx = lttbIndices([0, 1, 2, 3], [1, NaN, 3, Infinity], 10);
    expect(idx).toEqual([0, 2]);
  });

  it('down-samples 100,000 points to 400 in well under 100 ms', () => {
    const n = 100_000;
    const xs = new Float64Array(n).map((_, i) => i);
    const ys = new Float64Array(n).map((_, i) => Math.exp(-i / 20_000) + 0.05 * Math.sin(i));
    const t0 = performance.now();
    const idx = lttbIndices(xs, ys, 400);
    const ms = performance.now() - t0;
    expect(idx).toHaveLength(400);
    expect(ms).toBeLessThan(100);
  });
});

describe('downsampleRows', () => {
  it('merges the picks of every series, so each keeps its extremes', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => ({ epoch: i, train: i === 100 ? 50 : 1, val: i === 4000 ? -50 : 0 }));
    const out = downsampleRows(rows, 'epoch', ['train', 'val'], 100);
    expect(out.length).toBeLessThanOrEqual(200);
    expect(out.map((r) => r.epoch)).toContain(100);
    expect(out.map((r) => r.epoch)).toContain(4000);
    expect(out[0].epoch).toBe(0);
    expect(out.at(-1)!.epoch).toBe(4999);
  });

  it('leaves short tables alone', () => {
    const rows = [{ epoch: 0, train: 1 }];
    expect(downsampleRows(rows, 'epoch', ['train'], 10)).toBe(rows);
  });
});

describe('smoothing and the loss chart rows', () => {
  it('weight 0 is the identity; heavier weights damp noise and start in place', () => {
    const v = [1, 3, 1, 3, 1, 3];
    expect(smoothSeries(v, 0)).toEqual(v);
    const s = smoothSeries(v, 0.9) as number[];
    expect(s[0]).toBeCloseTo(1);
    expect(Math.max(...s.slice(2)) - Math.min(...s.slice(2))).toBeLessThan(1);
  });

  it('passes gaps through and drops values a log axis cannot draw', () => {
    expect(smoothSeries([null, 2, NaN], 0.5)).toEqual([null, 2, NaN]);
    const rows = lossChartRows([{ epoch: 0, train: null, val: 1, lr: null }, { epoch: 1, train: 0, val: 0.5, lr: 0.01 }], 0, true);
    expect(rows[1].train).toBeNull();
    expect(rows[1].val).toBe(0.5);
  });
});
