// The numbers the diagnosis reads, reduced from a training set (target ranges, input sizes, class counts) and from a
// gate probe (gradient flow through time, pinned gate units), so the checks themselves take plain numbers.
import type { TrainingSet } from '../data/training_types';
import type { TrainConfig } from '../engine/config';
import type { DataFacts, ProbeFacts } from './diagnosis_types';

/** A gate value within this of its bound counts as pinned there. */
export const PIN_MARGIN = 0.02;
/** A unit is pinned when it sits at a bound on at least this share of the window's steps. */
export const PIN_STEPS = 0.9;

const BOUNDED: Record<TrainConfig['cell'], Record<string, 'sigmoid' | 'tanh'>> = {
  lstm: { i: 'sigmoid', f: 'sigmoid', g: 'tanh', o: 'sigmoid' },
  gru: { r: 'sigmoid', z: 'sigmoid', n: 'tanh' },
  rnn: { h: 'tanh' },
};

function range(values: ArrayLike<number>, column: number, stride: number): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = column; i < values.length; i += stride) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Facts about a training set; `transform` is the forecast target transform where the set records one. */
export function dataFacts(set: TrainingSet & { transform?: { name: string } | null }): DataFacts {
  const forecast = set.task === 'forecast';
  let outside = NaN;
  let trainRange: [number, number] | null = null;
  let validationRange: [number, number] | null = null;
  if (forecast && set.train.count > 0 && set.validation.count > 0) {
    const K = Math.max(1, set.targets?.length ?? 1);
    let out = 0, n = 0;
    for (let k = 0; k < K; k++) {
      const [lo, hi] = range(set.train.y, k, K);
      const v = set.validation.y;
      for (let i = k; i < v.length; i += K) {
        if (!Number.isFinite(v[i])) continue;
        n++;
        if (v[i] < lo || v[i] > hi) out++;
      }
      if (k === 0) {
        trainRange = [lo, hi];
        validationRange = range(v, 0, K);
      }
    }
    outside = n > 0 ? out / n : NaN;
  }
  let inputMaxAbs = NaN;
  if (set.vocabSize === 0) {
    inputMaxAbs = 0;
    const x = set.train.x;
    for (let i = 0; i < x.length; i++) {
      const a = Math.abs(x[i]);
      if (a > inputMaxAbs) inputMaxAbs = a;
    }
  }
  let targetMaxAbs = NaN;
  if (forecast) {
    targetMaxAbs = 0;
    const y = set.train.y;
    for (let i = 0; i < y.length; i++) {
      const a = Math.abs(y[i]);
      if (a > targetMaxAbs) targetMaxAbs = a;
    }
  }
  return {
    task: set.task,
    validationOutsideRange: outside,
    trainRange,
    validationRange,
    inputMaxAbs,
    targetMaxAbs,
    trainClassCounts: forecast ? null : (set.counts.classCounts?.train.slice() ?? null),
    classNames: set.classNames?.slice() ?? null,
    transform: set.transform?.name ?? 'none',
  };
}

/** What a probe needs to hold for probeFacts: gate names, values[k] as [T][H], and ‖∂L/∂h_t‖ per step. */
export interface ProbeLike {
  epoch: number;
  cell: TrainConfig['cell'];
  layer: number;
  direction: number;
  window: number;
  hidden: number;
  names: string[];
  values: ArrayLike<number>[];
  gradNorm: ArrayLike<number>;
}

/** The share of units of each bounded gate that sit at a bound on most steps, and the gradient flow as plain numbers. */
export function probeFacts(p: ProbeLike): ProbeFacts {
  const T = p.window, H = p.hidden;
  const bounded = BOUNDED[p.cell];
  const pinned: ProbeFacts['pinned'] = [];
  p.names.forEach((name, k) => {
    const kind = bounded[name];
    const v = p.values[k];
    if (!kind || !v || v.length < T * H || T === 0 || H === 0) return;
    let units = 0;
    for (let u = 0; u < H; u++) {
      let at = 0;
      for (let t = 0; t < T; t++) {
        const x = v[t * H + u];
        const edge = kind === 'sigmoid' ? x <= PIN_MARGIN || x >= 1 - PIN_MARGIN : Math.abs(x) >= 1 - PIN_MARGIN;
        if (edge) at++;
      }
      if (at >= PIN_STEPS * T) units++;
    }
    pinned.push({ gate: name, share: units / H });
  });
  return { epoch: p.epoch, cell: p.cell, layer: p.layer, direction: p.direction, gradNorm: Array.from(p.gradNorm), pinned };
}
