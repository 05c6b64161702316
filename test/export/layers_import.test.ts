// TF.js and Keras files open back into the playground: this app's exports (normalization undone, predictions equal),
// a model TF.js itself wrote, files without this app's description (a plain x0…/y0… model), and corrupted or
// mismatched files refused with a message naming what is wrong.
import * as tf from '@tensorflow/tfjs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModelManifest } from '../../src/export/manifest';
import { buildKerasModel } from '../../src/export/keras_export';
import { loadKerasModel } from '../../src/export/keras_import';
import { buildTfjsModel, TFJS_WEIGHTS_FILE } from '../../src/export/tfjs_export';
import { isTfjsModelJson, loadTfjsModel } from '../../src/export/tfjs_import';
import { writeH5 } from '../../src/export/h5_file';
import type { TrainConfig } from '../../src/engine/config';
import type { NamedTensor } from '../../src/engine/tensor';
import { dataFor, maxAbsDiff, modelConfig, rawInputs } from './helpers';
import { KERAS_CASES, referenceOriginal, seededParams, TFJS_CASES } from './keras_fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const bins = (w: Uint8Array) => new Map([[TFJS_WEIGHTS_FILE, w]]);

function samePredictions(c: TrainConfig, original: NamedTensor[], loaded: NamedTensor[], label: string): void {
  const data = dataFor(c);
  const raw = rawInputs(c, data, 4, c.seed + 300);
  const diff = maxAbsDiff(referenceOriginal(c, data, loaded, raw, 4), referenceOriginal(c, data, original, raw, 4));
  console.log(`[import ${label}] max |diff| ${diff.toExponential(2)}`);
  expect(diff).toBeLessThanOrEqual(1e-4);
}

describe('this app’s exports open back with their description and the same predictions', () => {
  for (const [name, c] of TFJS_CASES) {
    it(`TF.js ${name}`, () => {
      const manifest = buildModelManifest(c, dataFor(c));
      const p = seededParams(c);
      const files = buildTfjsModel(manifest, p);
      expect(isTfjsModelJson(files.json)).toBe(true);
      const loaded = loadTfjsModel(files.json, bins(files.weights));
      expect(loaded.config).toEqual(c);
      expect(loaded.manifest).toEqual(manifest);
      samePredictions(c, p, loaded.tensors, `tfjs ${name}`);
    });
  }
  for (const [name, c] of KERAS_CASES) {
    it(`Keras ${name}`, async () => {
      const manifest = buildModelManifest(c, dataFor(c));
      const p = seededParams(c);
      const loaded = await loadKerasModel(await buildKerasModel(manifest, p));
      expect(loaded.config).toEqual(c);
      expect(loaded.manifest).toEqual(manifest);
      samePredictions(c, p, loaded.tensors, `keras ${name}`);
    });
  }
});

/** A .keras archive with its members replaced (undefined removes one). */
function repack(bytes: Uint8Array, change: Record<string, Uint8Array | undefined>): Uint8Array {
  const files: Record<string, Uint8Array> = { ...unzipSync(bytes) };
  for (const [k, v] of Object.entries(change)) {
    if (v === undefined) delete files[k];
    else files[k] = v;
  }
  return zipSync(files, { level: 0 });
}

function withoutDescription(bytes: Uint8Array): Uint8Array {
  const meta = JSON.parse(strFromU8(unzipSync(bytes)['metadata.json']));
  return repack(bytes, { 'metadata.json': strToU8(JSON.stringify({ keras_version: meta.keras_version, date_saved: meta.date_saved })) });
}

describe('models from elsewhere', () => {
  it('a model TF.js wrote itself (tf.sequential, LSTM with sigmoid gates, 2 layers) predicts as in TF.js', async () => {
    const T = 5, F = 3, H = 4;
    const model = tf.sequential({
      layers: [
        tf.layers.lstm({ units: H, returnSequences: true, recurrentActivation: 'sigmoid', inputShape: [T, F], biasInitializer: 'randomNormal' }),
        tf.layers.lstm({ units: H, recurrentActivation: 'sigmoid', biasInitializer: 'randomNormal' }),
        tf.layers.dense({ units: 2 }),
      ],
    });
    let saved: tf.io.ModelArtifacts | null = null;
    await model.save({ save: async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }) });
    const a = saved! as tf.io.ModelArtifacts;
    const json = JSON.stringify({ format: 'layers-model', modelTopology: a.modelTopology, weightsManifest: [{ paths: ['w.bin'], weights: a.weightSpecs }] });
    const weights = new Uint8Array(a.weightData as ArrayBuffer);
    const loaded = loadTfjsModel(json, new Map([['w.bin', weights]]));
    expect(loaded.config).toMatchObject({ cell: 'lstm', numLayers: 2, hiddenSize: H, inputSize: F, window: T, outputSize: 2, headOn: 'last_step', loss: 'mse' });
    expect(loaded.manifest.inputColumns).toEqual(['x0', 'x1', 'x2']);
    const x = Float32Array.from({ length: 3 * T * F }, (_, i) => Math.sin(i * 1.7) * 2);
    const want = (model.predict(tf.tensor3d(x, [3, T, F])) as tf.Tensor).dataSync();
    const got = referenceOriginal(loaded.config, loaded.manifest, loaded.tensors, x, 3);
    expect(maxAbsDiff(got, want)).toBeLessThanOrEqual(1e-4);
    model.dispose();
  });

  it('a .keras file without this app’s description opens as a plain model in raw units, predicting the same', async () => {
    const c = modelConfig({ cell: 'gru', bidirectional: true, seed: 11 });
    const data = dataFor(c);
    const p = seededParams(c);
    const loaded = await loadKerasModel(withoutDescription(await buildKerasModel(buildModelManifest(c, data), p)));
    expect(loaded.manifest.normalization.inputs.every((n) => n.kind === 'none')).toBe(true);
    expect(loaded.manifest.targetColumns).toEqual(['y0']);
    const raw = rawInputs(c, data, 3, 9);
    expect(maxAbsDiff(referenceOriginal(c, loaded.manifest, loaded.tensors, raw, 3), referenceOriginal(c, data, p, raw, 3))).toBeLessThanOrEqual(1e-4);
  });
});

describe('corrupted or mismatched files are refused with what is wrong', () => {
  const c = modelConfig({ cell: 'lstm', numLayers: 2 });
  const manifest = buildModelManifest(c, dataFor(c));
  const p = seededParams(c);
  const keras = () => buildKerasModel(manifest, p);
  const tfjs = buildTfjsModel(manifest, p);

  it('.keras: not a zip, truncated, members missing', async () => {
    await expect(loadKerasModel(strToU8('{"not": "a zip"}'))).rejects.toThrow(/model.keras: the file is not a zip archive/);
    const bytes = await keras();
    await expect(loadKerasModel(bytes.slice(0, Math.floor(bytes.length / 2)))).rejects.toThrow(/model.keras: the zip archive cannot be read .*truncated/);
    await expect(loadKerasModel(repack(bytes, { 'model.weights.h5': undefined }))).rejects.toThrow(/the archive has no model.weights.h5/);
    await expect(loadKerasModel(repack(bytes, { 'config.json': undefined }))).rejects.toThrow(/the archive has no config.json/);
    await expect(loadKerasModel(repack(bytes, { 'model.weights.h5': strToU8('garbage, not HDF5') }))).rejects.toThrow(/model.weights.h5: it is not an HDF5 file/);
  });

  it('.keras: a layer the playground cannot hold, a GRU without reset_after, a TF.js-style hard sigmoid', async () => {
    const bytes = await keras();
    const cfg = JSON.parse(strFromU8(unzipSync(bytes)['config.json']));
    const edit = (f: (layers: { class_name: string; config: Record<string, unknown> }[]) => void) => {
      const copy = structuredClone(cfg);
      f(copy.config.layers);
      return repack(bytes, { 'config.json': strToU8(JSON.stringify(copy)) });
    };
    await expect(loadKerasModel(edit((l) => l.splice(2, 0, { class_name: 'Dropout', config: { name: 'dropout', rate: 0.1 } })))).rejects.toThrow(/expects one Dense layer .*Dropout "dropout"/);
    await expect(loadKerasModel(edit((l) => Object.assign(l[1], { class_name: 'GRU' })))).rejects.toThrow(/"lstm" is a GRU but the first recurrent layer is a LSTM|reset_after/);
    await expect(loadKerasModel(edit((l) => l.forEach((x) => x.class_name === 'LSTM' && Object.assign(x, { class_name: 'GRU' }))))).rejects.toThrow(/GRU with reset_after "unset"; only reset_after=True/);
    await expect(loadKerasModel(edit((l) => Object.assign(l[1].config, { recurrent_activation: 'hard_sigmoid' })))).rejects.toThrow(/layer "lstm" uses recurrent_activation "hard_sigmoid"/);
    await expect(loadKerasModel(edit((l) => Object.assign(l.at(-1)!.config, { activation: 'relu' })))).rejects.toThrow(/Dense head "dense" uses activation "relu"/);
  });

  it('.keras: a variable missing or mis-shaped, and a description that does not fit the layers', async () => {
    const bytes = await keras();
    const wrong = await writeH5([], [{ path: 'layers/lstm/cell/vars/0', shape: [2, 3], data: new Float32Array(6) }]);
    await expect(loadKerasModel(repack(bytes, { 'model.weights.h5': wrong }))).rejects.toThrow(/model.weights.h5 layers\/lstm\/cell\/vars\/0 \(the kernel of layer "lstm"\) has shape \[2, 3\] but the layers need \[3, 20\]/);
    const empty = await writeH5(['vars'], []);
    await expect(loadKerasModel(repack(bytes, { 'model.weights.h5': empty }))).rejects.toThrow(/layers\/lstm\/cell\/vars\/0 .* is missing/);
    const meta = JSON.parse(strFromU8(unzipSync(bytes)['metadata.json']));
    meta.lstm_playground.config.hiddenSize = 7;
    await expect(loadKerasModel(repack(bytes, { 'metadata.json': strToU8(JSON.stringify(meta)) }))).rejects.toThrow(/metadata.json lstm_playground model description is not valid|does not match its layers/);
  });

  it('TF.js: the weights file missing, truncated or from another model; a weight missing, extra or not finite', () => {
    expect(() => loadTfjsModel(tfjs.json, new Map())).toThrow(/the weight file "group1-shard1of1.bin" it names was not given/);
    expect(() => loadTfjsModel(tfjs.json, bins(tfjs.weights.slice(0, 100)))).toThrow(/hold 100 bytes, but weight .* needs bytes up to .*truncated/);
    const longer = new Uint8Array(tfjs.weights.length + 8);
    longer.set(tfjs.weights);
    expect(() => loadTfjsModel(tfjs.json, bins(longer))).toThrow(/hold \d+ bytes but its weights take \d+; a file belongs to another model/);
    const m = JSON.parse(tfjs.json);
    const dropped = structuredClone(m);
    const last = dropped.weightsManifest[0].weights.pop();
    expect(() => loadTfjsModel(JSON.stringify(dropped), bins(tfjs.weights.slice(0, tfjs.weights.length - 4 * last.shape.reduce((a: number, b: number) => a * b, 1))))).toThrow(/the weight bias of layer "dense" is missing/);
    const renamed = structuredClone(m);
    renamed.weightsManifest[0].weights[0].name = 'mystery/kernel';
    expect(() => loadTfjsModel(JSON.stringify(renamed), bins(tfjs.weights))).toThrow(/the weight kernel of layer "lstm" is missing/);
    const nan = tfjs.weights.slice();
    new Float32Array(nan.buffer)[2] = Number.NaN;
    expect(() => loadTfjsModel(tfjs.json, bins(nan))).toThrow(/the weight kernel of layer "lstm" holds a non-finite value \(NaN\) at index 2/);
    expect(() => loadTfjsModel('{"modelTopology": ', bins(tfjs.weights))).toThrow(/model.json \(TF.js\): the file is not valid JSON/);
    const graph = { ...m, format: 'graph-model' };
    expect(() => loadTfjsModel(JSON.stringify(graph), bins(tfjs.weights))).toThrow(/only a TF.js layers model/);
  });

  it('TF.js: hard_sigmoid gates (TF.js’s default) are refused, not silently approximated', () => {
    const m = JSON.parse(tfjs.json.replace(/"recurrent_activation": "sigmoid"/, '"recurrent_activation": "hard_sigmoid"'));
    expect(() => loadTfjsModel(JSON.stringify(m), bins(tfjs.weights))).toThrow(/uses recurrent_activation "hard_sigmoid"; the playground's gates use the sigmoid/);
  });
});

describe('functional models', () => {
  it('a straight-line functional model TF.js saved opens; one with a branch is refused', async () => {
    const input = tf.input({ shape: [4, 2] });
    const rnn = tf.layers.simpleRNN({ units: 3, returnSequences: true }).apply(input) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 1 }).apply(rnn) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    let saved: tf.io.ModelArtifacts | null = null;
    await model.save({ save: async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }) });
    const a = saved! as tf.io.ModelArtifacts;
    const json = JSON.stringify({ format: 'layers-model', modelTopology: a.modelTopology, weightsManifest: [{ paths: ['w.bin'], weights: a.weightSpecs }] });
    const loaded = loadTfjsModel(json, new Map([['w.bin', new Uint8Array(a.weightData as ArrayBuffer)]]));
    expect(loaded.config).toMatchObject({ cell: 'rnn', headOn: 'every_step', window: 4, inputSize: 2, hiddenSize: 3 });
    const x = Float32Array.from({ length: 2 * 8 }, (_, i) => Math.cos(i));
    const want = (model.predict(tf.tensor3d(x, [2, 4, 2])) as tf.Tensor).dataSync();
    expect(maxAbsDiff(referenceOriginal(loaded.config, loaded.manifest, loaded.tensors, x, 2), want)).toBeLessThanOrEqual(1e-4);
    // A branch: the Dense reads the input as well as the RNN (a concatenation), which the playground's stack cannot hold.
    const cat = tf.layers.concatenate().apply([rnn, input]) as tf.SymbolicTensor;
    const branchy = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 1 }).apply(cat) as tf.SymbolicTensor });
    await branchy.save({ save: async (b) => ((saved = b), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }) });
    const b = saved! as tf.io.ModelArtifacts;
    const bjson = JSON.stringify({ format: 'layers-model', modelTopology: b.modelTopology, weightsManifest: [{ paths: ['w.bin'], weights: b.weightSpecs }] });
    expect(() => loadTfjsModel(bjson, new Map([['w.bin', new Uint8Array(b.weightData as ArrayBuffer)]]))).toThrow(/only straight-line models/);
    model.dispose();
  });
});

describe('a model whose input has no fixed number of steps', () => {
  it('takes the window it is given (the loaded data’s), else the default', async () => {
    // A Keras-style GRU (reset_after, which TF.js cannot build itself) over [batch, any steps, 2], written by hand.
    const json = JSON.stringify({
      format: 'layers-model',
      modelTopology: { class_name: 'Sequential', config: { name: 's', layers: [
        { class_name: 'GRU', config: { name: 'gru', units: 3, reset_after: true, recurrent_activation: 'sigmoid', batch_input_shape: [null, null, 2] } },
        { class_name: 'Dense', config: { name: 'dense', units: 1, activation: 'linear' } },
      ] } },
      weightsManifest: [{ paths: ['w.bin'], weights: [
        { name: 'gru/kernel', shape: [2, 9], dtype: 'float32' }, { name: 'gru/recurrent_kernel', shape: [3, 9], dtype: 'float32' }, { name: 'gru/bias', shape: [2, 9], dtype: 'float32' },
        { name: 'dense/kernel', shape: [3, 1], dtype: 'float32' }, { name: 'dense/bias', shape: [1], dtype: 'float32' },
      ] }],
    });
    const bin = new Uint8Array(Float32Array.from({ length: 18 + 27 + 18 + 3 + 1 }, (_, i) => Math.sin(i) / 2).buffer);
    expect(loadTfjsModel(json, new Map([['w.bin', bin]]), { window: 37 }).config).toMatchObject({ cell: 'gru', window: 37, inputSize: 2 });
    expect(loadTfjsModel(json, new Map([['w.bin', bin]])).config.window).toBe(24);
  });
});
