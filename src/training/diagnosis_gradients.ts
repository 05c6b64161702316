// Diagnosis from gradients and gates: vanishing gradient through time (from the probe's ‖∂L/∂h_t‖), exploding
// gradients (spikes in the per-step norms) and saturated gates (units pinned at their bounds).
import { bestForecastBaseline } from './diagnosis_baselines';
import { hugeData } from './diagnosis_learning';
import type { DiagnosisInput, Finding, ProbeFacts } from './diagnosis_types';
import { fmt, nice, pct, round3 } from './diagnosis_text';

/** ‖∂L/∂h_t‖ at the window's first step below this share of its last step's counts as vanished. */
export const VANISH_RATIO = 1e-3;
/** A gradient norm this many times the median of the steps before it is a spike. */
export const SPIKE_FACTOR = 10;
/** Steps whose median a norm is compared with (the recent ones, so a loss that falls steadily is no spike). */
export const SPIKE_WINDOW = 20;
/** Sampled norms needed before spikes are looked for (the first ones only set the median). */
export const MIN_NORMS = 10;
/** A layer whose bounded gates have more than this share of units pinned counts as saturated. */
export const SATURATED_SHARE = 0.5;

function median(v: number[]): number {
  const s = v.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function vanishingGradient(i: DiagnosisInput): Finding | null {
  const p = i.probe;
  // Only the forward direction with a last-step head: there all of the loss's gradient enters at the window's end.
  // At PyTorch's initialization every cell's gradient fades within a few steps; training either fixes that or not.
  if (!p || p.epoch < 1 || p.direction !== 0 || i.config.headOn !== 'last_step') return null;
  // Saturated gates stop the gradient too: then that is the cause to fix, and saturatedGates says so.
  if (pinnedShare(p) > SATURATED_SHARE) return null;
  const g = p.gradNorm, T = g.length;
  if (T < 4) return null;
  const start = g[0], end = g[T - 1];
  if (!(end > 0) || !Number.isFinite(end) || !Number.isFinite(start)) return null;
  const ratio = start / end;
  if (!(ratio < VANISH_RATIO)) return null;
  const message =
    `‖∂L/∂h_t‖ at the window's first step is ${fmt(ratio)} of its last step's (${fmt(start)} vs ${fmt(end)}, window ${T}, layer ${p.layer + 1}): ` +
    `the early steps of each window barely reach the loss, so the model cannot learn from them.`;
  const shorter = Math.max(2, Math.round(T / 2));
  // A model that already beats every baseline clearly learned what it needed from the steps it reaches.
  const best = bestForecastBaseline(i);
  const mse = i.validation?.mse;
  if (p.cell !== 'rnn' && best && mse !== undefined && mse < 0.9 * best.mse) {
    return {
      check: 'vanishing-gradient',
      severity: 'info',
      message: `${message} The model still beats the ${best.name} baseline (validation MSE ${fmt(mse)} vs ${fmt(best.mse)}), so it learns from the later steps.`,
      advice: `A shorter window (${shorter} steps) would train faster, unless the early steps hold a season the model needs.`,
      apply: { window: shorter },
    };
  }
  if (p.cell === 'rnn') {
    return {
      check: 'vanishing-gradient',
      severity: 'warning',
      message,
      advice: `Use an LSTM (or GRU): its gated cell state carries the gradient across many steps, where a plain RNN multiplies it down at every step. Or shorten the window (${shorter} steps).`,
      apply: { cell: 'lstm' },
    };
  }
  return {
    check: 'vanishing-gradient',
    severity: 'warning',
    message,
    advice: `Shorten the window to ${shorter} steps: the steps the gradient does not reach only cost time. If the early steps matter, add features that summarize them (a lag, a rolling mean).`,
    apply: { window: shorter },
  };
}

export function explodingGradient(i: DiagnosisInput): Finding | null {
  const g = i.gradNorms.filter((v) => Number.isFinite(v) && v > 0);
  const spikes: number[] = [];
  for (let k = MIN_NORMS; k < g.length; k++) {
    const m = median(g.slice(Math.max(0, k - SPIKE_WINDOW), k));
    if (g[k] > SPIKE_FACTOR * m) spikes.push(g[k]);
  }
  const c = i.config;
  const huge = hugeData(i.data);
  const typical = g.length > 0 ? median(g) : NaN;
  const clip = Number.isFinite(typical) ? nice(3 * typical) : 1;
  if (spikes.length === 0) return i.endReason === 'diverged' ? diverged(i, huge, clip) : null;
  // Clipping at about the typical norm already bounds every spike's step.
  if (c.clipNorm > 0 && c.clipNorm <= 3 * typical && i.endReason !== 'diverged') return null;
  return {
    check: 'exploding-gradient',
    severity: i.endReason === 'diverged' ? 'problem' : 'warning',
    message:
      `${spikes.length} of ${g.length} sampled steps had a gradient norm over ${SPIKE_FACTOR}× the median of the steps before them ` +
      `(median ${fmt(typical)}, largest ${fmt(Math.max(...spikes))}): such a step can throw the weights far off.` +
      (i.endReason === 'diverged' ? ' The run diverged.' : ''),
    advice:
      `${c.clipNorm > 0 ? `Clip gradients tighter: at ${fmt(clip)} (now ${fmt(c.clipNorm)})` : `Clip gradients at ${fmt(clip)}`}, about 3× the median norm: ` +
      `a spike then moves the weights no further than a typical step.` +
      (huge ? ` ${huge}: those outliers cause the spikes, so clean or clip them in the data too.` : ''),
    apply: { clipNorm: clip },
  };
}

/** A run that diverged without a spike in the sampled norms: the data when it is huge, else clipping or a lower rate. */
function diverged(i: DiagnosisInput, huge: string | null, clip: number): Finding {
  const message = 'The run diverged: the loss or a gradient became non-finite or exploded, and the weights were rolled back to the last good checkpoint.';
  if (huge) {
    return {
      check: 'exploding-gradient',
      severity: 'problem',
      message,
      advice: `${huge}: the overflow comes from the data. Clean, clip or rescale those values; a lower learning rate would not help.`,
      apply: null,
    };
  }
  const c = i.config;
  const lr = round3(c.learningRate / 10);
  return {
    check: 'exploding-gradient',
    severity: 'problem',
    message,
    advice:
      c.clipNorm > 0
        ? `Lower the learning rate (to ${fmt(lr)}): with clipping at ${fmt(c.clipNorm)} already on, the steps themselves are too large.`
        : `Clip gradients (at ${fmt(clip)}) so that no single step can throw the weights off, or lower the learning rate (to ${fmt(lr)}).`,
    apply: c.clipNorm > 0 ? { learningRate: lr } : { clipNorm: clip },
  };
}

/** The mean share of pinned units over the probe's bounded gates (0 without any). */
function pinnedShare(p: ProbeFacts): number {
  return p.pinned.length > 0 ? p.pinned.reduce((s, g) => s + g.share, 0) / p.pinned.length : 0;
}

export function saturatedGates(i: DiagnosisInput): Finding | null {
  const p = i.probe;
  if (!p || p.pinned.length === 0) return null;
  const share = pinnedShare(p);
  if (!(share > SATURATED_SHARE)) return null;
  const huge = hugeData(i.data);
  // Gates pinned by the learning rate show only after training; pinned by huge inputs, from the start.
  if (p.epoch < 1 && !huge) return null;
  const message =
    `${pct(share)} of the gate units of layer ${p.layer + 1} (${p.pinned.map((g) => `${g.gate} ${pct(g.share)}`).join(', ')}) sit at 0 or 1 ` +
    `(±1 for tanh) across the window: there the gates' derivatives are near zero, so those units have stopped learning.`;
  if (huge) {
    return {
      check: 'saturated-gates',
      severity: 'warning',
      message,
      advice: `${huge}: a few huge values push the gates to their bounds. Clean or clip those outliers in the data; a lower learning rate would not help.`,
      apply: null,
    };
  }
  const lr = round3(i.config.learningRate / 10);
  return {
    check: 'saturated-gates',
    severity: 'warning',
    message,
    advice: `Lower the learning rate (to ${fmt(lr)}): large steps push the gate pre-activations far out, where the sigmoid and tanh are flat.`,
    apply: { learningRate: lr },
  };
}
