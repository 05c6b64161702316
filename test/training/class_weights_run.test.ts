// An imbalanced three-class problem (about 86 : 10 : 4) trained by a session on the CPU engine, unweighted and with
// classWeights 'balanced' (the session gives the engine the training split's weights): the weighted run's minority
// recall and macro F1 on validation are above the unweighted run's, which favours the majority class.
import { describe, expect, it } from 'vitest';
import { CpuEngine } from '../../src/engine/cpu_engine';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/config';
import { classificationScore } from '../../src/model_io/metrics';
import { balancedClassWeights } from '../../src/training/class_weights';
import { cpuEngines } from '../../src/training/engine_factory';
import type { TrainingData } from '../../src/training/types';
import { Prng } from '../../src/util/prng';
import { runSession } from './helpers';

const T = 4;
const SHARES = [0.86, 0.1, 0.04];

/** Class k's steps are noise around k · 0.7: the classes overlap, so an unweighted fit favours the majority. */
function windows(n: number, seed: number): { x: Float32Array; y: Float32Array } {
  const rng = new Prng(seed);
  const x = new Float32Array(n * T), y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.next();
    const k = u < SHARES[0] ? 0 : u < SHARES[0] + SHARES[1] ? 1 : 2;
    y[i] = k;
    for (let t = 0; t < T; t++) x[i * T + t] = k * 0.7 + rng.normal();
  }
  return { x, y };
}

const train = windows(600, 1), val = windows(600, 2);
const DATA: TrainingData = { names: ['imbalanced'], trainX: train.x, trainY: train.y, trainCount: 600, valX: val.x, valY: val.y, valCount: 600 };
const BASE: TrainConfig = { ...DEFAULT_CONFIG, loss: 'cross_entropy', outputSize: 3, hiddenSize: 8, window: T, batchSize: 32, epochs: 8, learningRate: 0.02, seed: 3 };
const NAMES = ['big', 'small', 'tiny'];

async function scored(c: TrainConfig) {
  const run = await runSession({ config: c, data: DATA, engines: cpuEngines() });
  expect(run.result.reason).toBe('completed');
  const e = new CpuEngine(c);
  e.writeParameters(await run.session.exportParameters());
  const logits = new Float32Array(600 * 3);
  for (let from = 0; from < 600; from += c.batchSize) {
    const n = Math.min(c.batchSize, 600 - from);
    logits.set(await e.predict(val.x.subarray(from * T, (from + n) * T), n), from * 3);
  }
  e.dispose();
  await run.session.dispose();
  const s = classificationScore(logits, val.y, NAMES)!;
  return { accuracy: s.accuracy, macroF1: s.macroF1, minorityRecall: (s.perClass.small.recall + s.perClass.tiny.recall) / 2, valLoss: run.result.snapshot.history.at(-1)!.valLoss };
}

describe("classWeights 'balanced' on imbalanced classes", () => {
  it('the weights are N / (C · n_c) of the training split (0 for an absent class)', () => {
    expect(Array.from(balancedClassWeights([0, 0, 0, 1], 3))).toEqual([Math.fround(4 / 9), Math.fround(4 / 3), 0]);
    expect(() => balancedClassWeights([0, 3], 3)).toThrow(/class id 3 at training target 1/);
  });

  it('lifts minority recall and macro F1 above the unweighted run', async () => {
    const plain = await scored(BASE);
    const balanced = await scored({ ...BASE, classWeights: 'balanced' });
    console.info(`imbalanced classes ${SHARES.join(' : ')}, validation: unweighted ${JSON.stringify(plain)}; balanced ${JSON.stringify(balanced)}`);
    expect(balanced.minorityRecall).toBeGreaterThan(plain.minorityRecall + 0.2);
    expect(balanced.macroF1).toBeGreaterThan(plain.macroF1);
  }, 120_000);
});
