// The GPU engine against the float64 reference on random problems: every cell, bidirectional, dropout, every loss,
// both head placements, the embedding, odd sizes (H not a multiple of 4 or of the workgroup, T = 1, B = 1), optimizers.
// The cases and checks are in reference_cases.ts (per_step_recurrence.gpu.test.ts runs them with each design forced).
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/config';
import { RecurrentTrainer } from '../../src/engine/recurrent_trainer';
import type { NamedTensor } from '../../src/engine/tensor';
import { adamStep, clipGradNorm, newOptimizerState, sgdStep } from '../../src/reference/recurrent_reference';
import { Prng } from '../../src/util/prng';
import { maxRelError } from '../../src/verify/verify_fixture';
import { useGpu } from '../gpu/harness';
import { CASES, probeErrors, probeNames, referenceTolerance, toMap, trainStepErrors } from './reference_cases';

const gpu = useGpu();

describe('GPU engine vs float64 reference: one training step', () => {
  for (const cs of CASES) {
    it(cs.name, () =>
      gpu.scoped(async () => {
        const errors = await trainStepErrors(gpu.ctx().device, cs);
        const worst = Math.max(...Object.values(errors));
        console.log(`[gpu vs reference: ${cs.name}] worst relative error ${worst.toExponential(2)}`);
        for (const [k, e] of Object.entries(errors)) expect(e, k).toBeLessThanOrEqual(referenceTolerance(k));
      }),
    );
  }
});

describe('GPU optimizers vs float64 reference (two steps on known gradients)', () => {
  const variants: Partial<TrainConfig>[] = [
    { optimizer: 'adam', weightDecay: 0.01 },
    { optimizer: 'adamw', weightDecay: 0.05 },
    { optimizer: 'sgd', momentum: 0.9, weightDecay: 0.01, learningRate: 0.1 },
    { optimizer: 'sgd', momentum: 0, learningRate: 0.1 },
    { optimizer: 'adam', clipNorm: 0.5 },
    // 34 Ki parameters: the gradient norm sums three partial workgroups
    { optimizer: 'adam', clipNorm: 2, hiddenSize: 90, inputSize: 3 },
  ];
  for (const v of variants) {
    it(JSON.stringify(v), () =>
      gpu.scoped(async () => {
        const c: TrainConfig = { ...DEFAULT_CONFIG, hiddenSize: 5, inputSize: 2, window: 3, batchSize: 2, ...v };
        const trainer = await RecurrentTrainer.create(gpu.ctx().device, c);
        const rng = new Prng(3);
        const params = await trainer.readParameters();
        const p = toMap(params);
        const state = newOptimizerState();
        let worst = 0;
        for (let step = 0; step < 2; step++) {
          const g: NamedTensor[] = params.map((t) => ({ ...t, data: Float32Array.from(t.data, () => rng.normal()) }));
          trainer.writeGradients(g);
          trainer.optimizerStep();
          const ref = toMap(g);
          const norm = clipGradNorm(ref, c.clipNorm);
          if (c.optimizer === 'sgd') sgdStep(p, ref, state, { lr: c.learningRate, momentum: c.momentum, weightDecay: c.weightDecay });
          else adamStep(p, ref, state, { lr: c.learningRate, beta1: c.beta1, beta2: c.beta2, eps: c.eps, weightDecay: c.weightDecay, decoupled: c.optimizer === 'adamw' });
          const losses = await trainer.readLosses();
          expect(Math.abs(losses.gradNorm / norm - 1), 'reported gradient norm').toBeLessThan(1e-5);
          for (const t of await trainer.readParameters()) worst = Math.max(worst, maxRelError(t.data, p.get(t.name)!));
        }
        console.log(`[gpu optimizer ${JSON.stringify(v)}] worst relative error ${worst.toExponential(2)}`);
        expect(worst).toBeLessThanOrEqual(1e-5);
        trainer.dispose();
      }),
    );
  }
});

describe('GPU probe vs float64 reference', () => {
  for (const cell of ['lstm', 'gru', 'rnn'] as const) {
    it(`${cell}: gate activations and per-step gradient norm of one sequence, layer 1 of 2, both directions`, () =>
      gpu.scoped(async () => {
        const { probes, trainSteps } = await probeErrors(gpu.ctx().device, cell);
        for (const { layer, dir, names, errors } of probes) {
          expect(names).toEqual(probeNames(cell));
          console.log(`[gpu probe ${cell} layer ${layer} dir ${dir}] worst ${Math.max(...Object.values(errors)).toExponential(2)}`);
          for (const [k, e] of Object.entries(errors)) expect(e, k).toBeLessThanOrEqual(1e-4);
        }
        // the probe accumulates nothing into the loss sums
        expect(trainSteps).toBe(0);
      }),
    );
  }
});
