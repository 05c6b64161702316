// Tests the safetensors writer/reader (layout, padding, round trip, every corruption check) and the PyTorch model export.
import { describe, it, expect } from 'vitest';
import { decodeSafetensors, encodeSafetensors, WeightFileError } from '../../src/export/safetensors';
import { encodeModelSafetensors } from '../../src/export/model_files';
import { engineName, torchKey } from '../../src/export/state_dict';
import { paramLayout } from '../../src/engine/param_layout';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/config';
import type { NamedTensor } from '../../src/engine/tensor';

/** Builds a file by hand: 8-byte little-endian header length, the header text as given, then the data bytes. */
function rawFile(header: string, data: Uint8Array = new Uint8Array(0), declaredLength?: number): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(declaredLength ?? json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const f32Bytes = (...values: number[]) => new Uint8Array(new Float32Array(values).buffer);

function decodeError(bytes: Uint8Array, opts?: { maxBytes?: number; maxHeaderBytes?: number }): string {
  try {
    decodeSafetensors(bytes, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(WeightFileError);
    expect((e as Error).name).toBe('WeightFileError');
    return (e as Error).message;
  }
  throw new Error('expected a WeightFileError, but decoding succeeded');
}

const sample: NamedTensor[] = [
  { name: 'w', shape: [2, 3], data: new Float32Array([1, -2, 3.5, 0, 1e-30, -7]) },
  { name: 'odd_name_x', shape: [], data: new Float32Array([42]) },
  { name: 'empty', shape: [0, 4], data: new Float32Array(0) },
  { name: 'b', shape: [3], data: new Float32Array([0.1, 0.2, 0.3]) },
];

describe('encodeSafetensors', () => {
  it('writes an 8-byte length, a space-padded JSON header whose length is a multiple of 8, then little-endian float32 data', () => {
    const bytes = encodeSafetensors(sample, { note: 'hi' });
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = Number(view.getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const headerText = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(headerText.trimEnd().length).toBeLessThan(n); // this sample needs padding, so padding is exercised
    expect(headerText.slice(headerText.trimEnd().length)).toMatch(/^ +$/);
    const header = JSON.parse(headerText);
    expect(header.__metadata__).toEqual({ note: 'hi' });
    expect(header.w).toEqual({ dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] });
    expect(header.odd_name_x).toEqual({ dtype: 'F32', shape: [], data_offsets: [24, 28] });
    expect(header.empty).toEqual({ dtype: 'F32', shape: [0, 4], data_offsets: [28, 28] });
    expect(header.b).toEqual({ dtype: 'F32', shape: [3], data_offsets: [28, 40] });
    expect(bytes.length).toBe(8 + n + 40);
    expect(view.getFloat32(8 + n, true)).toBe(1);
    expect(view.getFloat32(8 + n + 8, true)).toBe(3.5);
    expect(view.getFloat32(8 + n + 24, true)).toBe(42);
  });

  it('rejects data whose length does not match the shape, and reserved or unsafe names', () => {
    expect(() => encodeSafetensors([{ name: 'x', shape: [2, 2], data: new Float32Array(3) }])).toThrow(
      'Tensor "x" has 3 values but its shape [2, 2] needs 4.',
    );
    expect(() => encodeSafetensors([{ name: '__metadata__', shape: [1], data: new Float32Array(1) }])).toThrow('reserved');
    expect(() => encodeSafetensors([{ name: '__proto__', shape: [1], data: new Float32Array(1) }])).toThrow('not allowed');
    const t = { name: 'x', shape: [1], data: new Float32Array(1) };
    expect(() => encodeSafetensors([t, t])).toThrow('must be unique');
  });
});

describe('decodeSafetensors', () => {
  it('round-trips names (in order), shapes, values and metadata, into aligned Float32Arrays', () => {
    const bytes = encodeSafetensors(sample, { config: '{"a":1}', format: 'x/1' });
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ config: '{"a":1}', format: 'x/1' });
    expect(tensors.map((t) => t.name)).toEqual(['w', 'odd_name_x', 'empty', 'b']);
    tensors.forEach((t, i) => {
      expect(t.shape).toEqual(sample[i].shape);
      expect(Array.from(t.data)).toEqual(Array.from(sample[i].data));
      expect(t.data.byteOffset % 4).toBe(0);
      expect(t.data.buffer).not.toBe(bytes.buffer);
    });
  });

  it('reads a file whose data section starts at an unaligned address', () => {
    const bytes = encodeSafetensors(sample);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const { tensors, metadata } = decodeSafetensors(shifted.subarray(1));
    expect(metadata).toEqual({});
    expect(Array.from(tensors[0].data)).toEqual([1, -2, 3.5, 0, Math.fround(1e-30), -7]);
  });

  it('accepts a hand-written file without metadata and with keys out of offset order', () => {
    const header = '{"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}';
    const { tensors } = decodeSafetensors(rawFile(header, f32Bytes(1, 2)));
    expect(tensors.map((t) => [t.name, t.data[0]])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });

  const one = (entry: string) => `{"t":${entry}}`;
  const good = one('{"dtype":"F32","shape":[2],"data_offsets":[0,8]}');

  it('rejects files over the size cap and files too short to hold the length field', () => {
    expect(decodeError(encodeSafetensors(sample), { maxBytes: 64 })).toMatch(/^The weight file is \d+ bytes, over the 64-byte limit\.$/);
    expect(decodeError(new Uint8Array(5))).toBe('The weight file is only 5 bytes; a safetensors file starts with an 8-byte header length.');
  });

  it('rejects a truncated file', () => {
    const bytes = encodeSafetensors(sample);
    expect(decodeError(bytes.subarray(0, bytes.length - 4))).toBe(
      'The tensors need 40 bytes of data but the file has only 36; the file is truncated.',
    );
  });

  it('rejects a header length that runs past the end of the file', () => {
    expect(decodeError(rawFile(good, f32Bytes(1, 2), 5000))).toContain('The header length (5000 bytes) runs past the end of the file');
    const huge = rawFile(good, f32Bytes(1, 2));
    new DataView(huge.buffer).setBigUint64(0, 2n ** 63n, true);
    expect(decodeError(huge)).toContain(`The header length (${2n ** 63n} bytes) runs past the end of the file`);
  });

  it('rejects a header over the header cap', () => {
    const bytes = encodeSafetensors(sample);
    expect(decodeError(bytes, { maxHeaderBytes: 64 })).toMatch(/^The header is \d+ bytes, over the 64-byte limit for a header\.$/);
  });

  it('rejects headers that are not UTF-8, not JSON, or not an object', () => {
    const notUtf8 = rawFile('{}');
    notUtf8[9] = 0xff;
    expect(decodeError(notUtf8)).toBe('The header is not valid UTF-8 text.');
    expect(decodeError(rawFile('{"t": '))).toMatch(/^The header is not valid JSON/);
    expect(decodeError(rawFile('[1,2]'))).toBe('The header must be a JSON object mapping tensor names to their descriptions.');
  });

  it('rejects __proto__, constructor and prototype keys anywhere in the header', () => {
    const proto = '{"__proto__":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}';
    expect(decodeError(rawFile(proto, f32Bytes(1)))).toBe('The header contains the forbidden key "__proto__".');
    expect(decodeError(rawFile('{"__metadata__":{"constructor":"x"}}'))).toBe('The header contains the forbidden key "constructor".');
    expect(decodeError(rawFile(one('{"dtype":"F32","shape":[1],"data_offsets":[0,4],"prototype":1}'), f32Bytes(1)))).toBe(
      'The header contains the forbidden key "prototype".',
    );
  });

  it('rejects metadata that is not all strings', () => {
    expect(decodeError(rawFile('{"__metadata__":{"epochs":3}}'))).toBe('Metadata entry "epochs" must be a string (got number).');
    expect(decodeError(rawFile('{"__metadata__":[]}'))).toBe('The header entry "__metadata__" must be an object of string values.');
  });

  it('rejects a dtype other than F32', () => {
    expect(decodeError(rawFile(one('{"dtype":"F16","shape":[2],"data_offsets":[0,4]}'), new Uint8Array(4)))).toBe(
      'Tensor "t" has dtype "F16"; only F32 (float32) weights are supported.',
    );
  });

  it('rejects malformed descriptions, shapes and offsets', () => {
    expect(decodeError(rawFile(one('"nope"')))).toBe('Tensor "t" must be described by an object with dtype, shape and data_offsets.');
    expect(decodeError(rawFile(one('{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}'), new Uint8Array(8)))).toBe(
      'Tensor "t" has an invalid shape [-2]; it must be a list of non-negative integers.',
    );
    expect(decodeError(rawFile(one('{"dtype":"F32","shape":[1.5],"data_offsets":[0,8]}'), new Uint8Array(8)))).toContain(
      'has an invalid shape [1.5]',
    );
    expect(decodeError(rawFile(one('{"dtype":"F32","shape":[2],"data_offsets":[8,0]}'), new Uint8Array(8)))).toBe(
      'Tensor "t" has invalid data_offsets [8,0]; expected [begin, end] with 0 <= begin <= end.',
    );
  });

  it('rejects data_offsets inconsistent with the shape', () => {
    expect(decodeError(rawFile(one('{"dtype":"F32","shape":[3],"data_offsets":[0,8]}'), new Uint8Array(8)))).toBe(
      'Tensor "t" has shape [3] (3 float32 values, 12 bytes) but data_offsets [0, 8] span 8 bytes.',
    );
  });

  it('rejects gaps, overlaps, a late start and trailing bytes in the data section', () => {
    const a = '"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}';
    const gap = `{${a},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}`;
    expect(decodeError(rawFile(gap, new Uint8Array(12)))).toBe(
      'There is a gap in the data section: bytes 4 to 8 after tensor "a" belong to no tensor (next is "b").',
    );
    const overlap = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}';
    expect(decodeError(rawFile(overlap, new Uint8Array(8)))).toBe('Tensor "b" starts at byte 4, overlapping tensor "a" which ends at byte 8.');
    const late = one('{"dtype":"F32","shape":[1],"data_offsets":[4,8]}');
    expect(decodeError(rawFile(late, new Uint8Array(8)))).toContain('bytes 0 to 4 at the start of the data section belong to no tensor');
    expect(decodeError(rawFile(good, new Uint8Array(12)))).toBe(
      'The data section is 12 bytes but the tensors cover only 8; the file has 4 unexplained trailing bytes.',
    );
  });

  it('names the tensor and element index of the first non-finite value', () => {
    const bytes = encodeSafetensors([
      { name: 'ok', shape: [2], data: new Float32Array([1, 2]) },
      { name: 'bad', shape: [2, 2], data: new Float32Array([0, 1, Number.NaN, Number.POSITIVE_INFINITY]) },
    ]);
    expect(decodeError(bytes)).toBe('Tensor "bad" has a non-finite value (NaN) at element 2.');
  });
});

describe('model export', () => {
  const config: TrainConfig = { ...DEFAULT_CONFIG, numLayers: 2, hiddenSize: 3, inputSize: 1, outputSize: 1 };

  function engineParams(c: TrainConfig): NamedTensor[] {
    let v = 0;
    return paramLayout(c).slots.map(({ name, shape }) => ({
      name,
      shape,
      data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (v += 0.125)),
    }));
  }

  it('maps engine names to the state_dict keys of a module with `lstm` / `gru` / `rnn`, `embedding` and `head`', () => {
    expect(torchKey('weight_ih_l0', 'lstm')).toBe('lstm.weight_ih_l0');
    expect(torchKey('bias_hh_l3_reverse', 'gru')).toBe('gru.bias_hh_l3_reverse');
    expect(torchKey('weight_hh_l1', 'rnn')).toBe('rnn.weight_hh_l1');
    expect(torchKey('head.weight', 'gru')).toBe('head.weight');
    expect(torchKey('embedding.weight', 'lstm')).toBe('embedding.weight');
    expect(() => torchKey('weight_xx_l0', 'lstm')).toThrow('Unknown parameter name "weight_xx_l0"');
    expect(engineName('gru.weight_ih_l0', 'gru')).toBe('weight_ih_l0');
    expect(engineName('lstm.weight_ih_l0', 'gru')).toBeNull();
  });

  it('writes exactly the 2-layer state_dict keys with their shapes and values, and config metadata that parses back', () => {
    const params = engineParams(config);
    const { tensors, metadata } = decodeSafetensors(encodeModelSafetensors(params, config));
    expect(tensors.map((t) => t.name)).toEqual([
      'lstm.weight_ih_l0',
      'lstm.weight_hh_l0',
      'lstm.bias_ih_l0',
      'lstm.bias_hh_l0',
      'lstm.weight_ih_l1',
      'lstm.weight_hh_l1',
      'lstm.bias_ih_l1',
      'lstm.bias_hh_l1',
      'head.weight',
      'head.bias',
    ]);
    expect(tensors.find((t) => t.name === 'lstm.weight_ih_l1')!.shape).toEqual([12, 3]);
    expect(tensors.find((t) => t.name === 'head.weight')!.shape).toEqual([1, 3]);
    tensors.forEach((t, i) => expect(Array.from(t.data)).toEqual(Array.from(params[i].data)));
    expect(JSON.parse(metadata.config)).toEqual(config);
  });

  it('writes GRU, bidirectional and embedding models under their own keys and shapes', () => {
    const c: TrainConfig = { ...config, cell: 'gru', bidirectional: true, vocabSize: 7, inputSize: 2 };
    const { tensors } = decodeSafetensors(encodeModelSafetensors(engineParams(c), c));
    expect(tensors.map((t) => `${t.name}[${t.shape}]`)).toEqual([
      'embedding.weight[7,2]',
      ...['l0', 'l0_reverse', 'l1', 'l1_reverse'].flatMap((s) => {
        const inSize = s.startsWith('l0') ? 2 : 6;
        return [`gru.weight_ih_${s}[9,${inSize}]`, `gru.weight_hh_${s}[9,3]`, `gru.bias_ih_${s}[9]`, `gru.bias_hh_${s}[9]`];
      }),
      'head.weight[1,6]',
      'head.bias[1]',
    ]);
  });

  it('refuses parameters that do not match the config', () => {
    const params = engineParams(config);
    expect(() => encodeModelSafetensors(params.slice(0, -1), config)).toThrow('Parameter "head.bias" is missing');
    expect(() => encodeModelSafetensors(params, { ...config, numLayers: 1 })).toThrow(/Unexpected parameters? .*weight_ih_l1/);
    expect(() => encodeModelSafetensors(params, { ...config, hiddenSize: 4 })).toThrow(/Parameter "weight_ih_l0" has shape \[12, 1\] but .* needs \[16, 1\]/);
    expect(() => encodeModelSafetensors([...params, params[0]], config)).toThrow('Parameter "weight_ih_l0" appears twice.');
  });
});
