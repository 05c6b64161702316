// Tests the sampler (greedy, temperature, top-k, top-p, seeds) and the one-token-at-a-time model it steps, against the
// float64 reference engine's every-step logits for LSTM, GRU and RNN stacks.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/config';
import { ReferenceEngine } from '../../src/engine/reference_engine';
import { crossEntropySum } from '../../src/model_io/lm_score';
import { DEFAULT_SAMPLE, pickToken, primeIds, sampleProblems, sampleText, type LmVocabulary } from '../../src/model_io/sampling';
import { StepModel } from '../../src/model_io/step_model';
import { Prng } from '../../src/util/prng';

const vocab: LmVocabulary = { tokens: ['<pad>', '<unk>', 'a', 'b', 'c', ' ', '\n', 'd'], level: 'char', padId: 0, unknownId: 1 };

function lmConfig(over: Partial<TrainConfig>): TrainConfig {
  return { ...DEFAULT_CONFIG, vocabSize: 8, outputSize: 8, inputSize: 5, hiddenSize: 6, window: 7, batchSize: 2, loss: 'cross_entropy', headOn: 'every_step', seed: 11, ...over };
}

describe('pickToken', () => {
  const logits = [9, 9, 1, 3, 3, 0.5, -2, 2];
  const banned = new Set([0, 1]);

  it('greedy takes the largest allowed logit, the lower id on ties', () => {
    expect(pickToken(logits, { temperature: 0, topK: 0, topP: 1 }, new Prng(1), banned)).toBe(3);
    expect(pickToken(logits, { temperature: 0, topK: 0, topP: 1 }, new Prng(1))).toBe(0);
  });

  it('top-k 1 is greedy at any temperature, and banned ids are never drawn', () => {
    const rng = new Prng(5);
    for (let i = 0; i < 200; i++) expect(pickToken(logits, { temperature: 3, topK: 1, topP: 1 }, rng, banned)).toBe(3);
    for (let i = 0; i < 500; i++) expect(banned.has(pickToken(logits, { temperature: 5, topK: 0, topP: 1 }, rng, banned))).toBe(false);
  });

  it('draws in proportion to softmax(logits / temperature)', () => {
    const l = [0, Math.log(2), Math.log(3), Math.log(4)]; // probabilities 0.1 0.2 0.3 0.4 at temperature 1
    const rng = new Prng(7);
    const counts = [0, 0, 0, 0];
    const N = 40_000;
    for (let i = 0; i < N; i++) counts[pickToken(l, { temperature: 1, topK: 0, topP: 1 }, rng)]++;
    counts.forEach((c, i) => expect(Math.abs(c / N - (i + 1) / 10)).toBeLessThan(0.01));
    // Temperature 0.5 squares the odds: 1:4:9:16.
    const sharp = [0, 0, 0, 0];
    for (let i = 0; i < N; i++) sharp[pickToken(l, { temperature: 0.5, topK: 0, topP: 1 }, rng)]++;
    sharp.forEach((c, i) => expect(Math.abs(c / N - (i + 1) ** 2 / 30)).toBeLessThan(0.01));
  });

  it('top-k and top-p keep only the most likely tokens', () => {
    const l = [0, Math.log(2), Math.log(3), Math.log(4)];
    const rng = new Prng(9);
    const seen = (o: { topK: number; topP: number }) => {
      const s = new Set<number>();
      for (let i = 0; i < 3000; i++) s.add(pickToken(l, { temperature: 1, ...o }, rng));
      return [...s].sort();
    };
    expect(seen({ topK: 2, topP: 1 })).toEqual([2, 3]);
    expect(seen({ topK: 0, topP: 0.4 })).toEqual([3]); // 0.4 reaches 0.4
    expect(seen({ topK: 0, topP: 0.5 })).toEqual([2, 3]);
    expect(seen({ topK: 0, topP: 0.75 })).toEqual([1, 2, 3]);
  });
});

describe('StepModel', () => {
  for (const cell of ['lstm', 'gru', 'rnn'] as const) {
    it(`${cell}, 2 layers: step-by-step logits equal the reference engine's every-step logits`, async () => {
      const config = lmConfig({ cell, numLayers: 2 });
      const engine = new ReferenceEngine(config);
      const params = await engine.readParameters();
      const ids = [2, 3, 4, 5, 6, 7, 2, 6, 4, 3, 2, 5, 7, 7];
      const expected = await engine.predict(Float32Array.from(ids), 2); // [2][7][8]
      const model = new StepModel(config, params);
      for (let b = 0; b < 2; b++) {
        model.reset();
        for (let t = 0; t < 7; t++) {
          const logits = model.step(ids[b * 7 + t]);
          for (let k = 0; k < 8; k++) expect(Math.abs(logits[k] - expected[(b * 7 + t) * 8 + k])).toBeLessThan(1e-5);
        }
      }
      engine.dispose();
    });
  }

  it('refuses a bidirectional model and out-of-range tokens', async () => {
    const engine = new ReferenceEngine(lmConfig({ bidirectional: true }));
    expect(() => new StepModel(engine.config, [])).toThrow(/bidirectional/);
    const plain = new ReferenceEngine(lmConfig({}));
    expect(() => new StepModel(plain.config, []).step(0)).toThrow(/no parameter/);
    const model = new StepModel(plain.config, await plain.readParameters());
    expect(() => model.step(8)).toThrow(/outside the vocabulary/);
  });
});

describe('sampleText', () => {
  it('same seed and weights give the same sample; another seed another; greedy is deterministic', async () => {
    const engine = new ReferenceEngine(lmConfig({ hiddenSize: 8 }));
    const model = new StepModel(engine.config, await engine.readParameters());
    const o = { ...DEFAULT_SAMPLE, length: 60, temperature: 1.5, seed: 3 };
    const a = sampleText(model, vocab, 'ab', o);
    expect(sampleText(model, vocab, 'ab', o)).toEqual(a);
    expect(sampleText(model, vocab, 'ab', { ...o, seed: 4 }).text).not.toBe(a.text);
    expect(a.ids).toHaveLength(60);
    expect(a.ids.some((i) => i <= 1)).toBe(false);
    expect(a.text).toBe(a.ids.map((i) => vocab.tokens[i]).join(''));
    const g = sampleText(model, vocab, 'ab', { ...o, temperature: 0, seed: 99 });
    expect(sampleText(model, vocab, 'ab', { ...o, temperature: 0, seed: 1 })).toEqual(g);
  });

  it('primes from the text (unknown characters as <unk>), or from a line break when there is none', () => {
    expect(primeIds('abz', vocab)).toEqual([2, 3, 1]);
    expect(primeIds('', vocab)).toEqual([6]);
  });

  it('checks its options', () => {
    expect(sampleProblems(DEFAULT_SAMPLE)).toEqual([]);
    expect(sampleProblems({ ...DEFAULT_SAMPLE, temperature: -1, topP: 0, length: 0 })).toHaveLength(3);
  });
});

describe('crossEntropySum', () => {
  it('is −log softmax at the target, summed', () => {
    const nats = crossEntropySum([0, 0, 0, 0, Math.log(3), 0], [1, 1], 3);
    // Row 1: uniform over 3 → log 3; row 2: p(target) = 3/5 → log 5 − log 3.
    expect(nats).toBeCloseTo(Math.log(3) + (Math.log(5) - Math.log(3)), 12);
  });
});
