// Gradient clipping and optimizer updates of the float64 reference, following torch's documented rules.
import type { ParamMap } from './recurrent_reference';

export interface OptimizerState {
  /** Number of steps taken. */
  step: number;
  /** Adam: first moment; SGD: momentum buffer. */
  m: ParamMap;
  /** Adam: second moment (unused by SGD). */
  v: ParamMap;
}

export function newOptimizerState(): OptimizerState {
  return { step: 0, m: new Map(), v: new Map() };
}

/**
 * torch.nn.utils.clip_grad_norm_: returns the total 2-norm over all gradients (before clipping); if
 * maxNorm > 0, scales every gradient in place by min(1, maxNorm / (total + 1e-6)).
 */
export function clipGradNorm(grads: ParamMap, maxNorm: number): number {
  let sq = 0;
  for (const g of grads.values()) for (let i = 0; i < g.length; i++) sq += g[i] * g[i];
  const total = Math.sqrt(sq);
  if (maxNorm > 0) {
    const coef = Math.min(1, maxNorm / (total + 1e-6));
    if (coef < 1) for (const g of grads.values()) for (let i = 0; i < g.length; i++) g[i] *= coef;
  }
  return total;
}

function slot(map: ParamMap, name: string, length: number): Float64Array {
  let a = map.get(name);
  if (!a) {
    a = new Float64Array(length);
    map.set(name, a);
  }
  return a;
}

/**
 * One torch.optim.Adam step (weight_decay adds wd * p to the gradient), or torch.optim.AdamW when
 * decoupled (p *= 1 - lr * wd first), in place on p. Parameters without a gradient are skipped.
 */
export function adamStep(
  p: ParamMap, grads: ParamMap, s: OptimizerState,
  hp: { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number; decoupled: boolean },
): void {
  s.step += 1;
  const bc1 = 1 - Math.pow(hp.beta1, s.step);
  const bc2 = 1 - Math.pow(hp.beta2, s.step);
  const stepSize = hp.lr / bc1, bc2Sqrt = Math.sqrt(bc2);
  for (const [name, w] of p) {
    const g = grads.get(name);
    if (!g) continue;
    if (g.length !== w.length) throw new Error(`grad ${name}: ${g.length} values, parameter ${w.length}`);
    const m = slot(s.m, name, w.length), v = slot(s.v, name, w.length);
    for (let i = 0; i < w.length; i++) {
      let gi = g[i];
      if (hp.weightDecay !== 0) {
        if (hp.decoupled) w[i] *= 1 - hp.lr * hp.weightDecay;
        else gi += hp.weightDecay * w[i];
      }
      m[i] = hp.beta1 * m[i] + (1 - hp.beta1) * gi;
      v[i] = hp.beta2 * v[i] + (1 - hp.beta2) * gi * gi;
      w[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) / bc2Sqrt + hp.eps);
    }
  }
}

/**
 * One torch.optim.SGD step (dampening 0, nesterov false), in place on p: g += wd * p; with momentum,
 * buf = g on the first step, momentum * buf + g afterwards, p -= lr * buf; without, p -= lr * g.
 */
export function sgdStep(p: ParamMap, grads: ParamMap, s: OptimizerState, hp: { lr: number; momentum: number; weightDecay: number }): void {
  s.step += 1;
  for (const [name, w] of p) {
    const g = grads.get(name);
    if (!g) continue;
    if (g.length !== w.length) throw new Error(`grad ${name}: ${g.length} values, parameter ${w.length}`);
    const first = !s.m.has(name);
    const buf = hp.momentum !== 0 ? slot(s.m, name, w.length) : undefined;
    for (let i = 0; i < w.length; i++) {
      let gi = g[i] + hp.weightDecay * w[i];
      if (buf) {
        buf[i] = first ? gi : hp.momentum * buf[i] + gi;
        gi = buf[i];
      }
      w[i] -= hp.lr * gi;
    }
  }
}
