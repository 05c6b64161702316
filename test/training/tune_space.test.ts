// Tests the forecast transform as a search setting: parsed and checked as a choice, a data setting only (the set is
// rebuilt for it, the config stays), and refused outside a forecast.
import { describe, expect, it } from 'vitest';
import type { TrainingChoices } from '../../src/data/training_types';
import { DEFAULT_CONFIG } from '../../src/engine/config';
import { applySettings, choicesFor, dataKey, describeDataSettings, parseVary, spaceProblem, variesTransform } from '../../src/training/tune_space';

const forecast: TrainingChoices = { task: 'forecast', targets: ['v'], window: 12, transform: 'difference' };

describe('transform as a search setting', () => {
  it('parses a list of transforms and refuses a range or an unknown one', () => {
    expect(parseVary('transform=None,difference,seasonal-difference').domain).toEqual({ kind: 'list', values: ['none', 'difference', 'seasonal-difference'] });
    expect(() => parseVary('transform=none..log')).toThrow(/transform is a choice, not a number: list its values \(transform=none,difference,seasonal-difference,log,window-normalize\)/);
    expect(() => parseVary('transform=sqrt')).toThrow(/transform "sqrt" is not one of none, difference/);
    expect(variesTransform([parseVary('hidden=4,8')])).toBe(false);
    expect(variesTransform([parseVary('hidden=4,8'), parseVary('transform=none,log')])).toBe(true);
  });

  it('changes the data choices, not the config, and keys the set by window and transform', () => {
    expect(applySettings(DEFAULT_CONFIG, { transform: 'log', hidden: 7 })).toEqual({ ...DEFAULT_CONFIG, hiddenSize: 7 });
    expect(choicesFor(forecast, { transform: 'log', window: 20 })).toEqual({ ...forecast, transform: 'log', window: 20 });
    expect(choicesFor(forecast, { hidden: 7 })).toBe(forecast);
    expect(new Set([dataKey({}), dataKey({ window: 8 }), dataKey({ transform: 'log' }), dataKey({ window: 8, transform: 'log' })]).size).toBe(4);
    expect(dataKey({ window: 8, transform: 'log', hidden: 4 })).toBe(dataKey({ window: 8, transform: 'log', hidden: 16 }));
    expect(describeDataSettings({ hidden: 4, transform: 'log', window: 8 })).toBe('window=8, transform=log');
  });

  it('is refused for a task other than forecast', () => {
    const space = [parseVary('transform=none,difference')];
    expect(spaceProblem(space, forecast)).toBeNull();
    expect(spaceProblem(space, { task: 'generate', window: 16 } as TrainingChoices)).toMatch(/^transform cannot vary for a generate task: it is the forecast target transform/);
  });
});
