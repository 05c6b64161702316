// Training faults as values (divergence, device loss) and the plain-language messages that tell a person what to try.
import type { TrainConfig } from '../engine/config';

/** A divergent or non-finite loss or gradient, found at a snapshot, checkpoint or epoch end. */
export class DivergenceFault extends Error {
  constructor(
    readonly nonFinite: boolean,
    readonly loss: number,
    readonly where: 'training' | 'validation',
    message: string,
  ) {
    super(message);
    this.name = 'DivergenceFault';
  }
}

/** The GPU device is gone (lost, destroyed, or an uncaptured GPU error); `recoverable` says if a new one may help. */
export class DeviceFault extends Error {
  constructor(
    message: string,
    readonly recoverable: boolean,
  ) {
    super(message);
    this.name = 'DeviceFault';
  }
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e5 ? v.toExponential(2) : Number(v.toPrecision(3)).toString();
}

/** Above this magnitude a value's square, the squared error a loss starts from, is past float32's largest (3.4e38). */
export const FLOAT32_SQUARE_LIMIT = 1.8e19;

/** What the session knew when the run diverged, to tell the data's part from the optimizer's. */
export interface DivergenceContext {
  /** The untrained model's validation loss (NaN when it was not finite, or there is no validation data). */
  untrainedLoss: number;
  hadValidation: boolean;
  /** The largest |value| of the training inputs and targets. */
  largestInput: number;
  largestTarget: number;
}

/** Why the data, not the optimizer, made the loss overflow (null when nothing points at the data). */
function dataCause(ctx: DivergenceContext): string | null {
  const big = Math.max(ctx.largestInput, ctx.largestTarget);
  const which = ctx.largestTarget >= ctx.largestInput ? 'target' : 'input';
  if (big >= FLOAT32_SQUARE_LIMIT) {
    return `the largest training ${which} is ${fmt(big)}, whose square passes float32's largest number (3.4e38), so the loss overflows whatever the learning rate`;
  }
  if (ctx.hadValidation && !Number.isFinite(ctx.untrainedLoss)) {
    return `the untrained model's validation loss was already not finite (the largest training ${which} is ${fmt(big)}), so the data's scale, not training, overflowed`;
  }
  return null;
}

/** What to try after a divergence, naming the settings to change; with `ctx`, data that overflow on their own are named
 *  as the cause instead (a lower learning rate cannot help them). */
export function divergenceAdvice(c: TrainConfig, ctx?: DivergenceContext): string {
  const cause = ctx ? dataCause(ctx) : null;
  if (cause) return `The data are the cause: ${cause}. Rescale the column (turn on normalization, or divide it by a power of ten) and train again; changing the learning rate will not help.`;
  const lower = Number((c.learningRate / 10).toPrecision(2));
  const tips = [`lower the learning rate (${fmt(c.learningRate)} → ${lower} or less)`];
  if (!(c.clipNorm > 0)) tips.push('turn on gradient clipping (clip norm 1)');
  else tips.push(`clip gradients harder (clip norm ${fmt(c.clipNorm)} → ${fmt(c.clipNorm / 10)})`);
  if (c.optimizer === 'sgd' && c.momentum > 0) tips.push('lower the momentum');
  return `Try to ${tips.join(', or ')}.`;
}

/** Describes where a run was rolled back to. */
export function checkpointPlace(epoch: number, step: number): string {
  return epoch === 0 && step === 0 ? 'the start of training (the untrained weights)' : `epoch ${epoch}, step ${step}`;
}

export function nonFiniteFault(where: 'training' | 'validation', loss: number, gradientFlag: boolean): DivergenceFault {
  const what = gradientFlag ? 'a gradient' : `the ${where} loss`;
  return new DivergenceFault(true, loss, where, `${what} became ${gradientFlag && Number.isFinite(loss) ? 'infinite or NaN' : fmt(loss)} (not a finite number)`);
}

export function explodedFault(where: 'training' | 'validation', loss: number, limit: number, baseline: number): DivergenceFault {
  return new DivergenceFault(
    false,
    loss,
    where,
    `the ${where} loss grew to ${fmt(loss)}, above the limit of ${fmt(limit)}` +
      (Number.isFinite(baseline) ? ` (the untrained model's loss was ${fmt(baseline)})` : ''),
  );
}

/** The message a person reads after a divergence was caught and the weights rolled back. */
export function divergenceMessage(
  f: DivergenceFault, at: { epoch: number; step: number }, back: { epoch: number; step: number }, c: TrainConfig, ctx?: DivergenceContext,
): string {
  return (
    `Training stopped: ${f.nonFinite ? 'a non-finite loss or gradient' : 'the loss diverged'} in epoch ${at.epoch + 1} ` +
    `(around step ${at.step}): ${f.message}. The weights were rolled back to the last good checkpoint, ` +
    `${checkpointPlace(back.epoch, back.step)}; exporting now gives those weights. ${divergenceAdvice(c, ctx)}`
  );
}

/** The largest |value| of an array (0 for an empty one). */
export function largestMagnitude(a: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

export function deviceLostMessage(reason: string, detail: string): string {
  return `The GPU device was lost (${reason}${detail ? `: ${detail}` : ''}).`;
}
