// Non-finite numbers in the training data stop a session before training, saying the data are the cause (not the
// learning rate), as does the advice after a divergence where finite data overflow float32 on their own
// (overflowing_data.gpu.test.ts runs one); finite data of the same shape train (negative control). Runs on the CPU
// engine.
import { describe, expect, it } from 'vitest';
import { checkData } from '../../src/training/batches';
import { cpuEngines } from '../../src/training/engine_factory';
import { divergenceAdvice, FLOAT32_SQUARE_LIMIT } from '../../src/training/faults';
import { runSession, sineData, TINY } from './helpers';

describe('non-finite training data', () => {
  it('checkData names the split, sample and position of the first non-finite number', () => {
    const data = sineData();
    expect(checkData(data, TINY)).toEqual([]);
    const trainX = data.trainX.slice();
    trainX[2 * 6 + 4] = Infinity;
    const valY = data.valY.slice();
    valY[3] = NaN;
    const problems = checkData({ ...data, trainX, valY }, TINY);
    expect(problems).toEqual([
      expect.stringMatching(/^the data are not finite: training input sample 3 holds Infinity at position 4 \(a value beyond the 32-bit float range/),
      expect.stringMatching(/^the data are not finite: validation target sample 4 holds NaN at position 0 /),
    ]);
    expect(problems.join(' ')).not.toMatch(/learning rate (0|1|→)/);
  });

  it('a session on such data fails at setup with that message instead of diverging', async () => {
    const data = sineData();
    const trainY = data.trainY.slice();
    trainY[5] = -Infinity;
    let failure: unknown = null;
    try {
      const r = await runSession({ config: TINY, data: { ...data, trainY }, engines: cpuEngines() });
      failure = r.errors[0] ?? r.result;
    } catch (e) {
      failure = e;
    }
    const text = JSON.stringify(failure, Object.getOwnPropertyNames(failure ?? {}));
    expect(text).toMatch(/the data are not finite: training target sample 6 holds -Infinity/);
    expect(text).not.toMatch(/lower the learning rate/);
  });

  it('the advice after a divergence names the data where they overflow on their own, the optimizer otherwise', () => {
    const ctx = { untrainedLoss: 0.5, hadValidation: true, largestInput: 3, largestTarget: 2 };
    expect(divergenceAdvice(TINY, ctx)).toMatch(/^Try to lower the learning rate/);
    expect(divergenceAdvice(TINY, { ...ctx, largestTarget: 4e19 })).toMatch(
      /^The data are the cause: the largest training target is 4\.00e\+19, whose square passes float32's largest number .* changing the learning rate will not help\.$/,
    );
    expect(divergenceAdvice(TINY, { ...ctx, untrainedLoss: NaN })).toMatch(/^The data are the cause: the untrained model's validation loss was already not finite \(the largest training input is 3\)/);
    // without validation data an untrained NaN says nothing: the optimizer's advice stands
    expect(divergenceAdvice(TINY, { ...ctx, untrainedLoss: NaN, hadValidation: false })).toMatch(/^Try to lower the learning rate/);
    expect(FLOAT32_SQUARE_LIMIT ** 2).toBeLessThan(3.4028234663852886e38);
    expect((FLOAT32_SQUARE_LIMIT * 1.03) ** 2).toBeGreaterThan(3.4028234663852886e38);
  });

  it('the same data, finite, train to the end (negative control)', async () => {
    const r = await runSession({ config: TINY, data: sineData(), engines: cpuEngines() });
    expect(r.result.reason).toBe('completed');
  });
});
