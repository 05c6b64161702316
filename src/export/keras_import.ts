// Opens a Keras 3 .keras archive (config.json + model.weights.h5) holding an LSTM, GRU (reset_after=True) or
// SimpleRNN stack: the archive, the layers and every variable checked, the weights converted back to the engine's.
import { strFromU8, unzipSync } from 'fflate';
import type { LoadedModel } from './model_files';
import { MAX_MANIFEST_CHARS } from './manifest_parse';
import { WeightFileError } from './safetensors';
import { readH5, type H5Reader } from './h5_file';
import { readStack, type ReadLayer } from './keras_topology';
import { loadLayers, type LayersImportOptions, type WeightSource } from './layers_import';
import type { KerasTensor } from './keras_weights';
import { KERAS_METADATA_KEY } from './keras_export';

/** Largest accepted .keras archive and unpacked weights (1 GiB, as model.safetensors). */
export const MAX_KERAS_BYTES = 1024 ** 3;
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function fail(m: string): never {
  throw new WeightFileError(`model.keras: ${m}`);
}

function parseJson(bytes: Uint8Array | undefined, name: string, required: boolean): unknown {
  if (!bytes) {
    if (required) fail(`the archive has no ${name}; a Keras 3 .keras file holds config.json, metadata.json and model.weights.h5.`);
    return undefined;
  }
  if (bytes.length > MAX_MANIFEST_CHARS) fail(`${name} is ${bytes.length} bytes, over the ${MAX_MANIFEST_CHARS}-byte limit.`);
  try {
    return JSON.parse(strFromU8(bytes), (key, value: unknown) => {
      if (UNSAFE_KEYS.has(key)) throw new WeightFileError(`model.keras: ${name} holds the forbidden key ${JSON.stringify(key)}.`);
      return value;
    });
  } catch (e) {
    if (e instanceof WeightFileError) throw e;
    return fail(`${name} is not valid JSON (${e instanceof Error ? e.message : String(e)}).`);
  }
}

function tensorAt(r: H5Reader, path: string): KerasTensor | null {
  const d = r.dataset(path);
  if (!d) return null;
  if (!d.data) fail(`model.weights.h5 ${path} holds values of type ${JSON.stringify(d.dtype)}; only float32 or float64 weights can be opened.`);
  return { shape: d.shape, data: d.data };
}

/**
 * Reads a .keras archive; throws WeightFileError naming what is wrong: not a zip, a missing member, config.json
 * that is not a model the playground can hold, model.weights.h5 that is not HDF5, a variable missing, mis-shaped,
 * of a non-float type or non-finite.
 */
export async function loadKerasModel(bytes: Uint8Array, opts: LayersImportOptions = {}): Promise<LoadedModel> {
  if (bytes.length > MAX_KERAS_BYTES) fail(`the file is ${bytes.length} bytes, over the ${MAX_KERAS_BYTES}-byte limit.`);
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) fail('the file is not a zip archive (a .keras file is one); it may be a Keras 2 .h5 model or truncated.');
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (f) => ['config.json', 'metadata.json', 'model.weights.h5'].includes(f.name) && f.originalSize <= MAX_KERAS_BYTES });
  } catch (e) {
    return fail(`the zip archive cannot be read (${e instanceof Error ? e.message : String(e)}); the file may be truncated or damaged.`);
  }
  const config = parseJson(files['config.json'], 'config.json', true);
  const metadata = parseJson(files['metadata.json'], 'metadata.json', false);
  const stack = readStack(config, 'model.keras (config.json)');
  const h5 = files['model.weights.h5'];
  if (!h5) fail('the archive has no model.weights.h5 (the weights); a .keras file saved with weights_format="npz" cannot be opened.');
  const embedded = typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>)[KERAS_METADATA_KEY] : undefined;
  try {
    return await readH5(h5, (r) => {
      const source: WeightSource = {
        embedding: (l) => tensorAt(r, `${l.path}/vars/0`),
        cell: (l, d) => [0, 1, 2].map((i) => tensorAt(r, `${cellPath(l, d)}/cell/vars/${i}`)),
        dense: (l) => [tensorAt(r, `${l.path}/vars/0`), tensorAt(r, `${l.path}/vars/1`)],
        where: (l, what, d) => {
          const index = { embeddings: 0, kernel: 0, recurrent_kernel: 1, bias: l.className === 'Dense' ? 1 : 2 }[what] ?? 0;
          const path = l.className === 'Dense' || l.className === 'Embedding' ? `${l.path}/vars/${index}` : `${cellPath(l, d ?? 0)}/cell/vars/${index}`;
          return `model.weights.h5 ${path} (the ${what} of layer ${JSON.stringify(l.name)})`;
        },
      };
      return loadLayers(stack, source, embedded, 'model.keras', `metadata.json ${KERAS_METADATA_KEY}`, opts);
    });
  } catch (e) {
    if (e instanceof WeightFileError) throw e;
    return fail(`model.weights.h5: ${e instanceof Error ? e.message : String(e)}.`);
  }
}

function cellPath(l: ReadLayer, direction: number): string {
  return l.inner ? `${l.path}/${direction === 0 ? 'forward_layer' : 'backward_layer'}` : l.path;
}
