// Learning-rate schedules against torch.optim.lr_scheduler, re-implemented here line by line from torch's source.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/config';
import { cosineLr, initialScheduleState, scheduleLrs, stepSchedule } from '../../src/training/lr_schedule';

const base: TrainConfig = { ...DEFAULT_CONFIG, learningRate: 0.1, epochs: 10 };

/** torch StepLR.get_lr (chainable form): lr · gamma when last_epoch is a positive multiple of step_size. */
function torchStepLR(lr0: number, stepSize: number, gamma: number, n: number): number[] {
  const out = [lr0];
  let lr = lr0;
  for (let lastEpoch = 1; lastEpoch < n; lastEpoch++) {
    if (lastEpoch !== 0 && lastEpoch % stepSize === 0) lr = lr * gamma;
    out.push(lr);
  }
  return out;
}

/** torch CosineAnnealingLR.get_lr (recursive form, as torch steps it every epoch). */
function torchCosine(lr0: number, tMax: number, etaMin: number, n: number): number[] {
  const out = [lr0];
  let lr = lr0;
  for (let e = 1; e < n; e++) {
    if ((e - 1 - tMax) % (2 * tMax) === 0) lr = lr + ((lr0 - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2;
    else lr = ((1 + Math.cos((Math.PI * e) / tMax)) / (1 + Math.cos((Math.PI * (e - 1)) / tMax))) * (lr - etaMin) + etaMin;
    out.push(lr);
  }
  return out;
}

/** torch ReduceLROnPlateau.step: mode 'min', threshold 1e-4 'rel', cooldown 0, eps 1e-8. */
function torchPlateau(lr0: number, factor: number, patience: number, minLr: number, metrics: number[]): number[] {
  let lr = lr0, best = Infinity, bad = 0;
  const out: number[] = [];
  for (const m of metrics) {
    out.push(lr);
    if (m < best * (1 - 1e-4)) {
      best = m;
      bad = 0;
    } else bad += 1;
    if (bad > patience) {
      const next = Math.max(lr * factor, minLr);
      if (lr - next > 1e-8) lr = next;
      bad = 0;
    }
  }
  return out;
}

describe('learning-rate schedules (torch semantics)', () => {
  it('constant keeps the learning rate', () => {
    expect(scheduleLrs({ ...base, schedule: 'constant' }, Array(5).fill(1))).toEqual(Array(5).fill(0.1));
  });

  it('step matches StepLR exactly (gamma every step_size epochs)', () => {
    const c = { ...base, schedule: 'step' as const, scheduleStepEpochs: 3, scheduleGamma: 0.1 };
    const got = scheduleLrs(c, Array(10).fill(1));
    expect(got).toEqual(torchStepLR(0.1, 3, 0.1, 10));
    expect(got.map((v) => Number(v.toPrecision(6)))).toEqual([0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.001, 0.001, 0.001, 0.0001]);
  });

  it('cosine matches CosineAnnealingLR (T_max = epochs, eta_min = minLearningRate)', () => {
    const c = { ...base, schedule: 'cosine' as const, epochs: 8, minLearningRate: 0.001 };
    const got = scheduleLrs(c, Array(8).fill(1));
    const torch = torchCosine(0.1, 8, 0.001, 8);
    got.forEach((v, i) => expect(v).toBeCloseTo(torch[i], 12));
    expect(got[0]).toBe(0.1);
    expect(got[4]).toBeCloseTo((0.1 + 0.001) / 2, 15);
    expect(cosineLr(0.1, 0.001, 8, 8)).toBeCloseTo(0.001, 15);
    expect(got.every((v, i) => i === 0 || v < got[i - 1])).toBe(true);
  });

  it('plateau matches ReduceLROnPlateau: reduces after `patience` bad epochs, by factor, never below min_lr', () => {
    const c = { ...base, schedule: 'plateau' as const, schedulePatience: 2, scheduleGamma: 0.5, minLearningRate: 0.02 };
    // improves, then stalls (including a gain smaller than the 1e-4 relative threshold), improves, stalls long
    const metrics = [1, 0.8, 0.8, 0.79999, 0.81, 0.7, 0.7, 0.71, 0.72, 0.73, 0.74, 0.75, 0.76, 0.77];
    const got = scheduleLrs(c, metrics);
    expect(got).toEqual(torchPlateau(0.1, 0.5, 2, 0.02, metrics));
    expect(got).toEqual([0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.02, 0.02]);
  });

  it('plateau with patience 0 reduces after every epoch without improvement', () => {
    const c = { ...base, schedule: 'plateau' as const, schedulePatience: 0, scheduleGamma: 0.1, minLearningRate: 0 };
    const metrics = [1, 1, 1, 0.5, 0.6];
    expect(scheduleLrs(c, metrics)).toEqual(torchPlateau(0.1, 0.1, 0, 0, metrics));
  });

  it('the state is plain data that continues where it stopped', () => {
    const c = { ...base, schedule: 'plateau' as const, schedulePatience: 1, scheduleGamma: 0.5, minLearningRate: 0 };
    const metrics = [1, 1, 1, 1, 1, 1];
    let s = initialScheduleState(c);
    for (const m of metrics.slice(0, 3)) s = stepSchedule(c, s, m);
    let resumed = structuredClone(s);
    const lrs: number[] = [];
    for (const m of metrics.slice(3)) {
      lrs.push(resumed.lr);
      resumed = stepSchedule(c, resumed, m);
    }
    expect(lrs).toEqual(scheduleLrs(c, metrics).slice(3));
  });
});
