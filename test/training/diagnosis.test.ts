// The run diagnosis: each check on constructed runs built to trigger it and on runs that must not, its advice matching
// the cause; then on real runs of the CPU engine (a long-window RNN's gradient, huge inputs' gates, a too-low LR).
import { describe, expect, it } from 'vitest';
import type { Baseline } from '../../src/data/baselines';
import { parseCsvString } from '../../src/data/csv_stream';
import { buildTrainingSet } from '../../src/data/training_set';
import type { TrainingSet } from '../../src/data/training_types';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/config';
import { CpuEngine } from '../../src/engine/cpu_engine';
import { diagnose } from '../../src/training/diagnosis';
import { dataFacts, probeFacts } from '../../src/training/diagnosis_facts';
import { DiagnosisRecorder } from '../../src/training/diagnosis_recorder';
import type { DataFacts, DiagnosedConfig, DiagnosisInput, Finding, ProbeFacts } from '../../src/training/diagnosis_types';
import { cpuEngines } from '../../src/training/engine_factory';
import type { EpochRecord } from '../../src/training/types';
import { runSession, sineData, TINY } from './helpers';

const CONFIG: DiagnosedConfig = {
  cell: 'lstm', hiddenSize: 32, numLayers: 1, dropout: 0, learningRate: 0.01, epochs: 20, clipNorm: 0, weightDecay: 0,
  window: 24, headOn: 'last_step', loss: 'mse', optimizer: 'adam', patience: 0,
};

const FORECAST_DATA: DataFacts = {
  task: 'forecast', validationOutsideRange: 0.02, trainRange: [-1.8, 1.9], validationRange: [-1.7, 1.8], inputMaxAbs: 2.1, targetMaxAbs: 1.9,
  trainClassCounts: null, classNames: null, transform: 'none',
};

const forecastBaselines = (persistence: number, seasonal: number): Baseline[] => [
  { name: 'persistence', description: 'Predicts the last value seen.', validation: { count: 100, mse: persistence, rmse: Math.sqrt(persistence), mae: 0, normalizedMse: persistence }, test: null },
  { name: 'seasonal-naive', description: 'Predicts the value one season (24 steps) earlier.', validation: { count: 100, mse: seasonal, rmse: Math.sqrt(seasonal), mae: 0, normalizedMse: seasonal }, test: null },
];

/** Losses falling from the untrained 1.0: train by `train`, validation by `val` (one entry per epoch). */
function history(train: number[], val: number[], untrained = 1): EpochRecord[] {
  return [{ epoch: 0, trainLoss: NaN, valLoss: untrained, learningRate: 0.01 }, ...train.map((t, k) => ({ epoch: k + 1, trainLoss: t, valLoss: val[k], learningRate: 0.01 }))];
}

/** Norms that wander around 1 (±30%), seeded, with spikes where asked. */
function norms(n: number, spikes: Record<number, number> = {}): number[] {
  let s = 7;
  return Array.from({ length: n }, (_, k) => {
    s = (s * 16807) % 2147483647;
    return spikes[k] ?? 0.7 + 0.6 * (s / 2147483647);
  });
}

const HEALTHY_PROBE: ProbeFacts = {
  epoch: 5, cell: 'lstm', layer: 0, direction: 0, gradNorm: Array.from({ length: 24 }, (_, t) => 0.02 * 1.1 ** t),
  pinned: [{ gate: 'i', share: 0.06 }, { gate: 'f', share: 0.25 }, { gate: 'g', share: 0 }, { gate: 'o', share: 0.03 }],
};

/** A healthy forecasting run: both losses fall, the model beats the baselines, steady gradients, lively gates. */
function healthy(patch: Partial<DiagnosisInput> = {}): DiagnosisInput {
  return {
    history: history([0.6, 0.35, 0.25, 0.2, 0.17, 0.15, 0.14, 0.13], [0.5, 0.33, 0.26, 0.22, 0.2, 0.19, 0.185, 0.18]),
    final: true,
    endReason: 'completed',
    config: CONFIG,
    data: FORECAST_DATA,
    baselines: forecastBaselines(0.4, 0.3),
    validation: { mse: 0.18 },
    gradNorms: norms(200),
    probe: HEALTHY_PROBE,
    ...patch,
  };
}

const checks = (f: Finding[]) => f.map((x) => x.check);
const only = (f: Finding[], check: Finding['check']) => {
  expect(checks(f)).toEqual([check]);
  return f[0];
};

describe('diagnose: a healthy run', () => {
  it('finds nothing, while training and at the end', () => {
    expect(diagnose(healthy())).toEqual([]);
    expect(diagnose(healthy({ final: false }))).toEqual([]);
  });

  it('writes every finding with the fields other tools read', () => {
    const f = diagnose(healthy({ validation: { mse: 0.5 } }));
    expect(f.length).toBeGreaterThan(0);
    for (const x of f) {
      expect(Object.keys(x).sort()).toEqual(['advice', 'apply', 'check', 'message', 'severity']);
      expect(['info', 'warning', 'problem']).toContain(x.severity);
      expect(x.message.length).toBeGreaterThan(20);
      expect(x.advice.length).toBeGreaterThan(20);
    }
  });
});

describe('loses-to-baseline', () => {
  it('random walk: persistence wins and nothing is outside the training range → "no model beat persistence", difference transform', () => {
    const f = only(diagnose(healthy({ validation: { mse: 0.5 }, baselines: forecastBaselines(0.4, 0.6) })), 'loses-to-baseline');
    expect(f.severity).toBe('problem');
    expect(f.message).toContain('No model beat persistence: changes in this series look unpredictable');
    expect(f.message).toContain('0.5');
    expect(f.message).toContain('1.25×');
    expect(f.apply).toEqual({ transform: 'difference' });
  });

  it('kept at its starting point: a transform whose untrained model is persistence, and no epoch beat it → "no model beat persistence"', () => {
    const data = { ...FORECAST_DATA, transform: 'difference' };
    const f = only(diagnose(healthy({ validation: { mse: 0.4 * (1 + 3e-7) }, baselines: forecastBaselines(0.4, 0.6), data })), 'loses-to-baseline');
    expect([f.severity, f.apply]).toEqual(['warning', null]);
    expect(f.message).toContain('kept at that forecast');
    expect(f.message).toContain('No model beat persistence: changes in this series look unpredictable');
    // The same numbers without such a transform are a model that merely ties: no finding; and one that beats it: none.
    expect(diagnose(healthy({ validation: { mse: 0.4 }, baselines: forecastBaselines(0.4, 0.6) }))).toEqual([]);
    expect(diagnose(healthy({ validation: { mse: 0.3 }, baselines: forecastBaselines(0.4, 0.6), data }))).toEqual([]);
  });

  it('trend: validation targets beyond the training range → the reason is the range, difference transform', () => {
    const data = { ...FORECAST_DATA, validationOutsideRange: 0.64, validationRange: [1.2, 3.4] as [number, number] };
    const f = only(diagnose(healthy({ validation: { mse: 2.5 }, data })), 'loses-to-baseline');
    expect(f.message).toContain('64% of the validation targets lie outside the range of the training targets');
    expect(f.message).not.toContain('unpredictable');
    expect(f.advice).toContain("'difference'");
    expect(f.apply).toEqual({ transform: 'difference' });
    // Already differenced: no transform to propose again.
    const again = only(diagnose(healthy({ validation: { mse: 2.5 }, data: { ...data, transform: 'difference' } })), 'loses-to-baseline');
    expect(again.apply).toBeNull();
  });

  it('seasonal naive wins → seasonal-difference', () => {
    const f = only(diagnose(healthy({ validation: { mse: 0.35 }, baselines: forecastBaselines(0.9, 0.3) })), 'loses-to-baseline');
    expect(f.apply).toEqual({ transform: 'seasonal-difference' });
  });

  it('stays silent when the model beats or ties the best baseline, before 3 epochs of a live run, and without a score', () => {
    expect(diagnose(healthy({ validation: { mse: 0.3 } }))).toEqual([]);
    const early = healthy({ final: false, validation: { mse: 0.5 }, history: history([0.6, 0.35], [0.5, 0.33]) });
    expect(diagnose(early)).toEqual([]);
    expect(checks(diagnose({ ...early, final: true }))).toEqual(['loses-to-baseline']);
    expect(diagnose(healthy({ validation: null }))).toEqual([]);
  });
});

const classData = (counts: number[]): DataFacts => ({
  task: 'classify-sequences', validationOutsideRange: NaN, trainRange: null, validationRange: null, inputMaxAbs: 2, targetMaxAbs: NaN,
  trainClassCounts: counts, classNames: counts.map((_, k) => ['ok', 'fault', 'other'][k]), transform: 'none',
});
const majority = (accuracy: number): Baseline[] => [{ name: 'majority-class', description: 'Always predicts "ok", the most common class in training.', validation: { count: 200, accuracy }, test: null }];
const classRun = (counts: number[], base: number, acc: number): DiagnosisInput =>
  healthy({ data: classData(counts), baselines: majority(base), validation: { accuracy: acc }, config: { ...CONFIG, loss: 'cross_entropy' }, history: history([0.5, 0.4, 0.35], [0.5, 0.42, 0.4], 0.69) });

describe('majority-class', () => {
  it('imbalanced classes with accuracy at the majority rate → balanced class weights, applied in one click', () => {
    const f = only(diagnose(classRun([900, 100], 0.9, 0.9)), 'majority-class');
    expect(f.severity).toBe('problem');
    expect(f.message).toContain('"ok" is 90% of the training samples');
    expect(f.advice).toMatch(/class weights 'balanced'/);
    expect(f.advice).toMatch(/macro F1/);
    expect(f.apply).toEqual({ classWeights: 'balanced' });
  });

  it('with class weights on already, the advice is to rebalance the data, and nothing is applied', () => {
    const run = classRun([900, 100], 0.9, 0.9);
    const f = only(diagnose({ ...run, config: { ...run.config, classWeights: 'balanced' } }), 'majority-class');
    expect(f.advice).toMatch(/weighted in the loss already/);
    expect(f.advice).toMatch(/oversample/);
    expect(f.apply).toBeNull();
  });

  it('stays silent on balanced classes at the same accuracy, and on an imbalanced set the model beats', () => {
    expect(diagnose(classRun([500, 500], 0.5, 0.5))).toEqual([]);
    expect(diagnose(classRun([900, 100], 0.9, 0.96))).toEqual([]);
  });

  it('a classifier well below the majority baseline loses to it', () => {
    const f = only(diagnose(classRun([500, 500], 0.52, 0.4)), 'loses-to-baseline');
    expect(f.message).toContain('below the majority-class baseline');
  });
});

describe('overfitting', () => {
  const over = history([0.5, 0.3, 0.2, 0.15, 0.1, 0.07], [0.45, 0.32, 0.3, 0.31, 0.33, 0.36]);
  it('validation rising while training falls for 3 epochs → regularize, the first applicable fix applied', () => {
    const f = only(diagnose(healthy({ history: over, final: false })), 'overfitting');
    expect(f.message).toContain('0.3 at epoch 3 → 0.36 at epoch 6');
    expect(f.apply).toEqual({ weightDecay: 1e-4 });
    expect(f.advice).toMatch(/early stopping/);
    // Two layers without dropout: dropout first (it does nothing in a one-layer model, so it is not offered there).
    expect(only(diagnose(healthy({ history: over, config: { ...CONFIG, numLayers: 2 } })), 'overfitting').apply).toEqual({ dropout: 0.2 });
    expect(f.advice).not.toMatch(/dropout/);
    expect(only(diagnose(healthy({ history: over, config: { ...CONFIG, weightDecay: 1e-3 } })), 'overfitting').apply).toEqual({ patience: 3 });
    // Early stopping already on: it keeps the best epoch, so the finding is information, and the next fix is offered.
    const kept = only(diagnose(healthy({ history: over, config: { ...CONFIG, weightDecay: 1e-3, patience: 4 } })), 'overfitting');
    expect([kept.severity, kept.apply]).toEqual(['info', { hiddenSize: 16 }]);
    expect(kept.message).toContain('keeps the weights of epoch 3');
  });

  it('stays silent on 2 rising epochs, on both losses rising, and on a flat validation loss', () => {
    expect(diagnose(healthy({ history: history([0.5, 0.3, 0.2, 0.15, 0.1], [0.45, 0.32, 0.3, 0.31, 0.33]) }))).toEqual([]);
    expect(diagnose(healthy({ history: history([0.5, 0.3, 0.32, 0.35, 0.4], [0.45, 0.3, 0.31, 0.33, 0.35]) }))).toEqual([]);
    expect(diagnose(healthy({ history: history([0.5, 0.3, 0.2, 0.15, 0.1], [0.3, 0.3001, 0.3002, 0.3003, 0.3004]) }))).toEqual([]);
  });
});

describe('underfitting', () => {
  const flat = history([0.99, 0.98, 0.97, 0.97], [1, 0.99, 0.99, 0.98]);
  it('training loss near the untrained loss: the advice follows the settings', () => {
    const low = only(diagnose(healthy({ history: flat, validation: null, config: { ...CONFIG, learningRate: 1e-6 } })), 'underfitting');
    expect(low.message).toContain('97% of the untrained');
    expect(low.apply).toEqual({ learningRate: 0.01 });
    expect(only(diagnose(healthy({ history: flat, validation: null, config: { ...CONFIG, hiddenSize: 4 } })), 'underfitting').apply).toEqual({ hiddenSize: 16 });
    expect(only(diagnose(healthy({ history: flat, validation: null })), 'underfitting').apply).toEqual({ epochs: 40 });
  });

  it('a loss that bounced back under a high learning rate → a lower one; huge inputs → the data, never a lower rate', () => {
    const bounced = history([0.6, 0.95, 1.2, 0.98], [0.7, 1, 1.3, 1]);
    const hi = only(diagnose(healthy({ history: bounced, validation: null, config: { ...CONFIG, learningRate: 0.5 } })), 'underfitting');
    expect(hi.apply).toEqual({ learningRate: 0.05 });
    const data = { ...FORECAST_DATA, inputMaxAbs: 4000 };
    const huge = only(diagnose(healthy({ history: bounced, validation: null, data, config: { ...CONFIG, learningRate: 0.5 } })), 'underfitting');
    expect(huge.apply).toBeNull();
    expect(huge.advice).toContain('outliers');
    expect(huge.advice).not.toMatch(/lower learning rate|Try 0\.05/);
  });

  it('waits 3 epochs while training; stays silent once the loss fell', () => {
    expect(diagnose(healthy({ history: history([0.99, 0.98], [1, 0.99]), final: false, validation: null }))).toEqual([]);
    expect(diagnose(healthy({ history: history([0.99, 0.8, 0.6], [1, 0.8, 0.6]), validation: null }))).toEqual([]);
  });
});

describe('exploding-gradient', () => {
  it('spikes far above the median → clipping at a round value near 3× the median', () => {
    const f = only(diagnose(healthy({ gradNorms: norms(200, { 50: 40, 120: 300 }) })), 'exploding-gradient');
    expect(f.message).toMatch(/^2 of 200 sampled steps/);
    expect(f.message).toContain('largest 300');
    expect(f.apply).toEqual({ clipNorm: 5 });
    expect(f.advice).not.toMatch(/learning rate/);
  });

  it('a diverged run without a sampled spike: clipping (or, with clipping on, a lower rate); data that overflowed: the data, never a lower rate', () => {
    const f = only(diagnose(healthy({ endReason: 'diverged' })), 'exploding-gradient');
    expect([f.severity, f.apply]).toEqual(['problem', { clipNorm: 5 }]);
    expect(only(diagnose(healthy({ endReason: 'diverged', config: { ...CONFIG, clipNorm: 1 } })), 'exploding-gradient').apply).toEqual({ learningRate: 0.001 });
    for (const data of [{ ...FORECAST_DATA, targetMaxAbs: 3e38 }, { ...FORECAST_DATA, inputMaxAbs: Infinity }]) {
      const d = only(diagnose(healthy({ endReason: 'diverged', data })), 'exploding-gradient');
      expect(d.apply).toBeNull();
      expect(d.advice).toContain('the overflow comes from the data');
      expect(d.advice).not.toMatch(/lower the learning rate|\(to 0\.001\)/i);
    }
  });

  it('stays silent on steady norms, on a norm that falls steadily 100-fold, on too few samples, and once clipping is tight', () => {
    expect(diagnose(healthy({ gradNorms: norms(500) }))).toEqual([]);
    expect(diagnose(healthy({ gradNorms: Array.from({ length: 300 }, (_, k) => 10 * 0.01 ** (k / 299)) }))).toEqual([]);
    expect(diagnose(healthy({ gradNorms: [1, 1, 1, 100] }))).toEqual([]);
    expect(diagnose(healthy({ gradNorms: norms(200, { 50: 40 }), config: { ...CONFIG, clipNorm: 2 } }))).toEqual([]);
  });
});

describe('vanishing-gradient', () => {
  const fading = (cell: ProbeFacts['cell']): ProbeFacts => ({ ...HEALTHY_PROBE, cell, gradNorm: Array.from({ length: 48 }, (_, t) => 0.7 ** (47 - t)) });
  it('‖∂L/∂h_t‖ at the start below 1e-3 of its end: an RNN → LSTM, an LSTM → a shorter window', () => {
    const rnn = only(diagnose(healthy({ probe: fading('rnn') })), 'vanishing-gradient');
    expect(rnn.apply).toEqual({ cell: 'lstm' });
    expect(rnn.message).toContain('window 48');
    // healthy() beats its best baseline by 40%: a fading LSTM is then only worth a note (a shorter window trains faster).
    const beating = only(diagnose(healthy({ probe: fading('lstm') })), 'vanishing-gradient');
    expect([beating.severity, beating.apply]).toEqual(['info', { window: 24 }]);
    const level = only(diagnose(healthy({ probe: fading('lstm'), validation: { mse: 0.29 } })), 'vanishing-gradient');
    expect([level.severity, level.apply]).toEqual(['warning', { window: 24 }]);
  });

  it('stays silent on a gradient that reaches the start, on the reverse direction and with a head on every step', () => {
    expect(diagnose(healthy({ probe: { ...fading('rnn'), gradNorm: Array.from({ length: 48 }, (_, t) => 0.9 ** (47 - t)) } }))).toEqual([]);
    expect(diagnose(healthy({ probe: { ...fading('rnn'), direction: 1 } }))).toEqual([]);
    expect(diagnose(healthy({ probe: fading('rnn'), config: { ...CONFIG, headOn: 'every_step' } }))).toEqual([]);
    // The untrained model's gradient always fades (PyTorch's initialization): it is not judged.
    expect(diagnose(healthy({ probe: { ...fading('rnn'), epoch: 0 } }))).toEqual([]);
  });
});

describe('saturated-gates', () => {
  const pinned: ProbeFacts = { ...HEALTHY_PROBE, pinned: [{ gate: 'i', share: 0.9 }, { gate: 'f', share: 1 }, { gate: 'g', share: 0.6 }, { gate: 'o', share: 0.8 }] };
  it('most units pinned → a lower learning rate, unless the inputs are huge (then the data, and no learning-rate change)', () => {
    const f = only(diagnose(healthy({ probe: pinned })), 'saturated-gates');
    expect(f.message).toMatch(/^83% of the gate units of layer 1 \(i 90%, f 100%, g 60%, o 80%\)/);
    expect(f.apply).toEqual({ learningRate: 0.001 });
    expect(diagnose(healthy({ probe: { ...pinned, epoch: 0 } }))).toEqual([]);
    const huge = only(diagnose(healthy({ probe: pinned, data: { ...FORECAST_DATA, inputMaxAbs: 1e6 } })), 'saturated-gates');
    expect(huge.apply).toBeNull();
    expect(huge.advice).toContain('a lower learning rate would not help');
  });
});

describe('facts', () => {
  it('probeFacts counts the units pinned on most steps, per bounded gate', () => {
    // T 10, H 4: unit 0 always at 1, unit 1 at 0 on 9 of 10 steps, unit 2 at 0 on 8, unit 3 lively.
    const T = 10, H = 4;
    const v = new Float32Array(T * H);
    for (let t = 0; t < T; t++) {
      v[t * H] = 0.995;
      v[t * H + 1] = t < 9 ? 0.01 : 0.5;
      v[t * H + 2] = t < 8 ? 0.01 : 0.5;
      v[t * H + 3] = 0.5;
    }
    const tanh = v.map((x) => 2 * x - 1);
    const p = probeFacts({ epoch: 1, cell: 'lstm', layer: 0, direction: 0, window: T, hidden: H, names: ['i', 'f', 'g', 'o', 'c', 'h'], values: [v, v, tanh, new Float32Array(T * H).fill(0.5), v, v], gradNorm: new Float32Array(T).fill(1) });
    expect(p.pinned).toEqual([{ gate: 'i', share: 0.5 }, { gate: 'f', share: 0.5 }, { gate: 'g', share: 0.5 }, { gate: 'o', share: 0 }]);
  });

  it('dataFacts: the share of validation targets outside the training range, input size, class counts', () => {
    const split = (x: number[], y: number[]) => ({ count: y.length, x: Float32Array.from(x), y: Float32Array.from(y), group: new Int32Array(y.length), row: new Int32Array(y.length) });
    const set = {
      task: 'forecast', vocabSize: 0, targets: ['v'], classNames: undefined,
      train: split([0.5, -3, 1], [0, 1, 2, 3]), validation: split([1], [2.5, 3.5, 4, -1]), test: split([], []),
      counts: {},
    } as unknown as TrainingSet;
    const f = dataFacts(set);
    expect([f.validationOutsideRange, f.trainRange, f.validationRange, f.inputMaxAbs, f.targetMaxAbs, f.transform]).toEqual([0.75, [0, 3], [-1, 4], 3, 3, 'none']);
    expect(dataFacts({ ...set, transform: { name: 'difference' } } as TrainingSet & { transform: { name: string } }).transform).toBe('difference');
  });
});

describe('facts of real training sets', () => {
  const series = async (value: (i: number) => number) => {
    const rows = Array.from({ length: 400 }, (_, i) => `${i},${value(i).toFixed(4)}`);
    const table = await parseCsvString(`t,value\n${rows.join('\n')}\n`);
    return dataFacts(buildTrainingSet(table, { task: 'forecast', targets: ['value'], timeColumn: 't', window: 12, transform: 'none' }));
  };

  it('a rising trend puts the validation targets above the training range: the baseline finding blames the trend', async () => {
    const trend = await series((i) => 0.05 * i + Math.sin(i * 0.5));
    expect(trend.validationOutsideRange).toBeGreaterThan(0.5);
    const f = only(diagnose(healthy({ data: trend, validation: { mse: 9 } })), 'loses-to-baseline');
    expect(f.message).toMatch(/\d+% of the validation targets lie outside the range of the training targets/);
    expect(f.apply).toEqual({ transform: 'difference' });
  });

  it('a steady sine keeps them inside', async () => {
    expect((await series((i) => Math.sin(i * 0.5))).validationOutsideRange).toBeLessThan(0.05);
  });
});

describe('on real runs of the CPU engine', () => {
  /** Trains a CPU engine `epochs` epochs on sine windows (inputs × scale), then probes its first validation window. */
  const trainedProbe = async (config: TrainConfig, epochs: number, scale = 1) => {
    const T = config.window, d = sineData(160, 20, T), B = config.batchSize;
    const e = new CpuEngine(config);
    try {
      const x = d.trainX.map((v) => v * scale);
      for (let ep = 0; ep < epochs; ep++) {
        for (let b = 0; b < d.trainCount; b += B) {
          const n = Math.min(B, d.trainCount - b);
          e.trainStep(x.slice(b * T, (b + n) * T), d.trainY.slice(b, b + n), n);
        }
      }
      await e.settled();
      const p = await e.probe(d.valX.slice(0, T).map((v) => v * scale), d.valY.slice(0, 1), 0, 0);
      return probeFacts({ epoch: epochs, cell: config.cell, layer: 0, direction: 0, window: T, hidden: config.hiddenSize, names: p.names, values: p.names.map((n) => p.values[n]), gradNorm: p.gradNorm });
    } finally {
      e.dispose();
    }
  };

  it('an RNN on a 64-step window loses the gradient after an epoch (→ LSTM); a 32-unit LSTM on 12 steps keeps it', async () => {
    const rnn = await trainedProbe({ ...DEFAULT_CONFIG, cell: 'rnn', hiddenSize: 8, window: 64, seed: 3 }, 1);
    expect(rnn.gradNorm[0] / rnn.gradNorm[63]).toBeLessThan(1e-3);
    expect(only(diagnose(healthy({ probe: rnn })), 'vanishing-gradient').apply).toEqual({ cell: 'lstm' });
    const lstm = await trainedProbe({ ...DEFAULT_CONFIG, window: 12, seed: 3 }, 5);
    expect(lstm.gradNorm[0] / lstm.gradNorm[11]).toBeGreaterThan(1e-3);
    expect(diagnose(healthy({ probe: lstm }))).toEqual([]);
  });

  it('inputs of ±1000 pin the gates (the advice is the data, and the gradient they stop is not blamed on the window); ±1 do not', async () => {
    const cfg = { ...DEFAULT_CONFIG, hiddenSize: 8, window: 12, seed: 5 };
    const huge = await trainedProbe(cfg, 0, 1000);
    expect(huge.gradNorm[0] / huge.gradNorm[11]).toBeLessThan(1e-3);
    const f = only(diagnose(healthy({ probe: { ...huge, epoch: 1 }, data: { ...FORECAST_DATA, inputMaxAbs: 1000 } })), 'saturated-gates');
    expect(f.apply).toBeNull();
    expect(diagnose(healthy({ probe: await trainedProbe(cfg, 3) }))).toEqual([]);
  });

  it('a session at learning rate 1e-7 underfits (raise it); the same session at 0.02 shows no learning problem', async () => {
    const run = async (learningRate: number) => {
      const config = { ...TINY, epochs: 4, learningRate };
      const rec = new DiagnosisRecorder({ ...config, patience: 0 }, { ...FORECAST_DATA, inputMaxAbs: 1.3 }, []);
      const r = await runSession({ config, data: sineData(), engines: cpuEngines(), snapshotIntervalMs: 0 }, (s) => rec.noteSnapshot(s));
      return rec.diagnose(r.result.snapshot.history, true, r.result.reason);
    };
    const low = only(await run(1e-7), 'underfitting');
    expect(low.apply).toEqual({ learningRate: 0.01 });
    expect(await run(0.02)).toEqual([]);
  });
});
