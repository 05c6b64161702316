// Diagnosis from the loss curves: overfitting (validation up while training goes down) and underfitting (the training
// loss still near the untrained model's).
import type { AdvicePatch, DataFacts, DiagnosisInput, Finding } from './diagnosis_types';
import { fmt, pct, round3 } from './diagnosis_text';
import type { EpochRecord } from './types';

/** Epochs in a row of rising validation and falling training loss that count as overfitting. */
export const OVERFIT_EPOCHS = 3;
/** The validation loss must have risen at least this share over those epochs (less is noise). */
export const OVERFIT_MIN_RISE = 0.01;
/** Training loss at or above this share of the untrained loss counts as underfitting. */
export const UNDERFIT_RATIO = 0.9;
/** Epochs to wait before calling a run that is still going underfit. */
export const UNDERFIT_MIN_EPOCHS = 3;
/** Inputs (after scaling) beyond this size are outliers that no learning-rate change fixes. */
export const HUGE_INPUT = 50;

/** Inputs or targets so large (after scaling; infinite ones too) that the data, not a setting, is what to fix. */
export function hugeData(d: DataFacts): string | null {
  if (d.inputMaxAbs > HUGE_INPUT) return `The inputs reach ±${fmt(d.inputMaxAbs)} after scaling`;
  if (d.targetMaxAbs > HUGE_INPUT) return `The targets reach ±${fmt(d.targetMaxAbs)} after scaling`;
  return null;
}

const trained = (h: EpochRecord[]) => h.filter((r) => r.epoch > 0 && Number.isFinite(r.trainLoss));

export function overfitting(i: DiagnosisInput): Finding | null {
  const h = trained(i.history).filter((r) => Number.isFinite(r.valLoss));
  const k = OVERFIT_EPOCHS;
  if (h.length < k + 1) return null;
  const tail = h.slice(-(k + 1));
  for (let j = 1; j <= k; j++) {
    if (!(tail[j].valLoss > tail[j - 1].valLoss && tail[j].trainLoss < tail[j - 1].trainLoss)) return null;
  }
  const first = tail[0], last = tail[k];
  if ((last.valLoss - first.valLoss) / Math.abs(first.valLoss) < OVERFIT_MIN_RISE) return null;
  const best = h.reduce((a, b) => (b.valLoss < a.valLoss ? b : a));
  const c = i.config;
  const options: { text: string; patch: AdvicePatch | null }[] = [];
  if (c.numLayers > 1 && c.dropout < 0.2) options.push({ text: 'dropout 0.2 between the layers', patch: { dropout: 0.2 } });
  if (c.weightDecay === 0) options.push({ text: 'weight decay 1e-4', patch: { weightDecay: 1e-4 } });
  if (c.patience === 0) options.push({ text: `early stopping (patience ${k}: it keeps the best epoch's weights, here epoch ${best.epoch})`, patch: { patience: k } });
  if (c.hiddenSize >= 8) options.push({ text: `a smaller model (${Math.floor(c.hiddenSize / 2)} hidden units)`, patch: { hiddenSize: Math.floor(c.hiddenSize / 2) } });
  if (c.numLayers === 1) options.push({ text: 'more training data', patch: null });
  const [primary, ...rest] = options;
  // With early stopping on, the run keeps the best epoch's weights anyway: worth knowing, not a problem.
  const kept = c.patience > 0 ? ` Early stopping (patience ${c.patience}) keeps the weights of epoch ${best.epoch}, the best one.` : '';
  return {
    check: 'overfitting',
    severity: c.patience > 0 ? 'info' : 'warning',
    message:
      `The validation loss rose for ${k} epochs in a row (${fmt(first.valLoss)} at epoch ${first.epoch} → ${fmt(last.valLoss)} at epoch ${last.epoch}) ` +
      `while the training loss fell (${fmt(first.trainLoss)} → ${fmt(last.trainLoss)}): the model is learning the training set's noise, not the pattern.${kept}`,
    advice: primary ? `Regularize: try ${primary.text}${rest.length > 0 ? `; ${rest.map((o) => o.text).join(', ')} also help` : ''}.` : 'Use more training data.',
    apply: primary?.patch ?? null,
  };
}

export function underfitting(i: DiagnosisInput): Finding | null {
  const untrained = i.history.find((r) => r.epoch === 0)?.valLoss ?? NaN;
  const h = trained(i.history);
  if (!(untrained > 0) || h.length < (i.final ? 1 : UNDERFIT_MIN_EPOCHS)) return null;
  const last = h[h.length - 1];
  const ratio = last.trainLoss / untrained;
  if (!(ratio >= UNDERFIT_RATIO)) return null;
  const c = i.config;
  const message =
    `After ${h.length} epoch${h.length === 1 ? '' : 's'} the training loss (${fmt(last.trainLoss)}) is ${pct(ratio)} of the untrained model's loss ` +
    `(${fmt(untrained)}): the model has learned little.`;
  const sgd = c.optimizer === 'sgd';
  const usual = sgd ? 0.1 : 0.01;
  const lowest = Math.min(...h.map((r) => r.trainLoss));
  let advice: string;
  let apply: AdvicePatch | null;
  const huge = hugeData(i.data);
  if (huge) {
    advice = `${huge}: a few outliers dominate every step. Clean or clip them in the data (the learning rate is not the cause).`;
    apply = null;
  } else if (last.trainLoss > lowest * 1.05 && c.learningRate >= 5 * usual) {
    advice = `The training loss went back up (lowest ${fmt(lowest)}): with a learning rate of ${fmt(c.learningRate)} the steps overshoot. Try ${fmt(round3(c.learningRate / 10))}.`;
    apply = { learningRate: round3(c.learningRate / 10) };
  } else if (c.learningRate < usual / 5) {
    advice = `Raise the learning rate: ${fmt(c.learningRate)} moves the weights too little per step; ${usual} is a usual start for ${sgd ? 'SGD' : 'Adam'}. A larger model or longer training also help.`;
    apply = { learningRate: usual };
  } else if (c.hiddenSize < 16) {
    advice = `Use a larger model: ${c.hiddenSize} hidden units may be too few for this data (try ${Math.max(16, c.hiddenSize * 2)}); a higher learning rate or longer training also help.`;
    apply = { hiddenSize: Math.max(16, c.hiddenSize * 2) };
  } else {
    advice = `Train longer (${c.epochs * 2} epochs), or try a larger model or a higher learning rate.`;
    apply = { epochs: c.epochs * 2 };
  }
  return { check: 'underfitting', severity: 'warning', message, advice, apply };
}
