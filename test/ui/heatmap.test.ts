// Heatmap math: the colour scale reads in grayscale, gate domains, unit order by activity, saturation, pixels, hover.
import { describe, expect, it } from 'vitest';
import { activityOrder, cellAt, gateDomain, heatmapPixels, luminance, saturationOverTime, viridis } from '../../src/ui/heatmap';
import { gradHeatmap, gradLineRows } from '../../src/ui/charts/gradient_data';

describe('viridis', () => {
  it('rises monotonically in lightness, so it reads in grayscale', () => {
    let last = -1;
    for (let k = 0; k <= 100; k++) {
      const l = luminance(viridis(k / 100));
      expect(l).toBeGreaterThan(last);
      last = l;
    }
    expect(luminance(viridis(1)) - luminance(viridis(0))).toBeGreaterThan(0.6);
  });

  it('clamps and marks non-finite values gray', () => {
    expect(viridis(-3)).toEqual(viridis(0));
    expect(viridis(7)).toEqual(viridis(1));
    expect(viridis(NaN)).toEqual([128, 128, 128]);
  });
});

describe('gates', () => {
  it('uses [0, 1] for sigmoid gates, [-1, 1] for tanh, and a symmetric range for the cell state', () => {
    expect(gateDomain('f', [0.2])).toEqual([0, 1]);
    expect(gateDomain('g', [0.2])).toEqual([-1, 1]);
    expect(gateDomain('c', [0.5, -3])).toEqual([-3, 3]);
  });

  it('orders units by mean |value|, most active first', () => {
    // T = 2, H = 3: unit 2 is most active, then 0, then 1.
    expect(activityOrder([0.5, 0, -0.9, 0.5, 0.1, 0.9], 2, 3)).toEqual([2, 0, 1]);
  });

  it('counts saturated units per step', () => {
    // T = 2, H = 4
    expect(saturationOverTime('i', [0.01, 0.5, 0.99, 0.5, 0.5, 0.5, 0.5, 0.5], 2, 4)).toEqual([0.5, 0]);
    expect(saturationOverTime('h', [-0.99, 0.2, 0.97, 0.96, 0, 0, 0, 0], 2, 4)).toEqual([0.75, 0]);
  });

  it('draws one pixel per cell, time across and units down in display order', () => {
    const px = heatmapPixels(Float32Array.from([0, 1, 1, 0]), 2, 2, [1, 0], [0, 1]);
    // row 0 shows unit 1: t=0 -> 1 (bright), t=1 -> 0 (dark)
    expect(Array.from(px.slice(0, 3))).toEqual(viridis(1));
    expect(Array.from(px.slice(4, 7))).toEqual(viridis(0));
    expect(px[3]).toBe(255);
  });

  it('finds the cell under the pointer', () => {
    expect(cellAt(0, 0, 100, 50, 10, 5)).toEqual({ t: 0, row: 0 });
    expect(cellAt(99.9, 49.9, 100, 50, 10, 5)).toEqual({ t: 9, row: 4 });
    expect(cellAt(100, 10, 100, 50, 10, 5)).toBeNull();
  });
});

describe('gradient flow data', () => {
  it('lays the latest profile of each cell type side by side when windows agree', () => {
    const byCell = { lstm: { step: 1, epoch: 0, window: 3, norms: Float32Array.from([1, 2, 3]) }, rnn: { step: 1, epoch: 0, window: 4, norms: Float32Array.from([1, 1, 1, 1]) } };
    const { rows, cells } = gradLineRows(byCell, 3);
    expect(cells).toEqual(['lstm']);
    expect(rows.map((r) => r.lstm)).toEqual([1, 2, 3]);
  });

  it('turns the history into log10 columns', () => {
    const h = gradHeatmap([{ step: 1, epoch: 0, norms: Float32Array.from([1, 10]) }, { step: 2, epoch: 0, norms: Float32Array.from([100, 1000]) }]);
    expect(h!.columns).toBe(2);
    expect(Array.from(h!.values)).toEqual([0, 1, 2, 3]);
    expect(h!.domain).toEqual([0, 3]);
    expect(gradHeatmap([])).toBeNull();
  });
});
