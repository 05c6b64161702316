// Learning-rate schedules stepped once per epoch, matching torch.optim.lr_scheduler StepLR, CosineAnnealingLR and
// ReduceLROnPlateau (mode 'min', threshold 1e-4 relative, cooldown 0, eps 1e-8); the state is serializable.
import type { TrainConfig } from '../engine/config';

/** Where a schedule stands; checkpoints carry it so a resumed run continues with the same learning rates. */
export interface ScheduleState {
  /** Scheduler steps taken (= epochs completed): torch's last_epoch. */
  epoch: number;
  /** Learning rate for the next epoch. */
  lr: number;
  /** ReduceLROnPlateau: best metric so far (Infinity before the first). */
  best: number;
  /** ReduceLROnPlateau: epochs since the best improved. */
  badEpochs: number;
}

/** torch ReduceLROnPlateau defaults the config does not expose. */
export const PLATEAU_THRESHOLD = 1e-4;
export const PLATEAU_EPS = 1e-8;

type ScheduleConfig = Pick<
  TrainConfig,
  'schedule' | 'learningRate' | 'epochs' | 'scheduleStepEpochs' | 'scheduleGamma' | 'schedulePatience' | 'minLearningRate'
>;

export function initialScheduleState(c: ScheduleConfig): ScheduleState {
  return { epoch: 0, lr: c.learningRate, best: Infinity, badEpochs: 0 };
}

/** CosineAnnealingLR's closed form: eta_min + (base - eta_min) · (1 + cos(π · epoch / T_max)) / 2, T_max = epochs. */
export function cosineLr(base: number, etaMin: number, epoch: number, tMax: number): number {
  return etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * epoch) / tMax))) / 2;
}

/**
 * The state after one more epoch. `metric` (the validation loss, or the training loss without validation data)
 * only matters to 'plateau'.
 */
export function stepSchedule(c: ScheduleConfig, s: ScheduleState, metric: number): ScheduleState {
  const epoch = s.epoch + 1;
  switch (c.schedule) {
    case 'constant':
      return { ...s, epoch, lr: c.learningRate };
    case 'step':
      // StepLR's chainable form: multiply by gamma whenever last_epoch reaches a multiple of step_size.
      return { ...s, epoch, lr: epoch % c.scheduleStepEpochs === 0 ? s.lr * c.scheduleGamma : s.lr };
    case 'cosine':
      return { ...s, epoch, lr: cosineLr(c.learningRate, c.minLearningRate, epoch, c.epochs) };
    case 'plateau': {
      let { best, badEpochs, lr } = s;
      if (metric < best * (1 - PLATEAU_THRESHOLD)) {
        best = metric;
        badEpochs = 0;
      } else {
        badEpochs += 1;
      }
      if (badEpochs > c.schedulePatience) {
        const reduced = Math.max(lr * c.scheduleGamma, c.minLearningRate);
        if (lr - reduced > PLATEAU_EPS) lr = reduced;
        badEpochs = 0;
      }
      return { epoch, lr, best, badEpochs };
    }
  }
}

/** The learning rates of epochs 0..n-1 when every epoch reports `metrics[e]` (for tests and previews). */
export function scheduleLrs(c: ScheduleConfig, metrics: number[]): number[] {
  let s = initialScheduleState(c);
  const out: number[] = [];
  for (const m of metrics) {
    out.push(s.lr);
    s = stepSchedule(c, s, m);
  }
  return out;
}

/** The learning rate handed to the engine, which refuses 0: a schedule that reaches 0 trains with the smallest step. */
export function usableLr(lr: number): number {
  return lr > 0 ? lr : Number.MIN_VALUE;
}
