// Presets: each is a valid config on a built-in example, with the textbook model's real settings.
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../src/data/examples/index';
import { EMPTY_FORM } from '../../src/ui/data_choices';
import { knobsToConfig } from '../../src/ui/knobs';
import { PRESETS, presetById, presetKnobs } from '../../src/ui/presets';

function config(id: string) {
  const p = presetById(id);
  if (!p) throw new Error(`no preset ${id}`);
  return knobsToConfig(presetKnobs(p));
}

describe('presets', () => {
  it('each one is a valid config on a built-in example, with form fields the data panel knows', () => {
    expect(new Set(PRESETS.map((p) => p.id)).size).toBe(PRESETS.length);
    for (const p of PRESETS) {
      expect(EXAMPLES.map((e) => e.id)).toContain(p.example);
      const { problems } = knobsToConfig(presetKnobs(p));
      expect(problems, p.id).toEqual([]);
      for (const key of Object.keys(p.form)) expect(Object.keys(EMPTY_FORM), `${p.id}: ${key}`).toContain(key);
    }
  });

  it('reproduces the textbook settings', () => {
    const stacked = config('stacked-lstm-classifier').config;
    expect(stacked.cell).toBe('lstm');
    expect(stacked.numLayers).toBeGreaterThanOrEqual(2);
    expect(stacked.optimizer).toBe('adam');
    expect(presetById('stacked-lstm-classifier')!.example).toBe('shapes');

    const reg = config('lstm128-regressor').config;
    expect([reg.cell, reg.hiddenSize, reg.numLayers, reg.epochs, reg.optimizer]).toEqual(['lstm', 128, 1, 10, 'adam']);
    expect(presetById('lstm128-regressor')!.example).toBe('sine');

    const two = config('stacked-lstm128-softmax').config;
    expect([two.cell, two.hiddenSize, two.numLayers, two.epochs, two.batchSize, two.learningRate]).toEqual(['lstm', 128, 2, 10, 32, 0.001]);
    expect(presetById('stacked-lstm128-softmax')!.example).toBe('digits');

    const b32 = config('lstm128-softmax-b32').config;
    expect([b32.cell, b32.hiddenSize, b32.numLayers, b32.batchSize]).toEqual(['lstm', 128, 1, 32]);
  });

  it('RNN vs LSTM vs GRU trains each cell on the same data and starts with the first', () => {
    const p = presetById('rnn-lstm-gru')!;
    expect([...p.cells!].sort()).toEqual(['gru', 'lstm', 'rnn']);
    expect(presetKnobs(p).cell).toBe(p.cells![0]);
    expect(p.knobs.cell).toBeUndefined();
  });

  it('lays its values over the defaults, so nothing from an earlier setup leaks in', () => {
    const k = presetKnobs(presetById('lstm128-regressor')!);
    expect(k.seed).toBe('42');
    expect(k.dropout).toBe('0');
    expect(presetById('nope')).toBeNull();
  });
});
