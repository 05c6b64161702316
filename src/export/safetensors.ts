// Writes and strictly validates-then-reads float32 weight files in the safetensors format.
import type { NamedTensor } from '../engine/tensor';

/** A weight file that is malformed, unsupported or unsafe to read; the message names the problem. */
export class WeightFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WeightFileError';
  }
}

export interface DecodeOptions {
  /** Largest accepted file, in bytes (default 1 GiB). */
  maxBytes?: number;
  /** Largest accepted JSON header, in bytes (default 1 MiB). */
  maxHeaderBytes?: number;
}

const DEFAULT_MAX_BYTES = 1024 ** 3;
const DEFAULT_MAX_HEADER_BYTES = 1024 * 1024;
const METADATA_KEY = '__metadata__';
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Encodes tensors (in the order given) as F32 safetensors; metadata values must be strings. */
export function encodeSafetensors(tensors: NamedTensor[], metadata?: Record<string, string>): Uint8Array {
  const seen = new Set<string>();
  const entries: string[] = [];
  if (metadata !== undefined) {
    const fields = Object.keys(metadata).map((key) => {
      checkEncodableKey(key, 'metadata key');
      const value = metadata[key];
      if (typeof value !== 'string') throw new TypeError(`Metadata value for ${JSON.stringify(key)} must be a string (got ${typeof value}).`);
      return `${JSON.stringify(key)}:${JSON.stringify(value)}`;
    });
    entries.push(`${JSON.stringify(METADATA_KEY)}:{${fields.join(',')}}`);
  }
  let offset = 0;
  for (const t of tensors) {
    checkEncodableKey(t.name, 'tensor name');
    if (t.name === METADATA_KEY) throw new TypeError(`A tensor cannot be named ${JSON.stringify(METADATA_KEY)}; that key is reserved.`);
    if (seen.has(t.name)) throw new TypeError(`Two tensors are named ${JSON.stringify(t.name)}; tensor names must be unique.`);
    seen.add(t.name);
    for (const d of t.shape) {
      if (!Number.isSafeInteger(d) || d < 0) throw new TypeError(`Tensor ${JSON.stringify(t.name)} has an invalid dimension ${d} in shape [${t.shape.join(', ')}].`);
    }
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (t.data.length !== count) {
      throw new TypeError(
        `Tensor ${JSON.stringify(t.name)} has ${t.data.length} values but its shape [${t.shape.join(', ')}] needs ${count}.`,
      );
    }
    const end = offset + t.data.byteLength;
    entries.push(`${JSON.stringify(t.name)}:{"dtype":"F32","shape":[${t.shape.join(',')}],"data_offsets":[${offset},${end}]}`);
    offset = end;
  }

  const json = new TextEncoder().encode(`{${entries.join(',')}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);

  let at = 8 + headerLength;
  for (const t of tensors) {
    writeFloat32LE(out, at, t.data);
    at += t.data.byteLength;
  }
  return out;
}

/** Decodes F32 safetensors after checking sizes, header, dtypes, shapes, offsets and values; throws WeightFileError. */
export function decodeSafetensors(
  bytes: Uint8Array,
  opts: DecodeOptions = {},
): { tensors: NamedTensor[]; metadata: Record<string, string> } {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxHeaderBytes = opts.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  if (bytes.length > maxBytes) {
    throw new WeightFileError(`The weight file is ${bytes.length} bytes, over the ${maxBytes}-byte limit.`);
  }
  if (bytes.length < 8) {
    throw new WeightFileError(`The weight file is only ${bytes.length} bytes; a safetensors file starts with an 8-byte header length.`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = view.getBigUint64(0, true);
  if (declared > BigInt(bytes.length - 8)) {
    throw new WeightFileError(
      `The header length (${declared} bytes) runs past the end of the file (${bytes.length - 8} bytes after the length field); the file is truncated or not safetensors.`,
    );
  }
  const headerLength = Number(declared);
  if (headerLength > maxHeaderBytes) {
    throw new WeightFileError(`The header is ${headerLength} bytes, over the ${maxHeaderBytes}-byte limit for a header.`);
  }

  const header = parseHeader(bytes.subarray(8, 8 + headerLength));
  const metadata = readMetadata(header[METADATA_KEY]);
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;

  const layouts: TensorLayout[] = [];
  for (const name of Object.keys(header)) {
    if (name !== METADATA_KEY) layouts.push(readLayout(name, header[name]));
  }
  checkContiguous(layouts, dataLength);

  const tensors = layouts.map((l) => {
    const data = readFloat32LE(bytes, dataStart + l.begin, (l.end - l.begin) / 4);
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) {
        throw new WeightFileError(`Tensor ${JSON.stringify(l.name)} has a non-finite value (${data[i]}) at element ${i}.`);
      }
    }
    return { name: l.name, shape: l.shape, data };
  });
  return { tensors, metadata };
}

interface TensorLayout {
  name: string;
  shape: number[];
  begin: number;
  end: number;
}

function checkEncodableKey(key: string, what: string): void {
  if (UNSAFE_KEYS.has(key)) throw new TypeError(`The ${what} ${JSON.stringify(key)} is not allowed (it is unsafe to read back).`);
}

function parseHeader(headerBytes: Uint8Array): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch {
    throw new WeightFileError('The header is not valid UTF-8 text.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, (key, value: unknown) => {
      if (UNSAFE_KEYS.has(key)) throw new WeightFileError(`The header contains the forbidden key ${JSON.stringify(key)}.`);
      return value;
    });
  } catch (e) {
    if (e instanceof WeightFileError) throw e;
    throw new WeightFileError(`The header is not valid JSON (${e instanceof Error ? e.message : String(e)}).`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new WeightFileError('The header must be a JSON object mapping tensor names to their descriptions.');
  }
  return parsed as Record<string, unknown>;
}

function readMetadata(raw: unknown): Record<string, string> {
  const metadata: Record<string, string> = {}; // safe: the header parser rejects __proto__ keys
  if (raw === undefined) return metadata;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new WeightFileError('The header entry "__metadata__" must be an object of string values.');
  }
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') {
      throw new WeightFileError(`Metadata entry ${JSON.stringify(key)} must be a string (got ${value === null ? 'null' : typeof value}).`);
    }
    metadata[key] = value;
  }
  return metadata;
}

function readLayout(name: string, raw: unknown): TensorLayout {
  const label = `Tensor ${JSON.stringify(name)}`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new WeightFileError(`${label} must be described by an object with dtype, shape and data_offsets.`);
  }
  const entry = raw as Record<string, unknown>;
  if (entry.dtype !== 'F32') {
    throw new WeightFileError(`${label} has dtype ${JSON.stringify(entry.dtype)}; only F32 (float32) weights are supported.`);
  }
  const shape = entry.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
    throw new WeightFileError(`${label} has an invalid shape ${JSON.stringify(shape)}; it must be a list of non-negative integers.`);
  }
  const offsets = entry.data_offsets;
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && (o as number) >= 0) ||
    (offsets[0] as number) > (offsets[1] as number)
  ) {
    throw new WeightFileError(`${label} has invalid data_offsets ${JSON.stringify(offsets)}; expected [begin, end] with 0 <= begin <= end.`);
  }
  const dims = shape as number[];
  const [begin, end] = offsets as number[];
  const elements = dims.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(elements * 4) || end - begin !== elements * 4) {
    throw new WeightFileError(
      `${label} has shape [${dims.join(', ')}] (${elements} float32 values, ${elements * 4} bytes) but data_offsets [${begin}, ${end}] span ${end - begin} bytes.`,
    );
  }
  return { name, shape: dims.slice(), begin, end };
}

/** Sorts layouts by offset (in place) and requires them to tile [0, dataLength) exactly. */
function checkContiguous(layouts: TensorLayout[], dataLength: number): void {
  layouts.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  let previous: string | null = null;
  const after = () => (previous === null ? 'at the start of the data section' : `after tensor ${JSON.stringify(previous)}`);
  for (const l of layouts) {
    if (l.begin > expected) {
      throw new WeightFileError(`There is a gap in the data section: bytes ${expected} to ${l.begin} ${after()} belong to no tensor (next is ${JSON.stringify(l.name)}).`);
    }
    if (l.begin < expected) {
      throw new WeightFileError(`Tensor ${JSON.stringify(l.name)} starts at byte ${l.begin}, overlapping tensor ${JSON.stringify(previous)} which ends at byte ${expected}.`);
    }
    expected = l.end;
    previous = l.name;
  }
  if (expected !== dataLength) {
    throw new WeightFileError(
      expected < dataLength
        ? `The data section is ${dataLength} bytes but the tensors cover only ${expected}; the file has ${dataLength - expected} unexplained trailing bytes.`
        : `The tensors need ${expected} bytes of data but the file has only ${dataLength}; the file is truncated.`,
    );
  }
}

function writeFloat32LE(out: Uint8Array, at: number, data: Float32Array): void {
  if (LITTLE_ENDIAN_HOST) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    return;
  }
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let i = 0; i < data.length; i++) view.setFloat32(at + 4 * i, data[i], true);
}

/** Copies `count` float32 values starting at byte `at` into a fresh, aligned array (the source may be unaligned). */
function readFloat32LE(bytes: Uint8Array, at: number, count: number): Float32Array {
  if (LITTLE_ENDIAN_HOST) return new Float32Array(bytes.slice(at, at + count * 4).buffer);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = view.getFloat32(at + 4 * i, true);
  return data;
}
