// Comparing saved runs: settings differences marked, metrics beside baselines with the best run picked, gradient
// flows on one log axis (older runs without one are named, not drawn).
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/engine/config';
import type { RunRecord } from '../../src/storage/checkpoint_store';
import { gradLines, metricRows, settingsRows, shortName } from '../../src/ui/run_compare';

function run(id: string, patch: Partial<RunRecord> = {}, config: Partial<RunRecord['config']> = {}): RunRecord {
  return {
    id,
    name: id,
    createdAt: 0,
    updatedAt: 0,
    status: 'done',
    config: { ...DEFAULT_CONFIG, ...config },
    fingerprint: 'f',
    datasetName: 'sine',
    epoch: 2,
    epochs: 2,
    step: 10,
    history: [
      { epoch: 0, trainLoss: NaN, valLoss: 1, learningRate: 0.01 },
      { epoch: 1, trainLoss: 0.8, valLoss: 0.5, learningRate: 0.01 },
      { epoch: 2, trainLoss: 0.6, valLoss: 0.6, learningRate: 0.01 },
    ],
    bestEpoch: 1,
    message: null,
    hasCheckpoint: true,
    ...patch,
  };
}

describe('settingsRows', () => {
  it('marks exactly the settings the runs differ in', () => {
    const rows = settingsRows([run('a', {}, { cell: 'rnn' }), run('b', {}, { cell: 'lstm', hiddenSize: 16 }), run('c', {}, { cell: 'gru' })]);
    const differing = rows.filter((r) => r.differs).map((r) => r.key);
    expect(differing).toEqual(['cell', 'hiddenSize']);
    const cell = rows.find((r) => r.key === 'cell')!;
    expect(cell.label).toBe('Cell');
    expect(cell.values).toEqual(['rnn', 'lstm', 'gru']);
    expect(rows.find((r) => r.key === 'hiddenSize')!.values).toEqual(['32', '16', '32']);
    expect(rows.find((r) => r.key === 'bidirectional')!.values).toEqual(['no', 'no', 'no']);
  });

  it('marks nothing for identical runs', () => {
    expect(settingsRows([run('a'), run('b')]).some((r) => r.differs)).toBe(false);
  });
});

describe('metricRows', () => {
  it('puts forecast errors beside each run’s baselines and picks the best run', () => {
    const base = (rmse: number) => [{ name: 'persistence' as const, description: '', validation: { count: 1, mse: rmse * rmse, rmse, mae: rmse, normalizedMse: 1 }, test: null }];
    const a = run('a', { metrics: { kind: 'forecast', epoch: 2, mse: 0.04, rmse: 0.2, mae: 0.1 }, baselines: base(0.3) });
    const b = run('b', { metrics: { kind: 'forecast', epoch: 2, mse: 0.01, rmse: 0.1, mae: 0.05 }, bestEpoch: 2, baselines: base(0.3) });
    const rows = metricRows([a, b]);
    const byLabel = Object.fromEntries(rows.map((r) => [r.label, r]));
    expect(byLabel['Best val loss'].raw).toEqual([0.5, 0.6]);
    expect(byLabel['Best val loss'].best).toBe(0);
    expect(byLabel.RMSE.raw).toEqual([0.2, 0.1]);
    expect(byLabel.RMSE.best).toBe(1);
    const baseline = byLabel['Baseline persistence (RMSE)'];
    expect(baseline.raw).toEqual([0.3, 0.3]);
    expect(baseline.baseline).toBe(true);
    expect(baseline.best).toBe(-1);
  });

  it('uses accuracy for classifiers, higher is better, and dashes for runs saved without metrics', () => {
    const a = run('a', { metrics: { kind: 'classify', epoch: 2, accuracy: 0.9, macroF1: 0.8 } }, { loss: 'cross_entropy' });
    const b = run('b', {}, { loss: 'cross_entropy' });
    const c = run('c', { metrics: { kind: 'classify', epoch: 2, accuracy: 0.95, macroF1: 0.7 } }, { loss: 'cross_entropy' });
    const acc = metricRows([a, b, c]).find((r) => r.label === 'Accuracy')!;
    expect(acc.values).toEqual(['90.0%', '—', '95.0%']);
    expect(acc.best).toBe(2);
  });
});

describe('gradLines', () => {
  it('draws every run with a flow on one decade-aligned axis and names the runs without one', () => {
    const a = run('a', { gradFlow: { step: 5, epoch: 1, layer: 0, direction: 0, norms: [1e-4, 1e-2, 0.5] } });
    const b = run('b');
    const c = run('c', { gradFlow: { step: 5, epoch: 1, layer: 0, direction: 0, norms: [0.2, 0, 3] } });
    const g = gradLines([a, b, c]);
    expect(g.window).toBe(3);
    expect(g.lines.map((l) => l.runIndex)).toEqual([0, 2]);
    expect(g.lines[1].values).toEqual([0.2, null, 3]);
    expect(g.domain).toEqual([1e-4, 10]);
    expect(g.missing).toEqual([1]);
  });

  it('pads a shorter window so every line shares the time axis', () => {
    const a = run('a', { gradFlow: { step: 1, epoch: 0, layer: 0, direction: 0, norms: [1, 1] } });
    const b = run('b', { gradFlow: { step: 1, epoch: 0, layer: 0, direction: 0, norms: [1, 1, 1, 1] } });
    const g = gradLines([a, b]);
    expect(g.window).toBe(4);
    expect(g.lines[0].values).toEqual([1, 1, null, null]);
    expect(g.domain).toEqual([1, 10]);
  });
});

describe('shortName', () => {
  it('drops the data’s name the Data row already shows', () => {
    expect(shortName(run('x', { name: 'sine · LSTM 8 · Dec 2', datasetName: 'sine' }))).toBe('LSTM 8 · Dec 2');
    expect(shortName(run('x', { name: 'my run', datasetName: 'sine' }))).toBe('my run');
  });
});
