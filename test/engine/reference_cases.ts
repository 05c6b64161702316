// The GPU engine against the float64 reference on random problems, shared by against_reference.gpu.test.ts (the
// design the device picks) and per_step_recurrence.gpu.test.ts (each design forced): the cases, and the checks that
// return the worst relative error per tensor.
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/config';
import { dropoutKeep, dropoutSalt, dropoutStepSeed } from '../../src/engine/dropout_mask';
import { RecurrentTrainer, type TrainerOptions } from '../../src/engine/recurrent_trainer';
import type { NamedTensor } from '../../src/engine/tensor';
import {
  adamStep, backward, forward, lossOf, newOptimizerState, type DropoutMask, type ParamMap,
} from '../../src/reference/recurrent_reference';
import { referenceSpec } from '../../src/reference/reference_spec';
import { Prng } from '../../src/util/prng';
import { maxRelError } from '../../src/verify/verify_fixture';

export function problem(c: TrainConfig, seed: number): { x: Float32Array; y: Float32Array } {
  const rng = new Prng(seed);
  const B = c.batchSize, T = c.window;
  const x = c.vocabSize > 0
    ? Float32Array.from({ length: B * T }, () => rng.int(c.vocabSize))
    : Float32Array.from({ length: B * T * c.inputSize }, () => rng.normal());
  const rows = B * (c.headOn === 'every_step' ? T : 1);
  const y = c.loss === 'cross_entropy'
    ? Float32Array.from({ length: rows }, () => rng.int(c.outputSize))
    : Float32Array.from({ length: rows * c.outputSize }, () => 2 * rng.normal());
  return { x, y };
}

export const toMap = (ts: NamedTensor[]): ParamMap => new Map(ts.map((t) => [t.name, Float64Array.from(t.data)]));

export interface Case {
  name: string;
  config: Partial<TrainConfig>;
}

export const CASES: Case[] = [
  { name: 'lstm T=1 B=1 H=1', config: { cell: 'lstm', inputSize: 1, hiddenSize: 1, window: 1, batchSize: 1 } },
  { name: 'gru 2 layers bidirectional H=7', config: { cell: 'gru', inputSize: 3, hiddenSize: 7, numLayers: 2, bidirectional: true, window: 5, batchSize: 3 } },
  { name: 'rnn 3 layers H=33 every step huber', config: { cell: 'rnn', inputSize: 2, hiddenSize: 33, numLayers: 3, window: 6, batchSize: 2, headOn: 'every_step', loss: 'huber', outputSize: 2 } },
  // 24 rows per LSTM workgroup at H=70 (3 groups of the forward's 8 rows): 3 workgroups, the last with 3 rows
  { name: 'lstm H=70 B=51 (3 workgroups, a partial row group) mae', config: { cell: 'lstm', inputSize: 5, hiddenSize: 70, window: 4, batchSize: 51, loss: 'mae', outputSize: 3 } },
  // 8 rows per GRU/RNN workgroup at H=100 (2 groups of 4 rows): 3 workgroups, the last with 7 rows
  { name: 'gru H=100 B=23 (3 workgroups, a partial row group) bidirectional', config: { cell: 'gru', inputSize: 2, hiddenSize: 100, bidirectional: true, window: 4, batchSize: 23 } },
  { name: 'rnn H=100 B=23 (3 workgroups, a partial row group) 2 layers', config: { cell: 'rnn', inputSize: 2, hiddenSize: 100, numLayers: 2, window: 4, batchSize: 23 } },
  { name: 'lstm H=260 (invocations loop over hidden units) bidirectional', config: { cell: 'lstm', inputSize: 2, hiddenSize: 260, bidirectional: true, window: 3, batchSize: 6 } },
  { name: 'lstm bidirectional 2 layers dropout cross-entropy', config: { cell: 'lstm', inputSize: 4, hiddenSize: 6, numLayers: 2, bidirectional: true, dropout: 0.4, window: 5, batchSize: 4, loss: 'cross_entropy', outputSize: 3 } },
  { name: 'gru 3 layers dropout every step cross-entropy', config: { cell: 'gru', inputSize: 3, hiddenSize: 5, numLayers: 3, dropout: 0.3, window: 4, batchSize: 3, headOn: 'every_step', loss: 'cross_entropy', outputSize: 4 } },
  { name: 'rnn bidirectional embedding', config: { cell: 'rnn', vocabSize: 11, inputSize: 4, hiddenSize: 5, bidirectional: true, window: 6, batchSize: 3 } },
  { name: 'lstm embedding cross-entropy', config: { cell: 'lstm', vocabSize: 9, inputSize: 3, hiddenSize: 4, window: 7, batchSize: 5, loss: 'cross_entropy', outputSize: 2 } },
  { name: 'gru wide input I=65 B=70 (several matmul tiles)', config: { cell: 'gru', inputSize: 65, hiddenSize: 9, window: 3, batchSize: 70 } },
];

/** A case's full config. */
export function caseConfig(cs: Case): TrainConfig {
  return { ...DEFAULT_CONFIG, learningRate: 0.003, seed: 5, ...cs.config };
}

/** The tolerance of one tensor of trainStepErrors: 1e-5 for the optimizer's output, 1e-4 for the rest. */
export const referenceTolerance = (tensor: string): number => (tensor.startsWith('adam') ? 1e-5 : 1e-4);

/**
 * One training step of a case on the GPU engine against the float64 reference: the worst relative error of the
 * prediction, loss, d loss / d x, every gradient, and the Adam step on the GPU's gradients. `tamper` may change the
 * trainer's training-step dispatches before the step (negative controls).
 */
export async function trainStepErrors(
  device: GPUDevice,
  cs: Case,
  options: TrainerOptions = {},
  tamper?: (trainer: RecurrentTrainer) => void,
): Promise<Record<string, number>> {
  const c = caseConfig(cs);
  const trainer = await RecurrentTrainer.create(device, c, { computeInputGrad: c.vocabSize === 0, ...options });
  try {
    const B = c.batchSize, T = c.window, H = c.hiddenSize;
    const { x, y } = problem(c, 17);
    const p = toMap(await trainer.readParameters());
    const spec = referenceSpec(c);
    // the very mask the GPU draws for training step 1
    const stepSeed = dropoutStepSeed(c.seed, 1);
    const mask: DropoutMask | undefined = c.dropout > 0
      ? (l, d, t, b, j) => dropoutKeep(stepSeed, dropoutSalt(l, d), (t * B + b) * H + j, c.dropout)
      : undefined;
    const errors: Record<string, number> = {};
    const evalFwd = forward(spec, p, x, B, T);
    errors.prediction = maxRelError(await trainer.predict(x, B), evalFwd.prediction);
    const fwd = forward(spec, p, x, B, T, mask);
    const { loss, dPrediction } = lossOf(spec, fwd.prediction, y);
    const { grads, dx } = backward(spec, p, fwd, dPrediction, x, B, T, mask);
    tamper?.(trainer);
    trainer.trainStep(x, y, B);
    errors.loss = maxRelError([await trainer.readLastLoss()], [loss]);
    if (c.vocabSize === 0) errors.dx = maxRelError(await trainer.readInputGradient(B), dx);
    const gpuGrads = await trainer.readGradients();
    for (const g of gpuGrads) errors[`grad ${g.name}`] = maxRelError(g.data, grads.get(g.name)!);
    // the optimizer kernel against the float64 Adam applied to the same (GPU) gradients
    const q = new Map(p);
    adamStep(q, toMap(gpuGrads), newOptimizerState(), { lr: c.learningRate, beta1: c.beta1, beta2: c.beta2, eps: c.eps, weightDecay: 0, decoupled: false });
    for (const t of await trainer.readParameters()) errors[`adam ${t.name}`] = maxRelError(t.data, q.get(t.name)!);
    return errors;
  } finally {
    trainer.dispose();
  }
}

/** The probe's config: two bidirectional layers with dropout (the probe runs without it). */
export function probeConfig(cell: TrainConfig['cell']): TrainConfig {
  return { ...DEFAULT_CONFIG, cell, inputSize: 3, hiddenSize: 6, numLayers: 2, bidirectional: true, window: 5, batchSize: 4, dropout: 0.5 };
}

/**
 * The probe of one sequence against the float64 reference, for each layer (1, then 0) and direction: the worst relative
 * error of the per-step gradient norm, h, each gate and (LSTM) c, with the names the probe reported; and the training
 * steps the loss sums hold afterwards (the probe adds none).
 */
export async function probeErrors(
  device: GPUDevice,
  cell: TrainConfig['cell'],
  options: TrainerOptions = {},
): Promise<{ probes: { layer: number; dir: number; names: string[]; errors: Record<string, number> }[]; trainSteps: number }> {
  const c = probeConfig(cell);
  const trainer = await RecurrentTrainer.create(device, c, options);
  try {
    const { x, y } = problem({ ...c, batchSize: 1 }, 8);
    const p = toMap(await trainer.readParameters());
    const spec = referenceSpec(c);
    const fwd = forward(spec, p, x, 1, c.window);
    const { dPrediction } = lossOf(spec, fwd.prediction, y);
    const { dhNorm } = backward(spec, p, fwd, dPrediction, x, 1, c.window);
    const probes = [];
    for (const layer of [1, 0]) {
      for (const dir of [0, 1]) {
        const probe = await trainer.probe(x, y, layer, dir);
        const ref = fwd.layers[layer][dir];
        const errors: Record<string, number> = { gradNorm: maxRelError(probe.gradNorm, dhNorm[layer][dir]), h: maxRelError(probe.values.h, ref.h) };
        const gateNames = cell === 'lstm' ? ['i', 'f', 'g', 'o'] : cell === 'gru' ? ['r', 'z', 'n'] : [];
        const GS = cell === 'rnn' ? 1 : 4, H = c.hiddenSize;
        gateNames.forEach((g, gi) => {
          const truth = Array.from({ length: c.window * H }, (_, k) => ref.gates[Math.floor(k / H) * GS * H + gi * H + (k % H)]);
          errors[g] = maxRelError(probe.values[g], truth);
        });
        if (cell === 'lstm') errors.c = maxRelError(probe.values.c, ref.c!);
        probes.push({ layer, dir, names: probe.names, errors });
      }
    }
    return { probes, trainSteps: (await trainer.readLosses()).trainSteps };
  } finally {
    trainer.dispose();
  }
}

/** The names a probe of `cell` reports, in order. */
export function probeNames(cell: TrainConfig['cell']): string[] {
  const gateNames = cell === 'lstm' ? ['i', 'f', 'g', 'o'] : cell === 'gru' ? ['r', 'z', 'n'] : [];
  return [...gateNames, ...(cell === 'lstm' ? ['c'] : []), 'h'];
}
