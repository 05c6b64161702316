// A text-generation set starts from the CLI's generate defaults wherever a knob still holds the general default.
import { describe, expect, it } from 'vitest';
import { GENERATE_DEFAULTS } from '../../src/model_io/train_options';
import { DEFAULT_KNOBS, knobsForTask } from '../../src/ui/knobs';

describe('knobsForTask', () => {
  it('generate: the larger model and clipping of `train --task generate`, keeping what a person set', () => {
    const next = knobsForTask('generate', DEFAULT_KNOBS);
    expect([next.hiddenSize, next.epochs, next.clipNorm, next.learningRate]).toEqual(
      [GENERATE_DEFAULTS.hiddenSize, GENERATE_DEFAULTS.epochs, GENERATE_DEFAULTS.clipNorm, GENERATE_DEFAULTS.learningRate].map(String),
    );
    expect(next.cell).toBe(DEFAULT_KNOBS.cell);
    const mine = knobsForTask('generate', { ...DEFAULT_KNOBS, hiddenSize: '8', epochs: '3' });
    expect([mine.hiddenSize, mine.epochs, mine.clipNorm]).toEqual(['8', '3', String(GENERATE_DEFAULTS.clipNorm)]);
  });

  it('other tasks keep the knobs as they are', () => {
    for (const task of ['forecast', 'classify-sequences', 'classify-text']) expect(knobsForTask(task, DEFAULT_KNOBS)).toBe(DEFAULT_KNOBS);
  });
});
