// The Why panel's Apply: a finding's settings in words, what the page cannot apply (and why), and the knobs it sets.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyAdvice, applyProblem, describePatch } from '../../src/ui/apply_advice';
import { EMPTY_FORM } from '../../src/ui/data_choices';
import { knobsToConfig } from '../../src/ui/knobs';
import { appStore, INITIAL_STATE } from '../../src/ui/store';

describe('apply advice', () => {
  it('names the settings', () => {
    expect(describePatch({ cell: 'lstm' })).toBe('cell LSTM');
    expect(describePatch({ learningRate: 0.01 })).toBe('learning rate 0.01');
    expect(describePatch({ dropout: 0.2, patience: 3 })).toBe('dropout 0.2, early stopping patience 3');
    expect(describePatch({ classWeights: 'balanced' })).toBe('class weights balanced');
  });

  it('says why a patch cannot be applied here: a transform outside forecasting, a window fixed by wide rows', () => {
    expect(applyProblem({ learningRate: 0.01 }, EMPTY_FORM)).toBeNull();
    expect(applyProblem({ window: 12 }, EMPTY_FORM)).toBeNull();
    expect(applyProblem({ transform: 'difference' }, EMPTY_FORM)).toBeNull();
    expect(applyProblem({ transform: 'difference' }, { ...EMPTY_FORM, task: 'classify-text' })).toMatch(/forecasts only/);
    expect(applyProblem({ window: 12 }, { ...EMPTY_FORM, task: 'classify-sequences', format: 'wide' })).toMatch(/fixed/);
    expect(applyProblem({ classWeights: 'balanced' }, { ...EMPTY_FORM, task: 'classify-sequences' })).toBeNull();
    expect(applyProblem({ classWeights: 'balanced' }, { ...EMPTY_FORM, task: 'forecast' })).toMatch(/classifiers only/);
  });

  afterEach(() => {
    vi.clearAllTimers();
    vi.useRealTimers();
  });

  it('sets the knobs and the data form it names, and nothing else', () => {
    // the controller's debounced sends (choices to the worker, the URL hash) are page work: held back here
    vi.useFakeTimers();
    appStore.update(INITIAL_STATE);
    const before = appStore.get().knobs;
    applyAdvice({ cell: 'gru', learningRate: 0.001, window: 16, transform: 'difference' });
    const s = appStore.get();
    expect([s.knobs.cell, s.knobs.learningRate, s.form.window, s.form.transform]).toEqual(['gru', '0.001', '16', 'difference']);
    expect({ ...s.knobs, cell: before.cell, learningRate: before.learningRate }).toEqual(before);
  });

  it('sets the class-weights knob, which the next run config carries', () => {
    vi.useFakeTimers();
    appStore.update(INITIAL_STATE);
    expect(appStore.get().knobs.classWeights).toBe('none');
    applyAdvice({ classWeights: 'balanced' });
    expect(appStore.get().knobs.classWeights).toBe('balanced');
    const { config, problems } = knobsToConfig(appStore.get().knobs);
    expect([config.classWeights, problems]).toEqual(['balanced', []]);
  });
});
