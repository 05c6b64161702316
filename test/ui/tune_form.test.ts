// The Tune panel's form into a TuneRequest: the same parsing and messages as the CLI's --vary, the plan it makes,
// and a clear message for an empty or inverted range, a setting out of range, or a budget too small for one trial.
import { describe, expect, it } from 'vitest';
import { parseVary } from '../../src/training/tune_space';
import { DEFAULT_TUNE_FORM, describePlan, requestFromForm, type TuneForm } from '../../src/ui/tune_form';

function form(patch: Partial<TuneForm> = {}, vary: Partial<TuneForm['vary']> = {}): TuneForm {
  return { ...DEFAULT_TUNE_FORM, ...patch, vary: { ...DEFAULT_TUNE_FORM.vary, ...vary } };
}

const problem = (f: TuneForm, epochs = 4) => {
  const r = requestFromForm(f, epochs, 42, null);
  return r.ok ? null : r.problem;
};

describe('tune form', () => {
  it('makes the request the CLI would from the same text, with its plan', () => {
    const r = requestFromForm(form({ trials: '4' }), 2, 42, null);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.request).toEqual({ strategy: 'halving', space: [parseVary('hidden=8,16,32'), parseVary('lr=0.001..0.03')], trials: 4 });
    expect(r.rungs).toEqual([{ epochs: 1, trials: 4 }, { epochs: 2, trials: 2 }]);
    expect(describePlan(r.trials, r.rungs)).toBe('4 trials: 4 × 1 epoch, then 2 × 2');
    const grid = requestFromForm(form({ strategy: 'grid', trials: '', minutes: '2' }, { lr: { on: false, text: '' } }), 3, 42, null);
    expect(grid.ok && grid.request).toEqual({ strategy: 'grid', space: [parseVary('hidden=8,16,32')], minutes: 2 });
    expect(grid.ok && describePlan(grid.trials, grid.rungs)).toBe('3 trials: 3 × 3 epochs');
  });

  it('says what is wrong, in the words of tune_space and the planner', () => {
    expect(problem(form({}, { lr: { on: true, text: '0.03..0.001' } }))).toBe('lr=0.03..0.001 is inverted: write the smaller end first (lr=0.001..0.03)');
    expect(problem(form({}, { dropout: { on: true, text: '0.2..0.2' } }))).toMatch(/^dropout=0.2..0.2 is empty \(both ends are 0.2\)/);
    expect(problem(form({}, { hidden: { on: true, text: '' } }))).toBe('hidden= has no values: give a list (hidden=a,b,c) or a range (hidden=lo..hi)');
    expect(problem(form({}, { cell: { on: true, text: 'lstm,xlstm' } }))).toBe('cell "xlstm" is not one of lstm, gru, rnn');
    expect(problem(form({}, { layers: { on: true, text: '1,9' } }))).toBe('layers 9 is out of range: it must be from 1 to 4');
    expect(problem(form({ trials: '0' }))).toBe('the trial budget must be at least 1 trial (got 0)');
    expect(problem(form({ trials: 'many' }))).toBe('trials: "many" is not a number');
    expect(problem(form({ minutes: '0' }))).toBe('the time budget must be above 0 minutes (got 0)');
    expect(problem(form({}), 0)).toBe('each trial needs at least 1 epoch (got 0)');
    const none = Object.fromEntries(Object.entries(DEFAULT_TUNE_FORM.vary).map(([k, v]) => [k, { ...v, on: false }])) as TuneForm['vary'];
    expect(problem(form({}, none))).toMatch(/^nothing varies/);
  });

  it('refuses a window that cannot vary for wide sequences', () => {
    const wide = { task: 'classify-sequences', format: 'wide' } as never;
    const r = requestFromForm(form({}, { window: { on: true, text: '8,16' } }), 2, 42, wide);
    expect(r.ok ? null : r.problem).toMatch(/^window cannot vary for wide sequences/);
  });
});
