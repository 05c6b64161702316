// Where a run stands (epoch, step, curves, schedule, best epoch) — what a checkpoint saves — and the loss checks that
// decide whether that position is still good.
import type { TrainConfig } from '../engine/config';
import type { Losses } from '../engine/engine';
import type { NamedTensor } from '../engine/tensor';
import type { Position } from './checkpoints';
import { explodedFault, nonFiniteFault } from './faults';
import { initialScheduleState, stepSchedule, type ScheduleState } from './lr_schedule';
import type { Checkpoint, EpochRecord } from './types';

export class RunPosition {
  epoch = 0;
  stepInEpoch = 0;
  step = 0;
  /** Training-loss sum and batches of this epoch taken before the GPU's running sums were last cleared (a restore). */
  partial = { sum: 0, count: 0 };
  history: EpochRecord[] = [];
  schedule: ScheduleState;
  best = { epoch: null as number | null, valLoss: Infinity, badEpochs: 0 };
  bestParameters: NamedTensor[] | null = null;

  constructor(private readonly config: TrainConfig) {
    this.schedule = initialScheduleState(config);
  }

  reset(): void {
    Object.assign(this, new RunPosition(this.config));
  }

  /** Takes a checkpoint's position (its weights go on the GPU separately). */
  adopt(cp: Checkpoint): void {
    this.epoch = cp.epoch;
    this.stepInEpoch = cp.stepInEpoch;
    this.step = cp.step;
    this.partial = { ...cp.partialTrain };
    this.history = cp.history.slice();
    this.schedule = { ...cp.schedule };
    this.best = { ...cp.best };
    this.bestParameters = cp.bestParameters ?? null;
  }

  /** The epoch's training loss so far, combining the GPU's running sums with what came before a restore. */
  combined(l: Losses): { sum: number; count: number } {
    return { sum: this.partial.sum + (l.trainSteps > 0 ? l.trainLoss * l.trainSteps : 0), count: this.partial.count + l.trainSteps };
  }

  /**
   * Throws a DivergenceFault for a non-finite gradient or loss, or a loss over factor × max(untrained validation
   * loss, 1); returns the epoch's mean training loss so far.
   */
  check(l: Losses, factor: number, validation: boolean): number {
    const { sum, count } = this.combined(l);
    const trainLoss = count > 0 ? sum / count : NaN;
    if (l.nonFinite) throw nonFiniteFault('training', trainLoss, true);
    const untrained = this.history[0]?.valLoss ?? NaN;
    const limit = factor * (Number.isFinite(untrained) ? Math.max(untrained, 1) : 1);
    const probe = (v: number, where: 'training' | 'validation') => {
      if (!Number.isFinite(v)) throw nonFiniteFault(where, v, false);
      if (v > limit) throw explodedFault(where, v, limit, untrained);
    };
    if (count > 0) probe(trainLoss, 'training');
    if (validation) probe(l.valLoss, 'validation');
    return trainLoss;
  }

  /** Books a finished epoch: history, schedule, best epoch. True when it improved on the best. */
  endEpoch(record: EpochRecord, metric: number): boolean {
    this.epoch = record.epoch;
    this.stepInEpoch = 0;
    this.partial = { sum: 0, count: 0 };
    this.history.push(record);
    this.schedule = stepSchedule(this.config, this.schedule, metric);
    const improved = metric < this.best.valLoss;
    this.best = improved ? { epoch: record.epoch, valLoss: metric, badEpochs: 0 } : { ...this.best, badEpochs: this.best.badEpochs + 1 };
    return improved;
  }

  /** The checkpoint fields of this position (partial: the epoch's training-loss sums at the moment of capture). */
  fields(fingerprint: string, partial: { sum: number; count: number }, elapsedMs: number, keepBest: boolean): Position {
    return {
      config: this.config,
      fingerprint,
      epoch: this.epoch,
      stepInEpoch: this.stepInEpoch,
      step: this.step,
      partialTrain: partial,
      learningRate: this.schedule.lr,
      schedule: { ...this.schedule },
      best: { ...this.best },
      bestParameters: keepBest ? this.bestParameters : null,
      history: this.history,
      elapsedMs,
      finished: false,
    };
  }
}
