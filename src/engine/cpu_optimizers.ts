// Global-norm clipping and the Adam / AdamW / SGD updates on flat float32 arrays, by torch's rules.

/** The global 2-norm of every gradient (clip_grad_norm_'s total), summed in doubles. */
export function globalNorm(g: Float32Array): number {
  let sq = 0;
  for (let i = 0; i < g.length; i++) sq += g[i] * g[i];
  return Math.sqrt(sq);
}

/** clip_grad_norm_'s factor for a total norm: min(1, maxNorm / (total + 1e-6)), or 1 without clipping. */
export function clipScale(total: number, maxNorm: number): number {
  return maxNorm > 0 ? Math.min(1, maxNorm / (total + 1e-6)) : 1;
}

export interface AdamHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** AdamW: p *= 1 − lr·wd before the update, instead of adding wd·p to the gradient. */
  decoupled: boolean;
}

/** Adam / AdamW step number `step` (1-based) with gradients g·scale, in place on w, m and v. */
export function adamUpdate(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, scale: number, step: number, hp: AdamHyper): void {
  const { lr, beta1, beta2, eps, weightDecay, decoupled } = hp;
  const stepSize = lr / (1 - Math.pow(beta1, step)), bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
  const decay = decoupled ? 1 - lr * weightDecay : 1, l2 = decoupled ? 0 : weightDecay;
  for (let i = 0; i < w.length; i++) {
    let wi = w[i], gi = scale < 1 ? g[i] * scale : g[i];
    if (weightDecay !== 0) {
      if (decoupled) wi *= decay;
      else gi += l2 * wi;
    }
    const mi = beta1 * m[i] + (1 - beta1) * gi;
    const vi = beta2 * v[i] + (1 - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    w[i] = wi - (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + eps);
  }
}

export interface SgdHyper {
  lr: number;
  momentum: number;
  weightDecay: number;
}

/**
 * SGD (dampening 0, not Nesterov) with gradients g·scale, in place on w and the momentum buffer: g += wd·p;
 * buf = momentum·buf + g (buf starts at zero, so the first step's buf is g exactly, as torch sets it); p −= lr·buf.
 */
export function sgdUpdate(w: Float32Array, g: Float32Array, buf: Float32Array, scale: number, hp: SgdHyper): void {
  const { lr, momentum, weightDecay } = hp;
  for (let i = 0; i < w.length; i++) {
    let gi = (scale < 1 ? g[i] * scale : g[i]) + weightDecay * w[i];
    if (momentum !== 0) {
      gi = momentum * buf[i] + gi;
      buf[i] = gi;
    }
    w[i] -= lr * gi;
  }
}
