// model.json and model.safetensors as exportModelFiles writes them: fields, consistency checks, metadata, padding.
import { describe, expect, it } from 'vitest';
import { initialParameters } from '../../src/engine/init';
import { paramLayout } from '../../src/engine/param_layout';
import { APP_VERSION, buildModelManifest, MODEL_FORMAT, type DataDescription } from '../../src/export/manifest';
import { parseModelManifest } from '../../src/export/manifest_parse';
import { exportModelFiles } from '../../src/export/model_files';
import { decodeSafetensors } from '../../src/export/safetensors';
import type { TrainConfig } from '../../src/engine/config';
import { dataFor, MODEL_CASES, modelConfig } from './helpers';

function params(c: TrainConfig) {
  const layout = paramLayout(c);
  const flat = initialParameters(layout, c.hiddenSize, c.seed);
  return layout.slots.map((s) => ({ name: s.name, shape: s.shape, data: flat.slice(s.offset, s.offset + s.size) }));
}

describe('exportModelFiles', () => {
  const c = modelConfig({ cell: 'gru', numLayers: 2 });
  const files = exportModelFiles(params(c), c, dataFor(c), { val_mae: 0.5, val_rmse: Number.POSITIVE_INFINITY }, new Date('2024-01-02T03:04:05Z'));

  it('writes model.json with config, seed, schema, columns, window, horizon, normalization, metrics and versions', () => {
    const json = JSON.parse(files.json);
    expect(files.json.endsWith('}\n')).toBe(true);
    expect(json).toMatchObject({
      format: MODEL_FORMAT,
      config: c,
      seed: c.seed,
      task: 'forecast',
      inputColumns: ['f0', 'f1', 'f2'],
      targetColumns: ['t0'],
      window: c.window,
      horizon: 1,
      output: 'predictions',
      metrics: { val_mae: 0.5, val_rmse: null },
      versions: { app: APP_VERSION, format: 1 },
      createdAt: '2024-01-02T03:04:05.000Z',
      vocabulary: null,
      classNames: null,
    });
    expect(json.dataset.columns.map((col: { name: string }) => col.name)).toEqual(['f0', 'f1', 'f2', 't0']);
    expect(json.normalization.inputs.map((n: { kind: string }) => n.kind)).toEqual(['zscore', 'minmax', 'none']);
    expect(json.normalization.inputs[1]).toEqual({ column: 'f1', kind: 'minmax', a: -4, b: 12 });
    expect(json.parameters.map((p: { name: string }) => p.name)).toEqual(decodeSafetensors(files.safetensors).tensors.map((t) => t.name));
    expect(APP_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('model.json parses back to the same manifest', () => {
    expect(parseModelManifest(files.json)).toEqual(files.manifest);
    for (const [, other] of MODEL_CASES) {
      const f = exportModelFiles(params(other), other, dataFor(other));
      expect(parseModelManifest(f.json)).toEqual(f.manifest);
    }
  });

  it('a model.json written before class weights (no config.classWeights) loads unweighted; a bad value is refused', () => {
    const raw = JSON.parse(files.json);
    delete raw.config.classWeights;
    expect(parseModelManifest(JSON.stringify(raw)).config.classWeights).toBe('none');
    expect(parseModelManifest(files.json).config.classWeights).toBe(files.manifest.config.classWeights);
    raw.config.classWeights = 3;
    expect(() => parseModelManifest(JSON.stringify(raw))).toThrow(/config\.classWeights/);
  });

  it('writes model.safetensors with gru.* keys, format and config metadata as strings, and an 8-byte-padded header', () => {
    const { tensors, metadata } = decodeSafetensors(files.safetensors);
    expect(tensors[0].name).toBe('gru.weight_ih_l0');
    expect(tensors.filter((t) => t.name.startsWith('gru.'))).toHaveLength(8);
    expect(Object.keys(metadata).sort()).toEqual(['config', 'format']);
    expect(metadata.format).toBe(MODEL_FORMAT);
    expect(JSON.parse(metadata.config)).toEqual(c);
    const headerLength = Number(new DataView(files.safetensors.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
  });
});

describe('buildModelManifest refuses a data description that does not fit the model', () => {
  const c = modelConfig({ cell: 'lstm' });
  const cases: [string, TrainConfig, (d: DataDescription) => void, string][] = [
    ['too few input columns', c, (d) => d.inputColumns.pop(), 'inputColumns lists 2 features but config.inputSize is 3'],
    ['normalization for another column', c, (d) => (d.normalization.inputs[0].column = 'zz'), 'normalization.inputs[0] ("zz") should describe "f0"'],
    ['an infinite offset', c, (d) => (d.normalization.targets[0].a = Infinity), 'normalization.targets[0] ("t0") has a non-finite offset a (Infinity)'],
    ['"none" with a scale', c, (d) => (d.normalization.inputs[2].b = 2), 'normalization.inputs[2] ("f2") is kind none but has a = 0, b = 2 (expected 0 and 1)'],
    ['a horizon that does not match the outputs', c, (d) => (d.horizon = 2), 'config.outputSize 1 should be horizon 2 × 1 target columns'],
    ['a window that differs', c, (d) => (d.window = 2), 'window 2 differs from config.window 6'],
    ['class names on a regression', c, (d) => (d.classNames = ['a']), 'classNames is set but the loss is not cross_entropy'],
    ['features that do not line up', c, (d) => (d.features = [{ name: 'f0', column: 'f0', kind: 'value' }]), 'features has 1 entries but inputColumns has 3'],
    ['a wide layout without its columns', c, (d) => (d.layout = 'wide'), 'a wide layout needs 6 sequenceColumns'],
    ['too few class names', modelConfig({ outputSize: 3, loss: 'cross_entropy' }), (d) => d.classNames!.pop(), 'a classifier of 3 classes needs 3 classNames (got 2)'],
    ['a vocabulary of the wrong size', modelConfig({ vocabSize: 11, inputSize: 4, outputSize: 3, loss: 'cross_entropy' }), (d) => d.vocabulary!.tokens.pop(), 'vocabulary has 10 tokens but config.vocabSize is 11'],
    ['a pad id outside the vocabulary', modelConfig({ vocabSize: 11, inputSize: 4, outputSize: 3, loss: 'cross_entropy' }), (d) => (d.vocabulary!.padId = 11), 'vocabulary.padId 11 is not a token id'],
  ];
  for (const [name, config, change, message] of cases) {
    it(name, () => {
      const d = dataFor(config);
      change(d);
      expect(() => buildModelManifest(config, d)).toThrow(message);
    });
  }
  it('an invalid config', () => {
    expect(() => buildModelManifest({ ...c, hiddenSize: -1 }, dataFor(c))).toThrow('Cannot describe this model: config.hiddenSize must be an integer from 1 to 2048 (got -1).');
  });
});
