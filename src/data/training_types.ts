// The shapes of training sets and of the choices that build them (shared by the forecast, sequence and text builders).
import type { LossKind } from '../engine/config';
import type { Baseline } from './baselines';
import type { LanguageBaseline } from './lm_baselines';
import type { Task } from './dataset_shape';
import { DataError } from './data_error';
import type { MissingPolicy } from './missing_values';
import type { Scaling, ScalingMethod } from './scaling';
import type { ForecastDecoder, ForecastTransform, TransformName } from './target_transform';

/** One split's engine-ready arrays. */
export interface SplitArrays {
  count: number;
  /** [count][window][inputSize] batch-first, normalized; token ids [count][window] for text. */
  x: Float32Array;
  /** Forecast: [count][horizon][targets] normalized (outputSize = horizon × targets per sample); classification: class ids [count]. */
  y: Float32Array;
  /** Index into TrainingSet.groupNames of each sample's series (0 without groups). */
  group: Int32Array;
  /** 0-based table row of each sample: the last input step (forecast; -1 for a filled-in time step), the row (wide, text), the series' first row (long). */
  row: Int32Array;
  /** Forecast: how y (and the model's outputs) go back to original units (decodeForecast); absent for classes. */
  decoder?: ForecastDecoder;
}

export interface TrainingCounts {
  /** Samples per split. */
  train: number;
  validation: number;
  test: number;
  /** Windows or sequences left out because of missing values the policy did not fill. */
  droppedForMissing: number;
  /** Forecast windows whose targets straddle a split boundary (left out so no target is in two splits). */
  droppedAtSplitBoundary?: number;
  /** Cells filled by forward-fill or interpolation. */
  filledCells: number;
  /** Time steps added to fill gaps in the time column (fill policies only). */
  insertedSteps?: number;
  /** Gaps in time that windows do not cross (with 'drop', or too long to fill). */
  timeGaps?: number;
  /** Series too short for a single window, and rows left out for a missing time, group or label. */
  seriesTooShort?: number;
  rowsWithoutTimeGroupOrLabel: number;
  /** Classification: samples per class in each split (indexed by class id). */
  classCounts?: { train: number[]; validation: number[]; test: number[] };
  /** Sequences or texts padded (shorter than the window) or cut (longer). */
  padded?: number;
  truncated?: number;
  /** Text: tokens outside the vocabulary in validation and test. */
  unknownTokens?: number;
  /** Text generation: tokens in each part of the text (split by position). */
  tokens?: { train: number; validation: number; test: number };
}

export interface TrainingSet {
  task: Task;
  /** Time steps per sample (TrainConfig.window). */
  window: number;
  /** Features per step; for text, the embedding size to use (a model choice, 32 unless chosen). */
  inputSize: number;
  outputSize: number;
  loss: LossKind;
  /** 'every_step' for text generation (every step predicts the next token); 'last_step' otherwise. */
  headOn: 'last_step' | 'every_step';
  /** Token vocabulary size for text (the engine's embedding); 0 for numeric input. */
  vocabSize: number;
  train: SplitArrays;
  validation: SplitArrays;
  test: SplitArrays;
  /** Name of each input feature per step, e.g. "price", "weather=rain", "hour_sin" (empty for text). */
  featureNames: string[];
  /** Name of each output: "price t+1", … for forecasts; the class names for classification. */
  outputNames: string[];
  classNames?: string[];
  /** Text: token of each id; 0 is the padding token, 1 the unknown token. */
  vocabulary?: string[];
  /** Forecast: steps ahead predicted jointly, and the target columns. */
  horizon?: number;
  targets?: string[];
  /** Fitted on the training part only; invert with unscaleForecast / unscaleValue. Null for text. */
  normalization: { inputs: Scaling[]; targets: Scaling[] } | null;
  /** Forecast: the target transform and its scales (fitted on the training part). */
  transform?: ForecastTransform;
  groupNames: string[];
  baselines: (Baseline | LanguageBaseline)[];
  counts: TrainingCounts;
  /** Plain-language notes on choices made along the way (season used, padding side, …). */
  notes: string[];
}

interface CommonChoices {
  /** Share of each series (or of the samples) for validation, default 0.2, and for test, default 0.1. */
  valFraction?: number;
  testFraction?: number;
  /** Seeds the stratified split. */
  seed?: number;
  /** Refuse to build more than this many bytes of x (default 1.5 GiB). */
  maxBytes?: number;
}

export type CalendarFeature = 'hour' | 'day-of-week' | 'month' | 'day-of-year';

export interface ForecastChoices extends CommonChoices {
  task: 'forecast';
  /** Columns to predict (numeric). */
  targets: string[];
  /** More numeric input columns (the targets are always inputs too). */
  inputs?: string[];
  /** Category columns fed one-hot. */
  categories?: string[];
  timeColumn?: string | null;
  groupColumn?: string | null;
  /** Sine/cosine features from the time column (which must hold dates). */
  calendar?: CalendarFeature[];
  window: number;
  /** Steps ahead predicted jointly (default 1). */
  horizon?: number;
  /** Steps between window starts (default 1). */
  stride?: number;
  scaling?: ScalingMethod;
  missing?: MissingPolicy;
  /** Season length in steps (seasonal-naive baseline, seasonal-difference); undefined = detect, null = none. */
  season?: number | null;
  /** Target transform (src/data/target_transform.ts); undefined = picked from the training part. */
  transform?: TransformName;
}

export interface SequenceChoices extends CommonChoices {
  task: 'classify-sequences';
  /** 'wide': one row per sequence, valueColumns as its steps; 'long': one series per group, valueColumns as features. */
  format: 'wide' | 'long';
  labelColumn: string;
  /** Default: every number column except the label (and group/time). */
  valueColumns?: string[];
  groupColumn?: string | null;
  timeColumn?: string | null;
  /** Long format: steps per sequence (default: the longest series, at most 1000); shorter ones are padded at the start. */
  length?: number;
  scaling?: ScalingMethod;
  missing?: MissingPolicy;
}

export interface TextChoices extends CommonChoices {
  task: 'classify-text';
  textColumn: string;
  labelColumn: string;
  /** 'word' (default) or 'char' tokens. */
  tokens?: 'word' | 'char';
  /** Vocabulary size including the padding and unknown tokens (default 10000 words, 300 characters). */
  maxVocab?: number;
  /** Tokens per text (the window); default: enough for 95% of training texts, at most 256 words or 1024 characters. */
  length?: number;
  lowercase?: boolean;
  /** Embedding size reported as inputSize (default 32). */
  embeddingSize?: number;
}

export interface GenerateChoices extends CommonChoices {
  task: 'generate';
  /** A CSV's text column, its rows joined by `separator` (default a line break); null or absent for a plain .txt file. */
  textColumn?: string | null;
  separator?: string;
  /** 'char' (default) or 'word' tokens; case, spaces and line breaks are kept (lm_tokens.ts). */
  tokens?: 'char' | 'word';
  /** Vocabulary size including the padding and unknown tokens (default 256 characters, 4096 words; at most 4096). */
  maxVocab?: number;
  /** Tokens per training window (default 100 characters, 32 words). */
  window?: number;
  /** Tokens between training window starts (default: the window, so windows do not overlap). */
  stride?: number;
  /** Embedding size reported as inputSize (default 32). */
  embeddingSize?: number;
}

export type TrainingChoices = ForecastChoices | SequenceChoices | TextChoices | GenerateChoices;

export const DEFAULT_MAX_SAMPLE_BYTES = 1.5 * 1024 ** 3;

/** Throws when x for `samples` samples of `valuesPerSample` float32 values would exceed the byte limit. */
export function checkSampleBytes(samples: number, valuesPerSample: number, limit: number, advice: string): void {
  const bytes = samples * valuesPerSample * 4;
  if (bytes > limit) {
    const mb = (b: number) => Math.round(b / 1024 ** 2);
    throw new DataError(
      `These choices make ${samples} samples of ${valuesPerSample} values each, ${mb(bytes)} MB of training data, over the ${mb(limit)} MB limit. ${advice}`,
    );
  }
}

/** Checks a whole-number choice, naming it in the message. */
export function checkWhole(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
    throw new DataError(`The ${name} must be a whole number ${range} (got ${value}).`);
  }
}
