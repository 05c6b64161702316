// Bench configurations, engine names, result rows and FLOP counts, shared by the bench page and the Node runner.

/** One LSTM training shape: window T, input features I, hidden size H, batch B, stacked layers. */
export interface BenchConfig {
  name: string;
  T: number;
  I: number;
  H: number;
  B: number;
  layers: number;
  /** A character language model instead: token ids in (an embedding of I), the next token out at every step over this
   *  vocabulary (cross-entropy). Rows report samples (windows) per second; characters per second = samples/s × T. */
  vocab?: number;
}

export const CONFIGS: Readonly<Record<string, BenchConfig>> = {
  S: { name: 'S', T: 32, I: 1, H: 64, B: 64, layers: 1 },
  M: { name: 'M', T: 64, I: 8, H: 128, B: 128, layers: 2 },
  L: { name: 'L', T: 128, I: 32, H: 256, B: 256, layers: 2 },
  XL: { name: 'XL', T: 256, I: 64, H: 512, B: 256, layers: 1 },
  /** The text-generation task's default model on the built-in text: 67 characters, an embedding of 32, one LSTM of 128. */
  LM: { name: 'LM', T: 100, I: 32, H: 128, B: 32, layers: 1, vocab: 67 },
};

/**
 * Engines that time the LSTM training step inside the bench page, in this order: ours on WebGPU, ours on the CPU (the
 * engine the app falls back to without WebGPU), TF.js on each backend, jax-js on WebGPU and on its wasm backend.
 */
export const LSTM_ENGINES = ['ours', 'ours-cpu', 'tfjs-webgpu', 'tfjs-webgl', 'tfjs-cpu', 'tfjs-wasm', 'jax-js', 'jax-js-wasm'] as const;
/** LSTM engines the Node runner times outside the browser, on the same machine in the same run: PyTorch on the CPU. */
export const NODE_ENGINES = ['torch-cpu'] as const;
/** Our three matmul kernels timed alone: workgroup-memory tiles (GPUs), direct from storage (CPU adapters), and direct
 *  with A's loads shared across a 4-lane subgroup (CPU adapters whose subgroups suit it). */
export const MATMUL_ENGINES = ['matmul-tiled', 'matmul-direct', 'matmul-subgroup'] as const;
export const ENGINES = [...LSTM_ENGINES, ...NODE_ENGINES, ...MATMUL_ENGINES] as const;
/** PyTorch with cuDNN in fp32 and in tf32: rows only `lstm-playground bench --node --torch cuda` times (GPU machines
 *  have no Chromium), so the browser bench does not offer them. */
export const CUDA_ENGINES = ['torch-cudnn-fp32', 'torch-cudnn-tf32'] as const;
export type LstmEngine = (typeof LSTM_ENGINES)[number];
export type NodeEngine = (typeof NODE_ENGINES)[number];
export type MatmulEngine = (typeof MATMUL_ENGINES)[number];
export type Engine = (typeof ENGINES)[number] | (typeof CUDA_ENGINES)[number];

/** Engines whose failure is a failure of this project (the peers are only skipped). */
export const OWN_ENGINES: readonly Engine[] = ['ours', 'ours-cpu', ...MATMUL_ENGINES];
/** The engines the report compares every other LSTM row against ("ours ×" and "ours-cpu ×" columns). */
export const RATIO_BASES = ['ours', 'ours-cpu'] as const;

/**
 * One measurement. For LSTM rows msPerStep is one training step (forward, backward, Adam) and samplesPerSec is
 * B·1000/msPerStep. For matmul rows (config "MM<size>") msPerStep is one product (the median of the timed ones) and
 * samplesPerSec is products per second.
 */
export interface BenchRow {
  config: string;
  engine: Engine;
  adapter: string;
  msPerStep: number;
  samplesPerSec: number;
  gflops: number;
  /** LSTM rows: MSE on the bench batch with the initial weights, and after the warm-up and timed steps (the sanity check). */
  lossBefore?: number;
  lossAfter?: number;
}

/** An engine that did not produce a row, and why. */
export interface BenchMiss {
  config: string;
  engine: Engine;
  reason: string;
  /** true when the engine is ours (a bug to fix); false for a peer that is unavailable here. */
  failed: boolean;
}

export interface BenchOptions {
  configs: string[];
  steps: number;
  warmup: number;
  engines: Engine[];
  /** Square matmul sizes for the matmul rows. */
  matmulSizes: number[];
}

export interface BenchResult {
  /** The WebGPU adapter our engine ran on. */
  adapter: string;
  browser: string;
  /** The options after defaults were filled in. */
  options: BenchOptions;
  rows: BenchRow[];
  misses: BenchMiss[];
  /** Extra facts worth printing (which backend tfjs actually used, correctness checks). */
  notes: string[];
}

/** Steps are seconds long on SwiftShader (CPU), so few; on a GPU they are milliseconds and need more for a stable mean. */
export const SWIFTSHADER_STEPS = 3;
export const SWIFTSHADER_WARMUP = 1;
export const GPU_STEPS = 20;
export const GPU_WARMUP = 5;
/** Configs when the adapter is SwiftShader (CPU): L and XL take minutes per step there. */
export const SWIFTSHADER_CONFIGS = ['S', 'M'];
export const GPU_CONFIGS = ['S', 'M', 'L', 'XL'];
export const SWIFTSHADER_MATMUL_SIZES = [512, 1024];
export const GPU_MATMUL_SIZES = [1024, 2048, 4096];

export function isSwiftShader(adapter: string): boolean {
  return /swiftshader/i.test(adapter);
}

/**
 * FLOPs of one training step: per layer 2·G·H·(in+H) per sample-step forward (G gates: LSTM 4, GRU 3, RNN 1; in = I
 * for layer 0, H above), ×3 for forward + backward, × B × T. The head, activations and Adam are not counted.
 */
export function lstmFlopsPerStep(c: BenchConfig, gates = 4): number {
  let perSampleStep = 0;
  for (let l = 0; l < c.layers; l++) {
    const inSize = l === 0 ? c.I : c.H;
    perSampleStep += 2 * gates * c.H * (inSize + c.H);
  }
  return 3 * perSampleStep * c.B * c.T;
}

/** Builds a row from the measured time of one step (or one matmul of `flops`). */
export function makeRow(config: string, engine: Engine, adapter: string, msPerStep: number, samplesPerStep: number, flops: number): BenchRow {
  return {
    config,
    engine,
    adapter,
    msPerStep,
    samplesPerSec: (samplesPerStep * 1000) / msPerStep,
    gflops: flops / (msPerStep / 1000) / 1e9,
  };
}

export function matmulConfigName(size: number): string {
  return `MM${size}`;
}
