// loadModelFiles: a clean export loads back exactly; every corrupt or mismatched file fails with its own message.
import { describe, expect, it } from 'vitest';
import { initialParameters } from '../../src/engine/init';
import { paramLayout } from '../../src/engine/param_layout';
import { exportModelFiles, loadModelFiles, type LoadOptions } from '../../src/export/model_files';
import { encodeSafetensors, WeightFileError } from '../../src/export/safetensors';
import { toStateDict } from '../../src/export/state_dict';
import type { NamedTensor } from '../../src/engine/tensor';
import type { TrainConfig } from '../../src/engine/config';
import { dataFor, modelConfig } from './helpers';

function params(c: TrainConfig): NamedTensor[] {
  const layout = paramLayout(c);
  const flat = initialParameters(layout, c.hiddenSize, c.seed);
  return layout.slots.map((s) => ({ name: s.name, shape: s.shape, data: flat.slice(s.offset, s.offset + s.size) }));
}

const config = modelConfig({ cell: 'lstm' });
const good = exportModelFiles(params(config), config, dataFor(config), { val_mae: 1.5, val_rmse: Number.NaN }, new Date('2024-05-01T00:00:00Z'));

function loadError(st: Uint8Array, json: string = good.json, opts?: LoadOptions): string {
  try {
    loadModelFiles(st, json, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(WeightFileError);
    return (e as Error).message;
  }
  throw new Error('expected the files to be refused');
}

/** A safetensors file with the given header text and data bytes. */
function rawFile(header: string, data = new Uint8Array(0), declared?: number): Uint8Array {
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(declared ?? h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

function headerLength(bytes: Uint8Array): number {
  return Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
}

function replaceInHeader(bytes: Uint8Array, from: string, to: string): Uint8Array {
  const n = headerLength(bytes);
  const header = new TextDecoder().decode(bytes.subarray(8, 8 + n));
  if (!header.includes(from)) throw new Error(`header has no ${from}`);
  const next = header.replace(from, to);
  expect(next.length).toBe(header.length);
  const out = bytes.slice();
  out.set(new TextEncoder().encode(next), 8);
  return out;
}

describe('loadModelFiles accepts a clean export', () => {
  it('returns the config, the engine-named tensors bit for bit, and the manifest', () => {
    const loaded = loadModelFiles(good.safetensors, good.json);
    expect(loaded.config).toEqual(config);
    const original = params(config);
    expect(loaded.tensors.map((t) => t.name)).toEqual(original.map((t) => t.name));
    loaded.tensors.forEach((t, i) => {
      expect(t.shape).toEqual(original[i].shape);
      expect(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).equals(Buffer.from(original[i].data.buffer, original[i].data.byteOffset, original[i].data.byteLength))).toBe(true);
    });
    expect(loaded.manifest.metrics).toEqual({ val_mae: 1.5, val_rmse: null });
    expect(loaded.manifest.createdAt).toBe('2024-05-01T00:00:00.000Z');
  });

  it('loads GRU, RNN, bidirectional, stacked and embedding models under their own keys', () => {
    for (const c of [
      modelConfig({ cell: 'gru', numLayers: 2, bidirectional: true }),
      modelConfig({ cell: 'rnn', headOn: 'every_step', outputSize: 2 }),
      modelConfig({ cell: 'lstm', vocabSize: 11, inputSize: 4, outputSize: 3, loss: 'cross_entropy' }),
    ]) {
      const files = exportModelFiles(params(c), c, dataFor(c));
      const loaded = loadModelFiles(files.safetensors, files.json);
      expect(loaded.tensors.map((t) => t.name)).toEqual(paramLayout(c).slots.map((s) => s.name));
    }
  });
});

describe('loadModelFiles refuses corrupt weights, each with its own message', () => {
  const bytes = good.safetensors;
  const cases: [string, () => string, RegExp][] = [
    ['a file over the size cap', () => loadError(bytes, good.json, { maxBytes: 100 }), /^model\.safetensors: The weight file is \d+ bytes, over the 100-byte limit\.$/],
    ['a file too short for the length field', () => loadError(bytes.subarray(0, 6)), /only 6 bytes; a safetensors file starts with an 8-byte header length/],
    ['a truncated file', () => loadError(bytes.subarray(0, bytes.length - 8)), /^model\.safetensors: The tensors need \d+ bytes of data but the file has only \d+; the file is truncated\.$/],
    ['a header length past the end', () => loadError(rawFile('{}', new Uint8Array(0), 4096)), /The header length \(4096 bytes\) runs past the end of the file/],
    ['a huge header', () => loadError(rawFile(`{"__metadata__":{"pad":"${' '.repeat(1024 * 1024 + 10)}"}}`)), /The header is \d+ bytes, over the 1048576-byte limit for a header\./],
    ['a header that is not JSON', () => loadError(rawFile('{"a": ')), /The header is not valid JSON/],
    ['a __proto__ key', () => loadError(rawFile('{"__proto__":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', new Uint8Array(4))), /The header contains the forbidden key "__proto__"\./],
    ['a wrong dtype', () => loadError(replaceInHeader(bytes, '"F32"', '"F64"')), /has dtype "F64"; only F32 \(float32\) weights are supported/],
    ['offsets that disagree with the shape', () => loadError(replaceInHeader(bytes, '"shape":[1]', '"shape":[2]')), /has shape \[2\] \(2 float32 values, 8 bytes\) but data_offsets/],
    ['overlapping offsets', () => loadError(rawFile('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', new Uint8Array(8))), /overlapping tensor "a"/],
    ['trailing bytes', () => loadError(Uint8Array.from([...bytes, 0, 0, 0, 0])), /4 unexplained trailing bytes/],
    [
      'a NaN inside',
      () => {
        const bad = bytes.slice();
        new DataView(bad.buffer).setFloat32(8 + headerLength(bad) + 4 * 7, Number.NaN, true);
        return loadError(bad);
      },
      /^model\.safetensors: Tensor "lstm\.weight_ih_l0" has a non-finite value \(NaN\) at element 7\.$/,
    ],
    [
      'a wrong shape',
      () => {
        const sd = toStateDict(params(config), config).map((t) => (t.name === 'head.weight' ? { ...t, shape: [config.hiddenSize, 1] } : t));
        return loadError(encodeSafetensors(sd, { config: JSON.stringify(config) }));
      },
      /^model\.safetensors: tensor head\.weight has shape \[5, 1\] but the configured model needs \[1, 5\]\.$/,
    ],
    [
      'a missing tensor',
      () => loadError(encodeSafetensors(toStateDict(params(config), config).filter((t) => t.name !== 'head.bias'))),
      /^model\.safetensors: missing tensor head\.bias that the configured model needs\.$/,
    ],
    [
      'an unexpected tensor',
      () => loadError(encodeSafetensors([...toStateDict(params(config), config), { name: 'lstm.weight_ih_l1', shape: [1], data: new Float32Array(1) }])),
      /^model\.safetensors: unexpected tensor "lstm\.weight_ih_l1" for the configured model\.$/,
    ],
    [
      'weights saved for another hidden size',
      () => {
        const other = modelConfig({ cell: 'lstm', hiddenSize: 6 });
        return loadError(exportModelFiles(params(other), other, dataFor(other)).safetensors);
      },
      /^model\.safetensors: the weights were saved for a different model than model\.json describes: hiddenSize 6 in the weights vs 5 in model\.json\.$/,
    ],
    [
      'weights of another cell than model.json configures',
      () => {
        const gru = modelConfig({ cell: 'gru' });
        return loadError(bytes, exportModelFiles(params(gru), gru, dataFor(gru)).json);
      },
      /^model\.safetensors: the weights are for a LSTM \(keys lstm\.\*\) but model\.json configures a GRU\.$/,
    ],
    ['another format in the metadata', () => loadError(encodeSafetensors(toStateDict(params(config), config), { format: 'other/2' })), /metadata format is "other\/2", expected "lstm-playground\/model"/],
  ];
  const messages = new Set<string>();
  for (const [name, run, pattern] of cases) {
    it(`refuses ${name}`, () => {
      const message = run();
      expect(message).toMatch(pattern);
      messages.add(message);
    });
  }
  it('gave a different message for every case', () => expect(messages.size).toBe(cases.length));
});

describe('loadModelFiles refuses a bad model.json, naming the field', () => {
  const edit = (change: (m: Record<string, any>) => void): string => {
    const m = JSON.parse(good.json);
    change(m);
    return JSON.stringify(m);
  };
  const cases: [string, string, RegExp][] = [
    ['text that is not JSON', '{"format": ', /^model\.json: the file is not valid JSON/],
    ['a __proto__ key', '{"format":"lstm-playground/model","__proto__":{"polluted":true}}', /^model\.json: the forbidden key "__proto__" appears in the file\.$/],
    ['a top level that is a list', '[]', /^model\.json: the top level must be an object \(got a list\)\.$/],
    ['another format', edit((m) => (m.format = 'lstm-playground/1')), /^model\.json: format is "lstm-playground\/1", expected "lstm-playground\/model"/],
    ['a newer format version', edit((m) => (m.versions.format = 99)), /^model\.json: versions\.format is 99, newer than the 1 this app reads; update the app\.$/],
    ['a missing config field', edit((m) => delete m.config.hiddenSize), /^model\.json: config\.hiddenSize is missing\.$/],
    ['an unknown config field', edit((m) => (m.config.magic = 1)), /^model\.json: config has unknown field "magic"\.$/],
    ['a config field of the wrong type', edit((m) => (m.config.bidirectional = 'yes')), /^model\.json: config\.bidirectional must be true or false \(got string\)\.$/],
    ['an invalid config value', edit((m) => (m.config.hiddenSize = 0)), /^model\.json: config\.hiddenSize must be an integer from 1 to 2048 \(got 0\)\.$/],
    ['an unknown cell', edit((m) => (m.config.cell = 'transformer')), /^model\.json: config\.cell must be one of lstm, gru, rnn \(got transformer\)\.$/],
    ['a cell edited without its parameters', edit((m) => (m.config.cell = 'gru')), /^model\.json: parameters lists lstm\.weight_ih_l0\[20,3\] .* but the config needs gru\.weight_ih_l0\[15,3\]/],
    ['a normalization with zero scale', edit((m) => (m.normalization.inputs[0].b = 0)), /normalization\.inputs\[0\] \("f0"\) has scale b = 0; it must be finite and non-zero/],
    ['a missing normalization entry', edit((m) => m.normalization.inputs.pop()), /normalization\.inputs has 2 entries but there are 3 inputs/],
    ['an input count that differs from inputSize', edit((m) => m.inputColumns.push('f3')), /inputColumns lists 4 features but config\.inputSize is 3/],
    ['a window that differs from the config', edit((m) => (m.window = 9)), /^model\.json: window 9 differs from config\.window 6\.$/],
    ['a list where a string belongs', edit((m) => (m.targetColumns = [1])), /^model\.json: targetColumns\[0\] must be a string \(got number\)\.$/],
    ['an unknown task', edit((m) => (m.task = 'dance')), /^model\.json: task must be one of forecast, classify-sequences, classify-text, generate \(got "dance"\)\.$/],
  ];
  const messages = new Set<string>();
  for (const [name, json, pattern] of cases) {
    it(`refuses ${name}`, () => {
      const message = loadError(good.safetensors, json);
      expect(message).toMatch(pattern);
      messages.add(message);
    });
  }
  it('gave a different message for every case', () => expect(messages.size).toBe(cases.length));
});
