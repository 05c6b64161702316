// Class-weighted cross-entropy in the WebGPU kernel against the float64 reference engine: loss, gradient (one SGD
// step), weighted validation loss, unweighted accuracy; the weights left out fail the same comparison (negative control).
import { describe, expect, it } from 'vitest';
import type { TrainConfig } from '../../src/engine/config';
import { RecurrentTrainer } from '../../src/engine/recurrent_trainer';
import { ReferenceEngine } from '../../src/engine/reference_engine';
import { useGpu } from '../gpu/harness';
import { differences, largest, measure, WEIGHTED } from './class_weight_cases';

const gpu = useGpu();

const CASES: [string, TrainConfig][] = [
  ['37 rows', WEIGHTED],
  ['300 rows (invocations loop over rows), gru bidirectional', { ...WEIGHTED, batchSize: 300, cell: 'gru', bidirectional: true }],
];

describe("classWeights 'balanced' on the GPU", () => {
  for (const [name, c] of CASES) {
    it(`${name}: matches the float64 reference`, () =>
      gpu.scoped(async () => {
        const ref = await measure(new ReferenceEngine(c), c);
        const g = await RecurrentTrainer.create(gpu.ctx().device, c);
        try {
          const d = differences(await measure(g, c), ref);
          console.info(`class weights, GPU vs float64 reference (${name}): ${JSON.stringify(d)}`);
          expect(d.trainLoss).toBeLessThan(1e-5);
          expect(d.valLoss).toBeLessThan(1e-5);
          expect(d.valAccuracy).toBe(0);
          expect(d.grads).toBeLessThan(1e-5);
        } finally {
          g.dispose();
        }
      }));
  }

  it('negative control: weights of 1 (the weights ignored) miss the weighted reference by far', () =>
    gpu.scoped(async () => {
      const ref = await measure(new ReferenceEngine(WEIGHTED), WEIGHTED);
      const g = await RecurrentTrainer.create(gpu.ctx().device, WEIGHTED);
      try {
        const d = differences(await measure(g, WEIGHTED, new Float32Array(WEIGHTED.outputSize).fill(1)), ref);
        expect(d.trainLoss).toBeGreaterThan(1e-3);
        expect(d.valLoss).toBeGreaterThan(1e-3);
        expect(d.grads).toBeGreaterThan(0.01 * largest(ref));
      } finally {
        g.dispose();
      }
    }));

  it('refuses a step before the weights are given', () =>
    gpu.scoped(async () => {
      const g = await RecurrentTrainer.create(gpu.ctx().device, WEIGHTED);
      try {
        expect(() => g.evalStep(new Float32Array(WEIGHTED.window * 2), new Float32Array([0]), 1)).toThrow(/no class weights were given/);
      } finally {
        g.dispose();
      }
    }));
});
