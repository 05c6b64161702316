// The Samples panel's worker side: settings checked, one sample at a time from a copy of the weights, text tasks only;
// and a .txt loaded the page's way (its lines as one text column) with the generate form round trip.
import { describe, expect, it } from 'vitest';
import { buildGenerateSet } from '../../src/data/generate_set';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/config';
import { ReferenceEngine } from '../../src/engine/reference_engine';
import { sampleText } from '../../src/model_io/sampling';
import { StepModel } from '../../src/model_io/step_model';
import { choicesFromForm, EMPTY_FORM, formFromChoices, switchTask } from '../../src/ui/data_choices';
import { loadData } from '../../src/worker/data_host';
import type { WorkerEvent } from '../../src/worker/protocol';
import { DEFAULT_SAMPLE_REQUEST, SampleHost } from '../../src/worker/sample_host';

const text = 'Now is the winter of our discontent\nMade glorious summer by this sun of York;\n'.repeat(10);

async function model() {
  const set = buildGenerateSet(text, { task: 'generate', window: 12 });
  const config: TrainConfig = { ...DEFAULT_CONFIG, vocabSize: set.vocabSize, outputSize: set.vocabSize, inputSize: 6, hiddenSize: 8, window: 12, loss: 'cross_entropy', headOn: 'every_step' };
  const params = await new ReferenceEngine(config).readParameters();
  return { set, config, params };
}

describe('SampleHost', () => {
  it('writes a sample with the current settings, the same text sampleText writes, and refuses bad settings', async () => {
    const { set, config, params } = await model();
    const events: WorkerEvent[] = [];
    const host = new SampleHost((e) => events.push(e));
    expect(host.configure({ ...DEFAULT_SAMPLE_REQUEST, temperature: -1 })).toHaveLength(1);
    expect(host.configure({ ...DEFAULT_SAMPLE_REQUEST, prime: 'Now', length: 30, seed: 4 })).toEqual([]);
    let copies = 0;
    const source = { config, set, choices: { task: 'generate' as const }, params: async () => (copies++, params), epoch: 3, step: 40 };
    await Promise.all([host.write(source), host.write(source)]); // the second, while busy, is skipped
    expect(copies).toBe(1);
    expect(events).toHaveLength(1);
    const e = events[0] as Extract<WorkerEvent, { type: 'sample' }>;
    expect([e.type, e.sample.epoch, e.sample.step, e.sample.settings.seed]).toEqual(['sample', 3, 40, 4]);
    const expected = sampleText(new StepModel(config, params), { tokens: set.vocabulary!, level: 'char', padId: 0, unknownId: 1 }, 'Now', { ...DEFAULT_SAMPLE_REQUEST, length: 30, seed: 4 });
    expect(e.sample.text).toBe(expected.text);
    expect(e.sample.tokensPerSecond).toBeGreaterThan(0);
    await host.write({ ...source, set: { ...set, task: 'forecast' } });
    expect(events).toHaveLength(1);
  });
});

describe('a .txt in the page', () => {
  it('loads as a generate set over its lines, and the form round-trips its choices', async () => {
    const file = new Blob([text]);
    const loaded = await loadData({ kind: 'file', file, name: 'richard.txt' }, undefined, () => undefined);
    expect(loaded.choices).toEqual({ task: 'generate', textColumn: 'text', separator: '\n' });
    expect(loaded.set!.task).toBe('generate');
    expect(loaded.set!.counts.tokens!.train + loaded.set!.counts.tokens!.validation + loaded.set!.counts.tokens!.test).toBe(text.length - 1); // without the final line break
    const cols = loaded.table.columns.map((c) => ({ name: c.name, index: c.index, kind: c.kind, type: 'text' as const, uses: ['text' as const], missing: 0, invalid: 0, distinct: 2, min: null, max: null, mean: null, dateFormat: null }));
    const form = formFromChoices(loaded.choices!, loaded.set!.window, cols, EMPTY_FORM);
    expect([form.task, form.textColumn, form.tokens, form.window]).toEqual(['generate', 'text', 'char', '77']); // a short text: the longest window its validation part holds
    expect(loaded.set!.notes.join(' ')).toMatch(/the window is 77 rather than 100/);
    const { choices, problems } = choicesFromForm({ ...form, window: '16', stride: '8' }, cols, 5);
    expect(problems).toEqual([]);
    expect(choices).toMatchObject({ task: 'generate', textColumn: 'text', separator: '\n', tokens: 'char', window: 16, stride: 8, seed: 5 });
    const switched = switchTask({ ...EMPTY_FORM, uses: ['text'] }, 'generate', cols, 20);
    expect([switched.textColumn, switched.tokens, switched.window]).toEqual(['text', 'char', '100']);
  });

  it('refuses an empty .txt with a message naming the file', async () => {
    await expect(loadData({ kind: 'file', file: new Blob([]), name: 'empty.txt' }, undefined, () => undefined)).rejects.toThrow(/"empty\.txt" is empty/);
  });
});
