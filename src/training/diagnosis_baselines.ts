// Diagnosis against the baselines: a model that loses to persistence / seasonal naive (and the likely reason: a
// trend outside the training range, or a random walk), and a classifier stuck at the majority class's rate.
import type { DiagnosisInput, Finding } from './diagnosis_types';
import { fmt, pct } from './diagnosis_text';

/** Epochs to wait before comparing a run that is still going with the baselines. */
export const BASELINE_MIN_EPOCHS = 3;
/** Share of validation targets outside the training range that makes "a trend beyond the training data" the reason. */
export const OUTSIDE_RANGE = 0.2;
/** A classifier this far below the majority baseline's accuracy loses to it. */
export const ACCURACY_MARGIN = 0.02;

const epochsDone = (i: DiagnosisInput) => i.history.filter((r) => r.epoch > 0).length;
const ready = (i: DiagnosisInput, min: number) => epochsDone(i) >= (i.final ? 1 : min);

export function losesToBaseline(i: DiagnosisInput): Finding | null {
  if (!ready(i, BASELINE_MIN_EPOCHS)) return null;
  return i.data.task === 'forecast' ? forecastLoss(i) : classLoss(i);
}

/** The forecast baseline with the lowest validation MSE (original units), or null. */
export function bestForecastBaseline(i: Pick<DiagnosisInput, 'baselines'>): { name: string; description: string; mse: number } | null {
  let best: { name: string; description: string; mse: number } | null = null;
  for (const b of i.baselines) {
    const v = b.validation as { mse?: unknown } | null;
    if (!v || typeof v.mse !== 'number' || !Number.isFinite(v.mse)) continue;
    if (!best || v.mse < best.mse) best = { name: b.name, description: b.description, mse: v.mse };
  }
  return best;
}

/** A transform whose untrained (zero-head) model is a baseline: the run ends on that baseline when no epoch beats it. */
const STARTS_AT_BASELINE = ['difference', 'seasonal-difference', 'window-normalize'];

function forecastLoss(i: DiagnosisInput): Finding | null {
  const mse = i.validation?.mse;
  if (mse === undefined || !Number.isFinite(mse)) return null;
  const best = bestForecastBaseline(i);
  if (!best) return null;
  // Kept at its starting point: the model is the baseline itself (equal up to float32 rounding).
  const tie = STARTS_AT_BASELINE.includes(i.data.transform) && Math.abs(mse - best.mse) <= 1e-5 * best.mse;
  if (tie && i.final) {
    return {
      check: 'loses-to-baseline',
      severity: 'warning',
      message:
        `No epoch beat the untrained model, which forecasts exactly as the ${best.name} baseline does (validation MSE ${fmt(mse)}), so the model was kept at that forecast. ` +
        (best.name === 'persistence' ? 'No model beat persistence: changes in this series look unpredictable (a random walk).' : 'The network found nothing the baseline misses.'),
      advice: `${best.name === 'persistence' ? 'Persistence' : 'The seasonal-naive forecast'} may simply be the best forecast of this series from its own past. Inputs that explain its changes (other columns, calendar features) are what could beat it.`,
      apply: null,
    };
  }
  if (!(mse > best.mse) || tie) return null;
  const severity = i.final ? 'problem' : 'warning';
  const seen = `The model's validation MSE (${fmt(mse)}) is ${fmt(mse / Math.max(best.mse, 1e-300))}× that of the ${best.name} baseline (${fmt(best.mse)}; ${best.description.replace(/\.$/, '')}).`;
  const t = i.data.transform;
  const outside = i.data.validationOutsideRange;
  if (outside >= OUTSIDE_RANGE) {
    const tr = i.data.trainRange, vr = i.data.validationRange;
    const ranges = tr && vr ? ` (training ${fmt(tr[0])} to ${fmt(tr[1])}, validation ${fmt(vr[0])} to ${fmt(vr[1])}, normalized)` : '';
    return {
      check: 'loses-to-baseline',
      severity,
      message: `${seen} ${pct(outside)} of the validation targets lie outside the range of the training targets${ranges}: the series trends beyond what training showed, and a network trained on levels does not extrapolate.`,
      advice:
        t === 'difference'
          ? 'The targets are already differenced; train on a longer stretch of the series, or add inputs that explain the trend.'
          : "Forecast the change from the last value instead of the level: choose the 'difference' target transform.",
      apply: t === 'difference' ? null : { transform: 'difference' },
    };
  }
  if (best.name === 'persistence') {
    return {
      check: 'loses-to-baseline',
      severity,
      message: `${seen} No model beat persistence: changes in this series look unpredictable (a random walk).`,
      advice:
        t === 'difference'
          ? 'Persistence may simply be the best forecast of this series. Inputs that explain its changes (other columns, calendar features) are what could beat it.'
          : "Persistence may simply be the best forecast here. To let the network learn only what persistence misses, choose the 'difference' target transform (the untrained model then forecasts persistence); inputs that explain the changes would help more.",
      apply: t === 'difference' ? null : { transform: 'difference' },
    };
  }
  return {
    check: 'loses-to-baseline',
    severity,
    message: `${seen} The network does not yet use the series' season.`,
    advice:
      t === 'seasonal-difference'
        ? `Use a window of at least one whole season, or train longer (${i.config.epochs * 2} epochs).`
        : "Forecast the change from one season ago: choose the 'seasonal-difference' target transform (or a window of at least one whole season).",
    apply: t === 'seasonal-difference' ? { epochs: i.config.epochs * 2 } : { transform: 'seasonal-difference' },
  };
}

function majorityAccuracy(i: DiagnosisInput): { accuracy: number; count: number; description: string } | null {
  const b = i.baselines.find((x) => x.name === 'majority-class');
  const v = b?.validation as { accuracy?: unknown; count?: unknown } | null | undefined;
  if (!b || !v || typeof v.accuracy !== 'number') return null;
  return { accuracy: v.accuracy, count: typeof v.count === 'number' ? v.count : 0, description: b.description };
}

function classLoss(i: DiagnosisInput): Finding | null {
  const acc = i.validation?.accuracy;
  const base = majorityAccuracy(i);
  if (acc === undefined || !Number.isFinite(acc) || !base || !(acc < base.accuracy - ACCURACY_MARGIN)) return null;
  return {
    check: 'loses-to-baseline',
    severity: i.final ? 'problem' : 'warning',
    message: `Validation accuracy (${pct(acc)}) is below the majority-class baseline's (${pct(base.accuracy)}; ${base.description.replace(/\.$/, '')}).`,
    advice: `Train longer (${i.config.epochs * 2} epochs) or with a higher learning rate; if it stays below, the inputs may not tell the classes apart.`,
    apply: { epochs: i.config.epochs * 2 },
  };
}

/** Largest class share that still counts as balanced: max(0.5, 1.25 / classes). */
export function imbalanceShare(classes: number): number {
  return Math.max(0.5, 1.25 / classes);
}

export function majorityClass(i: DiagnosisInput): Finding | null {
  const counts = i.data.trainClassCounts;
  if (!counts || counts.length < 2 || !ready(i, 2)) return null;
  const total = counts.reduce((a, b) => a + b, 0);
  const top = counts.indexOf(Math.max(...counts));
  const share = total > 0 ? counts[top] / total : 0;
  if (share < imbalanceShare(counts.length)) return null;
  const acc = i.validation?.accuracy;
  const base = majorityAccuracy(i);
  if (acc === undefined || !Number.isFinite(acc) || !base) return null;
  const tolerance = Math.max(0.005, base.count > 0 ? 1 / base.count : 0);
  if (Math.abs(acc - base.accuracy) > tolerance) return null;
  const name = JSON.stringify(i.data.classNames?.[top] ?? String(top));
  const weighted = i.config.classWeights === 'balanced';
  return {
    check: 'majority-class',
    severity: 'problem',
    message:
      `Validation accuracy (${pct(acc)}) is what always predicting ${name} gets (${pct(base.accuracy)}), and ${name} is ${pct(share)} of the training samples: ` +
      `the model has learned to predict the majority class, and accuracy hides that the other classes are missed.`,
    advice: weighted
      ? `The classes are weighted in the loss already (class weights 'balanced'): rebalance the training data too (oversample the rarer ` +
        `classes, or undersample ${name}), or give the model more to tell them apart by, and judge it by per-class recall or macro F1.`
      : `Weigh the classes in the loss: class weights 'balanced' make each class count about the same in the cross-entropy ` +
        `(class c weighs N / (C · n_c) by the training counts, as torch's CrossEntropyLoss(weight=…)), so missing a rare class costs ` +
        `as much as missing ${name}. Judge the model by per-class recall or macro F1; oversampling the rarer classes does the same by hand.`,
    apply: weighted ? null : { classWeights: 'balanced' },
  };
}
