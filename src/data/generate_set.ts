// Text generation sets: a text (a .txt file, or a CSV text column joined) as next-token windows, split by position.
import { DataError } from './data_error';
import { languageBaselines, type TokenPairs } from './lm_baselines';
import { lmTokenize, type LmTokenLevel } from './lm_tokens';
import { checkFractions } from './splits';
import { cellText, columnNamed, type DataTable } from './table';
import { buildVocabulary, PAD_TOKEN, UNKNOWN_TOKEN } from './text_set';
import { checkSampleBytes, checkWhole, DEFAULT_MAX_SAMPLE_BYTES, type GenerateChoices, type SplitArrays, type TrainingSet } from './training_types';

export const DEFAULT_LM_WINDOW: Record<LmTokenLevel, number> = { char: 100, word: 32 };
export const DEFAULT_LM_VOCAB: Record<LmTokenLevel, number> = { char: 256, word: 4096 };
/** The most tokens a vocabulary may hold: the head writes one logit per token at every step (TrainConfig's outputSize cap). */
export const MAX_LM_VOCAB = 4096;
export const UNKNOWN_ID = 1;
/** Validation and test fractions of a text when none are chosen. */
export const DEFAULT_LM_FRACTIONS = { validation: 0.1, test: 0.1 };

/** The rows of a text column joined by `separator` (missing cells, which is how a CSV reads empty ones, left out). */
export function textOfColumn(table: DataTable, column: string, separator = '\n'): string {
  const col = columnNamed(table, column);
  if (col.kind !== 'text') throw new DataError(`Column ${JSON.stringify(column)} holds ${col.kind === 'date' ? 'dates' : 'numbers'}, not text; choose a text column to learn to write.`, { column });
  const parts: string[] = [];
  for (let r = 0; r < table.rowCount; r++) if (col.codes[r] >= 0) parts.push(cellText(col, r));
  return parts.join(separator);
}

/** Token ids of `tokens` in a vocabulary (unknown tokens get UNKNOWN_ID). */
export function tokenIds(tokens: readonly string[], vocabulary: readonly string[]): Int32Array {
  const ids = new Map(vocabulary.map((t, i) => [t, i]));
  return Int32Array.from(tokens, (t) => ids.get(t) ?? UNKNOWN_ID);
}

/**
 * Builds next-token windows from `text`. The token stream is cut by position: the first 1 − val − test of it trains,
 * then validation, then test, so no window crosses a boundary. Training windows start every `stride` tokens;
 * validation and test windows do not overlap (each token is scored once). Window w's x holds tokens s…s+T−1 and its
 * y (one class id per step) tokens s+1…s+T. The vocabulary comes from the training part only.
 */
export function buildGenerateSet(text: string, choices: GenerateChoices): TrainingSet {
  const valFraction = choices.valFraction ?? DEFAULT_LM_FRACTIONS.validation;
  const testFraction = choices.testFraction ?? DEFAULT_LM_FRACTIONS.test;
  checkFractions(valFraction, testFraction);
  const level = choices.tokens ?? 'char';
  if (level !== 'char' && level !== 'word') throw new DataError(`Tokens must be char or word (got ${JSON.stringify(level)}).`);
  const maxVocab = choices.maxVocab ?? DEFAULT_LM_VOCAB[level];
  checkWhole('vocabulary size', maxVocab, 3, MAX_LM_VOCAB);
  if (choices.window !== undefined) checkWhole('window (tokens per training window)', choices.window, 1, 4096);
  if (choices.stride !== undefined) checkWhole('stride (tokens between training windows)', choices.stride, 1, 1_000_000);
  const embeddingSize = choices.embeddingSize ?? 32;
  checkWhole('embedding size', embeddingSize, 1, 4096);
  if (text.trim() === '') throw new DataError('The text is empty (or only spaces): there is nothing to learn to write.');
  const tokens = lmTokenize(text, level);
  const unit = level === 'char' ? 'characters' : 'words';
  const n = tokens.length;
  const trainEnd = Math.floor(n * (1 - valFraction - testFraction));
  const validationEnd = Math.floor(n * (1 - testFraction));
  // Unless chosen, the window is the default or, for a short text, the longest that fits its smaller part.
  const fitting = Math.max(1, Math.min(trainEnd, validationEnd - trainEnd) - 1);
  const window = choices.window ?? Math.min(DEFAULT_LM_WINDOW[level], fitting);
  const stride = choices.stride ?? window;
  const need = (part: string, have: number, fraction: number) => {
    if (have >= window + 1) return;
    const whole = Math.ceil((window + 1) / fraction);
    throw new DataError(
      `The text has ${n} ${unit}, so its ${part} part (${Math.round(fraction * 100)}%) holds ${have}, fewer than one window of ${window} plus the one after it. ` +
        `Use a shorter window (at most ${Math.max(1, have - 1)}) or a text of at least ${whole} ${unit}.`,
    );
  };
  need('training', trainEnd, 1 - valFraction - testFraction);
  need('validation', validationEnd - trainEnd, valFraction);

  const vocabulary = buildVocabulary([tokens.slice(0, trainEnd)], maxVocab);
  const ids = tokenIds(tokens, vocabulary);
  let unknownTokens = 0;
  for (let i = trainEnd; i < n; i++) if (ids[i] === UNKNOWN_ID) unknownTokens++;
  const starts = (from: number, to: number, step: number) => {
    const out: number[] = [];
    for (let s = from; s + window + 1 <= to; s += step) out.push(s);
    return out;
  };
  const trainStarts = starts(0, trainEnd, stride);
  checkSampleBytes(trainStarts.length, 2 * window, choices.maxBytes ?? DEFAULT_MAX_SAMPLE_BYTES, 'Use a larger stride or a shorter text.');
  const arrays = (list: number[]): SplitArrays => {
    const count = list.length;
    const x = new Float32Array(count * window);
    const y = new Float32Array(count * window);
    list.forEach((s, w) => {
      for (let t = 0; t < window; t++) {
        x[w * window + t] = ids[s + t];
        y[w * window + t] = ids[s + t + 1];
      }
    });
    return { count, x, y, group: new Int32Array(count), row: Int32Array.from(list) };
  };
  const train = arrays(trainStarts);
  const validation = arrays(starts(trainEnd, validationEnd, window));
  const test = arrays(starts(validationEnd, n, window));
  const pairs = (split: SplitArrays): TokenPairs => ({ previous: split.x, next: split.y });
  const baselines = languageBaselines(ids.subarray(0, trainEnd), vocabulary.length, pairs(validation), pairs(test), level);
  return {
    task: 'generate',
    window,
    inputSize: embeddingSize,
    outputSize: vocabulary.length,
    loss: 'cross_entropy',
    headOn: 'every_step',
    vocabSize: vocabulary.length,
    train,
    validation,
    test,
    featureNames: [],
    outputNames: vocabulary.slice(),
    vocabulary,
    normalization: null,
    groupNames: [''],
    baselines,
    counts: {
      train: train.count,
      validation: validation.count,
      test: test.count,
      droppedForMissing: 0,
      filledCells: 0,
      rowsWithoutTimeGroupOrLabel: 0,
      unknownTokens,
      tokens: { train: trainEnd, validation: validationEnd - trainEnd, test: n - validationEnd },
    },
    notes: [
      `${vocabulary.length} tokens in the vocabulary (${unit} of the training part, case and line breaks kept, plus ${PAD_TOKEN} and ${UNKNOWN_TOKEN}).`,
      `The text is split by position: the first ${trainEnd} ${unit} train, the next ${validationEnd - trainEnd} validate, the last ${n - validationEnd} test.`,
      `Training windows of ${window} ${unit} start every ${stride}; every step predicts the next token.` +
        (choices.window === undefined && window < DEFAULT_LM_WINDOW[level] ? ` (The text is short, so the window is ${window} rather than ${DEFAULT_LM_WINDOW[level]}.)` : ''),
    ],
  };
}
