// Loads the PyTorch float64 fixtures from ../shared/fixtures/torch and compares arrays against them.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
  gates_seq0_layer0?: Record<'i' | 'f' | 'g' | 'o' | 'c' | 'h', number[][]>;
}

export const FIXTURE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/fixtures/torch');

export function loadFixture(name: string): TorchFixture {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, `${name}.json`), 'utf8')) as TorchFixture;
}

export function fixtureNames(): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** Worst element-wise relative error |a-b| / max(|b|, 1e-3), b being the truth. */
export function maxRelError(actual: ArrayLike<number>, truth: ArrayLike<number>): number {
  if (actual.length !== truth.length) throw new Error(`length mismatch: ${actual.length} vs ${truth.length}`);
  let worst = 0;
  for (let i = 0; i < truth.length; i++) {
    const e = Math.abs(actual[i] - truth[i]) / Math.max(Math.abs(truth[i]), 1e-3);
    if (!(e <= worst)) worst = e; // NaN propagates as the worst
  }
  return worst;
}

/** Norm-wise relative error ||a - b|| / ||b||, b being the truth. */
export function normRelError(actual: ArrayLike<number>, truth: ArrayLike<number>): number {
  if (actual.length !== truth.length) throw new Error(`length mismatch: ${actual.length} vs ${truth.length}`);
  let num = 0, den = 0;
  for (let i = 0; i < truth.length; i++) {
    num += (actual[i] - truth[i]) ** 2;
    den += truth[i] ** 2;
  }
  return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-30);
}
