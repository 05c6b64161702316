// The PyTorch fixture format (../shared/fixtures/torch/README.md) and the engine config it describes.
import { DEFAULT_CONFIG, type TrainConfig } from '../engine/config';

export interface TorchFixture {
  name: string;
  cell: 'lstm' | 'gru' | 'rnn';
  input_size: number;
  hidden_size: number;
  num_layers: number;
  bidirectional: boolean;
  batch: number;
  steps: number;
  head_out: number;
  head_on: 'last_step' | 'every_step';
  loss: 'mse' | 'ce';
  x: number[];
  target: number[];
  params: Record<string, number[]>;
  shapes: Record<string, number[]>;
  outputs: number[];
  prediction: number[];
  loss_value: number;
  grads: Record<string, number[]>;
  grad_x: number[];
  adam: { lr: number; betas: [number, number]; eps: number; weight_decay: number; params_after_one_step: Record<string, number[]> };
  gates_seq0_layer0?: Partial<Record<string, number[][]>>;
}

const REQUIRED: (keyof TorchFixture)[] = ['cell', 'input_size', 'hidden_size', 'num_layers', 'batch', 'steps', 'head_out', 'x', 'target', 'params', 'shapes', 'grads', 'adam'];

/** Parses and checks a fixture file's text; throws a message naming the missing or wrong field. */
export function parseTorchFixture(text: string, source = 'fixture'): TorchFixture {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${source} must hold a JSON object`);
  const f = raw as TorchFixture;
  for (const k of REQUIRED) if (!(k in f)) throw new Error(`${source} has no "${k}" field`);
  if (!['lstm', 'gru', 'rnn'].includes(f.cell)) throw new Error(`${source}: cell must be lstm, gru or rnn (got ${String(f.cell)})`);
  if (!['mse', 'ce'].includes(f.loss)) throw new Error(`${source}: loss must be mse or ce (got ${String(f.loss)})`);
  f.name ??= source;
  f.head_on ??= 'last_step';
  f.bidirectional ??= false;
  return f;
}

export function fixtureConfig(f: TorchFixture): TrainConfig {
  return {
    ...DEFAULT_CONFIG,
    cell: f.cell,
    inputSize: f.input_size,
    hiddenSize: f.hidden_size,
    numLayers: f.num_layers,
    bidirectional: f.bidirectional,
    outputSize: f.head_out,
    headOn: f.head_on,
    loss: f.loss === 'ce' ? 'cross_entropy' : 'mse',
    window: f.steps,
    batchSize: f.batch,
    optimizer: 'adam',
    learningRate: f.adam.lr,
    beta1: f.adam.betas[0],
    beta2: f.adam.betas[1],
    eps: f.adam.eps,
    weightDecay: f.adam.weight_decay,
  };
}
