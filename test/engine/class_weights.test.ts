// Class-weighted cross-entropy on the fast CPU engine against the float64 reference engine (loss, gradient, weighted
// validation loss, unweighted accuracy); the same comparison with the weights left out fails (negative control).
import { describe, expect, it } from 'vitest';
import { CpuEngine } from '../../src/engine/cpu_engine';
import { ReferenceEngine } from '../../src/engine/reference_engine';
import { validateConfig } from '../../src/engine/config';
import { differences, largest, measure, WEIGHTED } from './class_weight_cases';

describe("classWeights 'balanced' on the CPU engine", () => {
  it('matches the float64 reference: loss, gradient, validation loss and accuracy', async () => {
    const ref = await measure(new ReferenceEngine(WEIGHTED), WEIGHTED);
    const cpu = await measure(new CpuEngine(WEIGHTED), WEIGHTED);
    const d = differences(cpu, ref);
    console.info(`class weights, CPU engine vs float64 reference: ${JSON.stringify(d)}`);
    expect(d.trainLoss).toBeLessThan(1e-6);
    expect(d.valLoss).toBeLessThan(1e-6);
    expect(d.valAccuracy).toBe(0);
    expect(d.grads).toBeLessThan(1e-5);
  });

  it('negative control: weights of 1 (the weights ignored) miss the weighted reference by far', async () => {
    const ref = await measure(new ReferenceEngine(WEIGHTED), WEIGHTED);
    const ignored = await measure(new CpuEngine(WEIGHTED), WEIGHTED, new Float32Array(WEIGHTED.outputSize).fill(1));
    const d = differences(ignored, ref);
    expect(d.trainLoss).toBeGreaterThan(1e-3);
    expect(d.valLoss).toBeGreaterThan(1e-3);
    expect(d.grads).toBeGreaterThan(100 * 1e-5);
    expect(d.grads).toBeGreaterThan(0.01 * largest(ref));
  });

  it('the engines refuse to step without the weights, and refuse weights the settings do not ask for', () => {
    const e = new CpuEngine(WEIGHTED);
    expect(() => e.trainStep(new Float32Array(WEIGHTED.window * 2), new Float32Array([0]), 1)).toThrow(/no class weights were given/);
    expect(() => e.setClassWeights([1, 2])).toThrow(/2 weights for 4 classes/);
    expect(() => e.setClassWeights([1, 2, NaN, 0])).toThrow(/class weight 2 must be a finite number/);
    const plain = new ReferenceEngine({ ...WEIGHTED, classWeights: 'none' });
    expect(() => plain.setClassWeights([1, 1, 1, 1])).toThrow(/classWeights 'none'/);
  });

  it('validateConfig allows class weights only for cross-entropy with a head on the last step', () => {
    expect(validateConfig(WEIGHTED)).toEqual([]);
    expect(validateConfig({ ...WEIGHTED, loss: 'mse' })).toEqual([expect.stringMatching(/^classWeights 'balanced' needs the cross_entropy loss/)]);
    expect(validateConfig({ ...WEIGHTED, headOn: 'every_step' })).toEqual([expect.stringMatching(/^classWeights 'balanced' needs a head on the last step/)]);
    expect(validateConfig({ ...WEIGHTED, classWeights: 'inverse' as never })).toEqual([expect.stringMatching(/^classWeights must be one of none, balanced/)]);
  });
});
