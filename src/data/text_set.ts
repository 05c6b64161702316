// Text classification sets: texts to token ids (words or characters) over a training vocabulary, padded to one length.
import { majorityBaseline } from './baselines';
import { DataError } from './data_error';
import { labelsOf, requireTwoClasses, splitByClass } from './labels';
import { checkFractions } from './splits';
import { cellText, columnNamed, type DataTable } from './table';
import { checkSampleBytes, checkWhole, DEFAULT_MAX_SAMPLE_BYTES, type SplitArrays, type TextChoices, type TrainingSet } from './training_types';

export const PAD_TOKEN = '<pad>';
export const UNKNOWN_TOKEN = '<unk>';
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu;

/** Words (letters/digits, with inner apostrophes) and single punctuation marks; or characters, with runs of spaces as one. */
export function tokenize(text: string, tokens: 'word' | 'char', lowercase = true): string[] {
  const source = lowercase ? text.toLowerCase() : text;
  if (tokens === 'word') return source.match(WORD) ?? [];
  return Array.from(source.replace(/\s+/g, ' ').trim());
}

export function buildTextSet(table: DataTable, choices: TextChoices): TrainingSet {
  const valFraction = choices.valFraction ?? 0.2;
  const testFraction = choices.testFraction ?? 0.1;
  checkFractions(valFraction, testFraction);
  const mode = choices.tokens ?? 'word';
  const maxVocab = choices.maxVocab ?? (mode === 'word' ? 10_000 : 300);
  checkWhole('vocabulary size', maxVocab, 3, 1_000_000);
  const embeddingSize = choices.embeddingSize ?? 32;
  checkWhole('embedding size', embeddingSize, 1, 4096);
  const textColumn = columnNamed(table, choices.textColumn);
  const labels = labelsOf(table, choices.labelColumn);

  const tokenLists: string[][] = [];
  const rows: number[] = [];
  let withoutLabel = 0;
  let emptyTexts = 0;
  for (let r = 0; r < table.rowCount; r++) {
    if (labels.ids[r] < 0) {
      withoutLabel++;
      continue;
    }
    const tokens = tokenize(cellText(textColumn, r), mode, choices.lowercase ?? true);
    if (tokens.length === 0) {
      emptyTexts++;
      continue;
    }
    tokenLists.push(tokens);
    rows.push(r);
  }
  const classIds = Int32Array.from(rows, (r) => labels.ids[r]);
  requireTwoClasses(classIds, labels.classNames, choices.labelColumn);
  const split = splitByClass(classIds, labels.classNames.length, valFraction, testFraction, choices.seed ?? 42);

  const vocabulary = buildVocabulary(split.train.map((i) => tokenLists[i]), maxVocab);
  if (vocabulary.length <= 2) throw new DataError(`The training texts in column ${JSON.stringify(choices.textColumn)} have no tokens to learn from.`);
  const ids = new Map(vocabulary.map((t, i) => [t, i]));
  const length = choices.length ?? defaultLength(split.train.map((i) => tokenLists[i].length), mode === 'word' ? 256 : 1024);
  checkWhole('text length (tokens per text)', length, 1, 4096);
  checkSampleBytes(rows.length, length, choices.maxBytes ?? DEFAULT_MAX_SAMPLE_BYTES, 'Use a shorter text length.');

  let padded = 0;
  let truncated = 0;
  let unknownTokens = 0;
  const arrays = (indexes: number[], countUnknown: boolean): SplitArrays => {
    const count = indexes.length;
    const x = new Float32Array(count * length); // 0 is the padding id
    const y = new Float32Array(count);
    indexes.forEach((i, n) => {
      const tokens = tokenLists[i];
      const used = Math.min(tokens.length, length);
      const offset = length - used; // padding at the start, so the last step is real text
      if (offset > 0) padded++;
      if (tokens.length > length) truncated++;
      for (let t = 0; t < used; t++) {
        const id = ids.get(tokens[t]);
        if (id === undefined && countUnknown) unknownTokens++;
        x[n * length + offset + t] = id ?? 1;
      }
      y[n] = classIds[i];
    });
    return { count, x, y, group: new Int32Array(count), row: Int32Array.from(indexes, (i) => rows[i]) };
  };
  const train = arrays(split.train, false);
  const validation = arrays(split.validation, true);
  const test = arrays(split.test, true);
  return {
    task: 'classify-text',
    window: length,
    inputSize: embeddingSize,
    outputSize: labels.classNames.length,
    loss: 'cross_entropy',
    headOn: 'last_step',
    vocabSize: vocabulary.length,
    train,
    validation,
    test,
    featureNames: [],
    outputNames: labels.classNames,
    classNames: labels.classNames,
    vocabulary,
    normalization: null,
    groupNames: [''],
    baselines: [majorityBaseline(train.y, validation.y, test.y, labels.classNames)],
    counts: {
      train: train.count,
      validation: validation.count,
      test: test.count,
      droppedForMissing: emptyTexts,
      filledCells: 0,
      rowsWithoutTimeGroupOrLabel: withoutLabel,
      classCounts: split.classCounts,
      padded,
      truncated,
      unknownTokens,
    },
    notes: [
      `${vocabulary.length} tokens in the vocabulary (${mode === 'word' ? 'words' : 'characters'} from the training texts, plus ${PAD_TOKEN} and ${UNKNOWN_TOKEN}).`,
      `Texts are cut to their first ${length} tokens and shorter ones are padded at the start.`,
    ],
  };
}

/** [<pad>, <unk>, then the most frequent training tokens (ties: first seen first)], at most maxVocab entries. */
export function buildVocabulary(texts: string[][], maxVocab: number): string[] {
  const counts = new Map<string, number>();
  for (const tokens of texts) for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  const order = [...counts.keys()]; // insertion order = first seen
  const rank = new Map(order.map((t, i) => [t, i]));
  order.sort((a, b) => counts.get(b)! - counts.get(a)! || rank.get(a)! - rank.get(b)!);
  return [PAD_TOKEN, UNKNOWN_TOKEN, ...order.filter((t) => t !== PAD_TOKEN && t !== UNKNOWN_TOKEN).slice(0, maxVocab - 2)];
}

/** Enough tokens for 95% of the training texts, at most `cap`. */
function defaultLength(lengths: number[], cap: number): number {
  const sorted = Float64Array.from(lengths).sort();
  const at = sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] ?? 1;
  return Math.max(1, Math.min(cap, at));
}
