// model.json's data description of a text-generation model (the vocabulary, window, stride, split), and back to choices.
import { DEFAULT_LM_FRACTIONS } from '../data/generate_set';
import { describeTable } from '../data/describe_table';
import type { DataTable } from '../data/table';
import type { GenerateChoices, TrainingSet } from '../data/training_types';
import type { DataDescription, ModelManifest } from '../export/manifest';

/** The input name of a model trained on a whole .txt file (a CSV's model names its text column). */
export const WHOLE_TEXT = 'text';
export const NEXT_TOKEN = 'next token';

/**
 * A generate set's description: one text input (the CSV column, or "text" for a .txt file, whose dataset lists no
 * columns and counts lines as rows), the next token as the target, the vocabulary with case kept.
 */
export function describeGenerateData(table: DataTable | null, choices: GenerateChoices, set: TrainingSet, datasetName: string): DataDescription {
  if (!set.vocabulary) throw new Error('A text generation set must carry its vocabulary.');
  const column = table ? choices.textColumn : null;
  if (table && !column) throw new Error('A text generation model trained on a CSV must name its text column.');
  const tokens = set.counts.tokens;
  return {
    task: 'generate',
    dataset: table
      ? { name: datasetName, rows: table.rowCount, columns: describeTable(table).columns.map((c) => ({ name: c.name, type: c.type })) }
      : { name: datasetName, rows: tokens ? tokens.train + tokens.validation + tokens.test : 0, columns: [] },
    inputColumns: [column ?? WHOLE_TEXT],
    targetColumns: [NEXT_TOKEN],
    window: set.window,
    horizon: 1,
    stride: choices.stride ?? set.window,
    timeColumn: null,
    groupColumn: null,
    layout: 'long',
    missing: 'drop',
    split: { valFraction: choices.valFraction ?? DEFAULT_LM_FRACTIONS.validation, testFraction: choices.testFraction ?? DEFAULT_LM_FRACTIONS.test },
    normalization: { inputs: [], targets: [] },
    vocabulary: { level: choices.tokens ?? 'char', tokens: set.vocabulary.slice(), padId: 0, unknownId: 1, lowercase: false, padSide: 'left' },
    ...(column ? { separator: choices.separator ?? '\n' } : {}),
    classNames: null,
  };
}

/** The choices that rebuild a saved text-generation model's set from the same text. */
export function generateChoicesFromManifest(m: ModelManifest): GenerateChoices {
  const v = m.vocabulary;
  if (!v) throw new Error('model.json describes a text generation model without a vocabulary.');
  const fromCsv = m.dataset.columns.length > 0;
  return {
    task: 'generate',
    valFraction: m.split.valFraction,
    testFraction: m.split.testFraction,
    seed: m.config.seed,
    textColumn: fromCsv ? m.inputColumns[0] : null,
    ...(fromCsv ? { separator: m.separator ?? '\n' } : {}),
    tokens: v.level,
    maxVocab: v.tokens.length,
    window: m.window,
    stride: m.stride,
    embeddingSize: m.config.inputSize,
  };
}
