// The part of a Keras / TF.js import both formats share: weights checked against the stack's shapes, the model
// description (this app's, carried in the file, or one made up for a model from elsewhere), and the conversion back.
import type { TrainConfig } from '../engine/config';
import type { LoadedModel } from './model_files';
import { buildModelManifest, identity, manifestProblems, type DataDescription, type ModelManifest } from './manifest';
import { parseModelManifest } from './manifest_parse';
import { WeightFileError } from './safetensors';
import { fromKerasWeights, kerasShapes, type KerasCellWeights, type KerasTensor } from './keras_weights';
import type { ReadLayer, ReadStack } from './keras_topology';

/** Where an importer finds a layer's variables, in Keras order; null where the file has none. */
export interface WeightSource {
  embedding(layer: ReadLayer): KerasTensor | null;
  /** kernel, recurrent_kernel, bias of one direction (0 forward, 1 backward). */
  cell(layer: ReadLayer, direction: number): (KerasTensor | null)[];
  dense(layer: ReadLayer): (KerasTensor | null)[];
  /** Names the variable in messages (a dataset path or a weight name). */
  where(layer: ReadLayer, what: string, direction?: number): string;
}

export interface LayersImportOptions {
  /** The window to give a model whose input has no fixed number of steps (the loaded data's); else the default. */
  window?: number;
}

const SHAPE_FIELDS = ['cell', 'inputSize', 'hiddenSize', 'numLayers', 'bidirectional', 'outputSize', 'vocabSize', 'headOn', 'window'] as const;

/** A data description for a model that was not made here: features x0…, targets y0… (or classes), no scaling. */
function foreignDescription(c: TrainConfig, file: string): DataDescription {
  const classifier = c.loss === 'cross_entropy';
  const text = c.vocabSize > 0;
  const inputs = text ? ['text'] : Array.from({ length: c.inputSize }, (_, i) => `x${i}`);
  const targets = classifier ? ['label'] : Array.from({ length: c.outputSize }, (_, i) => `y${i}`);
  return {
    task: classifier ? (text ? 'classify-text' : 'classify-sequences') : 'forecast',
    dataset: { name: file, rows: 0, columns: [...inputs.map((name) => ({ name, type: text ? 'text' : 'number' }) as const), ...targets.map((name) => ({ name, type: classifier ? 'category' : 'number' }) as const)] },
    inputColumns: inputs,
    targetColumns: targets,
    window: c.window,
    horizon: classifier ? 0 : 1,
    stride: 1,
    timeColumn: null,
    groupColumn: null,
    layout: 'long',
    missing: 'drop',
    split: { valFraction: c.valFraction, testFraction: 0 },
    normalization: { inputs: text ? [] : inputs.map(identity), targets: classifier ? [] : targets.map(identity) },
    vocabulary: text ? { level: 'word', tokens: Array.from({ length: c.vocabSize }, (_, i) => `token_${i}`), padId: 0, unknownId: Math.min(1, c.vocabSize - 1), lowercase: true, padSide: 'left' } : null,
    classNames: classifier ? Array.from({ length: c.outputSize }, (_, i) => `class ${i}`) : null,
  };
}

/** This app's model.json carried inside the file, validated and checked against the layers (null when absent). */
function embeddedManifest(embedded: unknown, stack: ReadStack, file: string, key: string): ModelManifest | null {
  if (embedded === undefined || embedded === null) return null;
  let m: ModelManifest;
  try {
    m = parseModelManifest(JSON.stringify(embedded));
  } catch (e) {
    throw new WeightFileError(`${file}: its ${key} model description is not valid (${e instanceof Error ? e.message : String(e)})`);
  }
  const differ = SHAPE_FIELDS.filter((f) => m.config[f] !== stack.config[f] && !(f === 'window' && stack.windowGuessed));
  // A linear head may hold a classifier's logits; a softmax head is a classifier either way.
  if (stack.config.loss === 'cross_entropy' && m.config.loss !== 'cross_entropy') {
    throw new WeightFileError(`${file}: its ${key} model description is a regression model but the layers' head is a softmax (a classifier).`);
  }
  if (differ.length > 0) {
    throw new WeightFileError(`${file}: its ${key} model description does not match its layers: ${differ.map((f) => `${f} ${JSON.stringify(m.config[f])} in the description vs ${JSON.stringify(stack.config[f])} in the layers`).join(', ')}.`);
  }
  return m;
}

function checked(t: KerasTensor | null, shape: number[], where: string, file: string): KerasTensor {
  if (!t) throw new WeightFileError(`${file}: ${where} is missing.`);
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new WeightFileError(`${file}: ${where} has shape [${t.shape.join(', ')}] but the layers need [${shape.join(', ')}].`);
  }
  const n = shape.reduce((a, b) => a * b, 1);
  if (t.data.length !== n) throw new WeightFileError(`${file}: ${where} holds ${t.data.length} values but its shape needs ${n}.`);
  const bad = t.data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new WeightFileError(`${file}: ${where} holds a non-finite value (${t.data[bad]}) at index ${bad}.`);
  return t;
}

/**
 * The loaded model of a read stack: every variable present, shaped and finite; the file's own model description
 * when it carries one (its normalization undone from the weights), else a plain one (x0…, y0…, no scaling).
 */
export function loadLayers(stack: ReadStack, source: WeightSource, embedded: unknown, file: string, key: string, opts: LayersImportOptions = {}): LoadedModel {
  if (stack.windowGuessed && opts.window !== undefined) stack = { ...stack, config: { ...stack.config, window: opts.window } };
  const described = embeddedManifest(embedded, stack, file, key);
  const config = described ? described.config : stack.config;
  const shapes = kerasShapes(config);
  const embedding = stack.embedding ? checked(source.embedding(stack.embedding), shapes.embedding!, source.where(stack.embedding, 'embeddings'), file) : null;
  const layers: KerasCellWeights[][] = stack.recurrent.map((r, l) => {
    const want = shapes.cell(l);
    return Array.from({ length: config.bidirectional ? 2 : 1 }, (_, d) => {
      const [k, rk, b] = source.cell(r, d);
      return {
        kernel: checked(k, want[0], source.where(r, 'kernel', d), file),
        recurrentKernel: checked(rk, want[1], source.where(r, 'recurrent_kernel', d), file),
        bias: checked(b, want[2], source.where(r, 'bias', d), file),
      };
    });
  });
  const [hk, hb] = source.dense(stack.dense);
  const head = { kernel: checked(hk, shapes.head[0], source.where(stack.dense, 'kernel'), file), bias: checked(hb, shapes.head[1], source.where(stack.dense, 'bias'), file) };
  const manifest = described ?? buildModelManifest(config, foreignDescription(config, file));
  const tensors = fromKerasWeights(config, { embedding, layers, head }, manifest.normalization);
  const problems = manifestProblems(manifest);
  if (problems.length > 0) throw new WeightFileError(`${file}: ${problems.join('; ')}.`);
  return { config, tensors, manifest };
}
