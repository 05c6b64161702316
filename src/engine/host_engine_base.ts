// What the two engines that run on the host (the CPU engine and the float64 reference engine) share: the checked
// config and layout, the running loss sums, the sticky non-finite flag, the learning rate, and yielding between steps.
import { checkedClassWeights } from './class_weight_check';
import { validateConfig, type TrainConfig } from './config';
import type { Losses } from './engine';
import { paramLayout, type ParamLayout } from './param_layout';
import { lossesOf, zeroSums, type RunningSums } from './running_losses';
import { yieldToEvents } from '../util/yield_to_events';

export abstract class HostEngineBase {
  readonly config: TrainConfig;
  readonly device = null;
  readonly layout: ParamLayout;
  protected sums: RunningSums = zeroSums();
  protected learningRate: number;
  protected gradNorm = NaN;
  protected nonFinite = false;
  /** classWeights 'balanced': the cross-entropy class weights (null until setClassWeights). */
  protected classWeights: Float32Array | null = null;

  constructor(config: TrainConfig) {
    const problems = validateConfig(config);
    if (problems.length > 0) throw new Error(`Invalid model settings: ${problems.join('; ')}.`);
    this.config = { ...config };
    this.layout = paramLayout(config);
    this.learningRate = config.learningRate;
  }

  /** Steps run when asked; this only lets the worker's messages (pause, stop) in between. */
  settled(): Promise<void> {
    return yieldToEvents();
  }

  async readLosses(): Promise<Losses> {
    return lossesOf(this.sums, this.config.loss !== 'cross_entropy', this.gradNorm, this.nonFinite);
  }

  resetLosses(): void {
    this.sums = zeroSums();
  }

  clearNonFinite(): void {
    this.nonFinite = false;
  }

  setClassWeights(weights: ArrayLike<number>): void {
    this.classWeights = checkedClassWeights(this.config, weights);
  }

  setLearningRate(lr: number): void {
    if (!(lr > 0 && Number.isFinite(lr))) throw new Error(`learning rate must be a positive number, got ${lr}`);
    this.learningRate = lr;
  }
}
