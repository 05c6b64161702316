// The URL hash: every knob and the seed round-trip, data picks travel only with a built-in example, bad input is ignored.
import { describe, expect, it } from 'vitest';
import { EMPTY_FORM } from '../../src/ui/data_choices';
import { DEFAULT_KNOBS, knobsToConfig } from '../../src/ui/knobs';
import { applyHashForm, decodeHash, encodeHash } from '../../src/ui/url_state';

describe('URL hash', () => {
  it('round-trips the knobs, seed and example with the data choices', () => {
    const knobs = { ...DEFAULT_KNOBS, cell: 'gru', hiddenSize: '8', seed: '1234', learningRate: '0.003', bidirectional: 'true', schedule: 'cosine' };
    const form = { ...EMPTY_FORM, task: 'forecast' as const, target: 'temp_max', window: '14', horizon: '3', inputs: ['wind', 'a,b&c=d'] };
    const hash = encodeHash(knobs, 'seattle', form);
    const back = decodeHash(hash)!;
    expect(back.knobs).toEqual(knobs);
    expect(back.example).toBe('seattle');
    expect(back.form).toMatchObject({ task: 'forecast', target: 'temp_max', window: '14', horizon: '3', inputs: ['wind', 'a,b&c=d'] });
    const config = knobsToConfig(back.knobs).config;
    expect(config).toMatchObject({ cell: 'gru', hiddenSize: 8, seed: 1234, bidirectional: true, schedule: 'cosine' });
  });

  it('keeps no data picks for an uploaded file', () => {
    const back = decodeHash(encodeHash(DEFAULT_KNOBS, null, EMPTY_FORM))!;
    expect(back.example).toBeNull();
    expect(back.form).toBeNull();
  });

  it('ignores an empty, foreign or malformed hash', () => {
    expect(decodeHash('')).toBeNull();
    expect(decodeHash('#section-2')).toBeNull();
    const back = decodeHash('#v=1&example=nope&cell=lstm&d.task=evil&d.inputs=%5B1%2C2%5D')!;
    expect(back.example).toBeNull();
    expect(back.form).toBeNull();
    const picked = decodeHash('#v=1&example=sine&d.task=evil&d.window=12&d.inputs=not-json')!;
    expect(picked.form).toEqual({ window: '12' });
    expect(applyHashForm(EMPTY_FORM, picked.form).task).toBe(EMPTY_FORM.task);
  });

  it('treats a header named __proto__ as data', () => {
    const form = { ...EMPTY_FORM, target: '__proto__', inputs: ['constructor'] };
    const back = decodeHash(encodeHash(DEFAULT_KNOBS, 'sine', form))!;
    expect(back.form!.target).toBe('__proto__');
    expect(applyHashForm(EMPTY_FORM, back.form).inputs).toEqual(['constructor']);
    expect(Object.getPrototypeOf(applyHashForm(EMPTY_FORM, back.form))).toBe(Object.prototype);
  });
});

describe('knobs', () => {
  it('accepts a learning rate up to 1e4 and names every problem', () => {
    expect(knobsToConfig({ ...DEFAULT_KNOBS, learningRate: '10000' }).problems).toEqual([]);
    const { problems } = knobsToConfig({ ...DEFAULT_KNOBS, learningRate: '1e5', hiddenSize: 'x', cell: 'transformer' });
    expect(problems.join('; ')).toMatch(/Hidden size must be a number/);
    expect(problems.join('; ')).toMatch(/Learning rate must be from/);
    expect(problems.join('; ')).toMatch(/Cell must be one of lstm, gru, rnn/);
  });

  it('carries early-stopping patience beside the config', () => {
    expect(knobsToConfig({ ...DEFAULT_KNOBS, patience: '3' }).patience).toBe(3);
  });
});
