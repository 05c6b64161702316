// Tests the head on every step's data: per-step targets of horizon-1 forecast windows, the last step's outputs, and
// which training sets allow it.
import { describe, expect, it } from 'vitest';
import { parseCsvString } from '../../src/data/csv_stream';
import { unscaleValue } from '../../src/data/scaling';
import { everyStepProblem, everyStepTargets, lastStepOutputs, targetsFor } from '../../src/data/step_targets';
import { buildTrainingSet, trainConfigFields, type ForecastChoices } from '../../src/data/training_set';
import { trainingDataOf } from '../../src/training/from_training_set';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('head on every step', () => {
  it('step t of a window is trained on the value right after it: the next input, then the window target', async () => {
    // two targets and an input column: a = i, b = 100 + 2i, x = (i * 7) % 5
    const rows = range(60).map((i) => `${i},${100 + 2 * i},${(i * 7) % 5}`);
    const table = await parseCsvString(`a,b,x\n${rows.join('\n')}\n`);
    const set = buildTrainingSet(table, { task: 'forecast', transform: 'none', targets: ['a', 'b'], inputs: ['x'], window: 6 } as ForecastChoices);
    const y = everyStepTargets(set.train, set.window, set.inputSize, 2);
    expect(y.length).toBe(set.train.count * 6 * 2);
    for (const s of [0, 7, set.train.count - 1]) {
      const first = Math.round(unscaleValue(set.train.x[s * 6 * set.inputSize], set.normalization!.inputs[0]));
      for (let t = 0; t < 6; t++) {
        const [ya, yb] = [y[(s * 6 + t) * 2], y[(s * 6 + t) * 2 + 1]];
        expect(unscaleValue(ya, set.normalization!.targets[0])).toBeCloseTo(first + t + 1, 3);
        expect(unscaleValue(yb, set.normalization!.targets[1])).toBeCloseTo(100 + 2 * (first + t + 1), 3);
      }
    }
    // the last step's target is the window's own
    expect(Array.from(y.subarray(5 * 2, 6 * 2))).toEqual(Array.from(set.train.y.subarray(0, 2)));
    expect(trainConfigFields(set, 'every_step')).toMatchObject({ headOn: 'every_step', outputSize: 2 });
    const data = trainingDataOf(set, ['t'], 'every_step');
    expect(data.valY.length).toBe(set.validation.count * 6 * 2);
    expect(data.trainY).toEqual(y);
  });

  it('is refused, with the reason, for a horizon over 1 and for classification; the config falls back to the last step', async () => {
    const table = await parseCsvString(`v\n${range(80).join('\n')}\n`);
    const h3 = buildTrainingSet(table, { task: 'forecast', transform: 'none', targets: ['v'], window: 8, horizon: 3 } as ForecastChoices);
    expect(everyStepProblem(h3)).toMatch(/set the horizon to 1 \(it is 3\)/);
    expect(trainConfigFields(h3, 'every_step').headOn).toBe('last_step');
    expect(() => targetsFor(h3, h3.train, 'every_step')).toThrow(/horizon to 1/);
    expect(everyStepProblem({ task: 'classify-sequences' })).toMatch(/one label/);
    expect(everyStepProblem({ task: 'forecast', horizon: null })).toBeNull();
  });

  it('the last step of every-step outputs is what a prediction reports', () => {
    const out = Float32Array.from(range(2 * 3 * 2), (i) => i); // [2 samples][3 steps][2 outputs]
    expect(Array.from(lastStepOutputs(out, 2, 3, 2))).toEqual([4, 5, 10, 11]);
    expect(() => lastStepOutputs(out, 2, 4, 2)).toThrow(/not 2·4·2/);
  });
});
