// Opens a TF.js layers model (model.json with modelTopology + weightsManifest, and its weight files) holding an LSTM,
// GRU or SimpleRNN stack: every shape, size and name checked, the weights converted back to the engine's.
import type { LoadedModel } from './model_files';
import { MAX_MANIFEST_CHARS } from './manifest_parse';
import { WeightFileError } from './safetensors';
import { readStack, type ReadLayer } from './keras_topology';
import { loadLayers, type LayersImportOptions, type WeightSource } from './layers_import';
import type { KerasTensor } from './keras_weights';
import { TFJS_METADATA_KEY } from './tfjs_export';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Whether a JSON text is a TF.js layers model.json (rather than this app's model.json). */
export function isTfjsModelJson(text: string): boolean {
  return /"modelTopology"\s*:/.test(text.slice(0, 1 << 20)) && /"weightsManifest"\s*:/.test(text);
}

/** The file name at the end of a weightsManifest path ("./group1-shard1of1.bin" → "group1-shard1of1.bin"). */
const baseName = (p: string) => p.split('/').at(-1) ?? p;

/**
 * Reads model.json text and the weight files it names (by base name); throws WeightFileError naming the file and the
 * problem: not JSON, not a layers model, a layer the playground cannot hold, a missing or wrong-sized weight file, a
 * weight that is missing, extra, mis-shaped, not float32 or not finite.
 */
export function loadTfjsModel(jsonText: string, weightFiles: Map<string, Uint8Array>, opts: LayersImportOptions = {}): LoadedModel {
  const file = 'model.json (TF.js)';
  const fail = (m: string): never => {
    throw new WeightFileError(`${file}: ${m}`);
  };
  if (jsonText.length > MAX_MANIFEST_CHARS) fail(`the file is ${jsonText.length} characters, over the ${MAX_MANIFEST_CHARS}-character limit.`);
  let raw: unknown;
  try {
    raw = JSON.parse(jsonText, (key, value: unknown) => {
      if (UNSAFE_KEYS.has(key)) throw new WeightFileError(`${file}: the forbidden key ${JSON.stringify(key)} appears in the file.`);
      return value;
    });
  } catch (e) {
    if (e instanceof WeightFileError) throw e;
    fail(`the file is not valid JSON (${e instanceof Error ? e.message : String(e)}).`);
  }
  if (!isObj(raw)) fail('the top level is not an object.');
  const m = raw as Obj;
  if (m.format !== undefined && m.format !== 'layers-model') fail(`format is ${JSON.stringify(m.format)}; only a TF.js layers model ("layers-model") can be opened (a graph model has no layers to look inside).`);
  const topology = isObj(m.modelTopology) && isObj(m.modelTopology.model_config) ? m.modelTopology.model_config : m.modelTopology;
  const stack = readStack(topology, file);
  if (!Array.isArray(m.weightsManifest)) fail('weightsManifest is missing or not a list.');
  const tensors = new Map<string, KerasTensor>();
  for (const [gi, g] of (m.weightsManifest as unknown[]).entries()) {
    if (!isObj(g) || !Array.isArray(g.paths) || !Array.isArray(g.weights)) fail(`weightsManifest[${gi}] needs "paths" and "weights" lists.`);
    const group = g as { paths: unknown[]; weights: unknown[] };
    const parts = group.paths.map((p, pi) => {
      if (typeof p !== 'string') fail(`weightsManifest[${gi}].paths[${pi}] is not a file name.`);
      const bytes = weightFiles.get(baseName(p as string));
      if (!bytes) fail(`the weight file ${JSON.stringify(baseName(p as string))} it names was not given; choose model.json together with its .bin file${group.paths.length > 1 ? 's' : ''}.`);
      return bytes!;
    });
    const total = parts.reduce((s, p) => s + p.length, 0);
    const joined = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      joined.set(p, at);
      at += p.length;
    }
    let offset = 0;
    for (const [wi, w] of group.weights.entries()) {
      const where = `weightsManifest[${gi}].weights[${wi}]`;
      if (!isObj(w) || typeof w.name !== 'string' || !Array.isArray(w.shape)) fail(`${where} needs a name and a shape.`);
      const spec = w as { name: string; shape: unknown[]; dtype?: unknown; quantization?: unknown };
      if (spec.quantization !== undefined) fail(`weight ${JSON.stringify(spec.name)} is quantized; only float32 weights can be opened.`);
      if ((spec.dtype ?? 'float32') !== 'float32') fail(`weight ${JSON.stringify(spec.name)} is ${String(spec.dtype)}; only float32 weights can be opened.`);
      if (!spec.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) fail(`weight ${JSON.stringify(spec.name)} has shape ${JSON.stringify(spec.shape)}.`);
      const shape = spec.shape as number[];
      const n = shape.reduce((a, b) => a * b, 1);
      if (offset + 4 * n > total) fail(`the weight files hold ${total} bytes, but weight ${JSON.stringify(spec.name)} needs bytes up to ${offset + 4 * n}; a file is truncated or belongs to another model.`);
      if (tensors.has(spec.name)) fail(`weight ${JSON.stringify(spec.name)} appears twice.`);
      tensors.set(spec.name, { shape, data: new Float32Array(joined.slice(offset, offset + 4 * n).buffer) });
      offset += 4 * n;
    }
    if (offset !== total) fail(`the weight files of group ${gi} hold ${total} bytes but its weights take ${offset}; a file belongs to another model.`);
  }
  const used = new Set<string>();
  const take = (name: string | undefined): KerasTensor | null => {
    if (name === undefined) return null;
    const t = tensors.get(name);
    if (t) used.add(name);
    return t ?? null;
  };
  /** A Bidirectional's direction weight: `<bidi>/forward_<inner>/kernel` (or any nesting below `<bidi>/forward…`). */
  const directional = (layer: ReadLayer, d: number, what: string) => {
    const prefix = `${layer.name}/${d === 0 ? 'forward' : 'backward'}`;
    return [...tensors.keys()].find((k) => k.startsWith(prefix) && k.endsWith(`/${what}`));
  };
  const cellName = (layer: ReadLayer, d: number, what: string) => (layer.inner ? directional(layer, d, what) : tensors.has(`${layer.name}/${what}`) ? `${layer.name}/${what}` : [...tensors.keys()].find((k) => k.startsWith(`${layer.name}/`) && k.endsWith(`/${what}`)));
  const source: WeightSource = {
    embedding: (l) => take(`${l.name}/embeddings`),
    cell: (l, d) => ['kernel', 'recurrent_kernel', 'bias'].map((w) => take(cellName(l, d, w))),
    dense: (l) => [take(`${l.name}/kernel`), take(`${l.name}/bias`)],
    where: (l, what, d) => `the weight ${what} of layer ${JSON.stringify(l.name)}${l.inner ? ` (${d === 0 ? 'forward' : 'backward'})` : ''}`,
  };
  const meta = isObj(m.userDefinedMetadata) ? m.userDefinedMetadata[TFJS_METADATA_KEY] : undefined;
  const loaded = loadLayers(stack, source, meta, file, `userDefinedMetadata.${TFJS_METADATA_KEY}`, opts);
  const extra = [...tensors.keys()].filter((k) => !used.has(k));
  if (extra.length > 0) fail(`weight${extra.length === 1 ? '' : 's'} ${extra.map((k) => JSON.stringify(k)).join(', ')} belong${extra.length === 1 ? 's' : ''} to no layer the playground reads.`);
  return loaded;
}
