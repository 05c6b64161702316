// Tests text-generation sets: LM tokens (case, newlines kept), positional split, next-token windows, baselines, bad input.
import { describe, expect, it } from 'vitest';
import { parseCsvString } from '../../src/data/csv_stream';
import { DataError } from '../../src/data/data_error';
import { buildGenerateSet, textOfColumn } from '../../src/data/generate_set';
import { bitsOf, languageBaselines } from '../../src/data/lm_baselines';
import { lmDetokenize, lmTokenize } from '../../src/data/lm_tokens';
import { decodeTextBytes } from '../../src/data/plain_text';
import { isPlainTextName, linesTable, TEXT_LINES_COLUMN } from '../../src/data/text_table';
import { buildTrainingSet, trainConfigFields } from '../../src/data/training_set';
import { targetsFor } from '../../src/data/step_targets';

const verse = 'To be, or not to be: that is the question.\nWhether \'tis nobler in the mind to suffer\n';
const text = verse.repeat(20);

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('language-model tokens', () => {
  it('keeps case, spaces and line breaks as characters, and joins them back exactly', () => {
    const t = lmTokenize('Ab  c\r\nD\re', 'char');
    expect(t).toEqual(['A', 'b', ' ', ' ', 'c', '\n', 'D', '\n', 'e']);
    expect(lmDetokenize(t, 'char')).toBe('Ab  c\nD\ne');
  });

  it('splits words and punctuation with line breaks as tokens, and joins them readably', () => {
    const t = lmTokenize("O Romeo, Romeo!\nWherefore art thou Romeo's?", 'word');
    expect(t).toEqual(['O', 'Romeo', ',', 'Romeo', '!', '\n', 'Wherefore', 'art', 'thou', "Romeo's", '?']);
    expect(lmDetokenize(t, 'word')).toBe("O Romeo, Romeo!\nWherefore art thou Romeo's?");
  });
});

describe('buildGenerateSet', () => {
  it('splits the text by position and makes next-token windows that never cross a boundary', () => {
    const set = buildGenerateSet(text, { task: 'generate', window: 16, stride: 8, valFraction: 0.2, testFraction: 0.1 });
    const n = Array.from(text).length;
    const trainEnd = Math.floor(n * 0.7), valEnd = Math.floor(n * 0.9);
    expect(set.counts.tokens).toEqual({ train: trainEnd, validation: valEnd - trainEnd, test: n - valEnd });
    expect([set.task, set.headOn, set.loss, set.window]).toEqual(['generate', 'every_step', 'cross_entropy', 16]);
    expect(set.outputSize).toBe(set.vocabSize);
    expect(set.vocabulary!.slice(0, 2)).toEqual(['<pad>', '<unk>']);
    expect(set.vocabulary).toContain('\n');
    expect(set.vocabulary).toContain('T');
    // Training windows start every 8 tokens and end inside the training part; validation ones do not overlap.
    expect(Array.from(set.train.row.slice(0, 3))).toEqual([0, 8, 16]);
    for (const s of set.train.row) expect(s + 17).toBeLessThanOrEqual(trainEnd);
    expect(set.validation.row[0]).toBe(trainEnd);
    expect(set.validation.row[1]).toBe(trainEnd + 16);
    for (const s of set.validation.row) expect(s + 17).toBeLessThanOrEqual(valEnd);
    // y is x shifted by one token.
    const v = set.vocabulary!;
    const decode = (ids: ArrayLike<number>) => Array.from(ids, (i) => v[i]).join('');
    const chars = Array.from(text);
    const w = 5, s = set.train.row[w];
    expect(decode(set.train.x.subarray(w * 16, (w + 1) * 16))).toBe(chars.slice(s, s + 16).join(''));
    expect(decode(set.train.y.subarray(w * 16, (w + 1) * 16))).toBe(chars.slice(s + 1, s + 17).join(''));
    // The session trains on y as it is, with the head on every step.
    expect(targetsFor(set, set.train, 'every_step')).toBe(set.train.y);
    expect(trainConfigFields(set)).toMatchObject({ headOn: 'every_step', vocabSize: set.vocabSize, outputSize: set.vocabSize, loss: 'cross_entropy', inputSize: 32 });
  });

  it('caps the vocabulary with an unknown token, counting unknown tokens after training', () => {
    const set = buildGenerateSet(`${'ab'.repeat(200)}${'abz'.repeat(40)}`, { task: 'generate', window: 4, maxVocab: 4, valFraction: 0.2, testFraction: 0.1 });
    expect(set.vocabulary).toEqual(['<pad>', '<unk>', 'a', 'b']);
    expect(set.counts.unknownTokens).toBe(40);
    expect(Array.from(set.test.y)).toContain(1);
  });

  it('scores unigram and bigram baselines in bits per character, the bigram better on structured text', () => {
    const set = buildGenerateSet(text, { task: 'generate', window: 16 });
    const [uni, bi] = set.baselines as ReturnType<typeof languageBaselines>;
    expect([uni.name, bi.name]).toEqual(['unigram', 'bigram']);
    const u = uni.validation!, b = bi.validation!;
    expect(u.count).toBe(set.validation.count * 16);
    expect(u.bitsPerChar).toBeCloseTo(u.loss / Math.LN2, 12);
    expect(u.perplexity).toBeCloseTo(Math.exp(u.loss), 9);
    expect(b.bitsPerChar!).toBeLessThan(u.bitsPerChar! - 0.5);
    expect(bitsOf(b)).toBe(b.bitsPerChar);
  });

  it('baselines are proper distributions: a uniform text of V tokens costs log2(V) bits for the unigram', () => {
    // Training ids 0..3 each equally often: add-one unigram is uniform over 4 → exactly 2 bits.
    const train = Int32Array.from({ length: 400 }, (_, i) => i % 4);
    const pairs = { previous: [0, 1, 2, 3], next: [1, 2, 3, 0] };
    const [uni, bi] = languageBaselines(train, 4, pairs, { previous: [], next: [] }, 'word');
    expect(uni.validation!.bitsPerToken).toBeCloseTo(2, 12);
    expect(uni.test).toBeNull();
    // The bigram has seen only a → a+1: Witten-Bell keeps almost all mass on it.
    expect(bi.validation!.bitsPerToken!).toBeLessThan(0.05);
  });

  it('word tokens report bits per token', () => {
    const set = buildGenerateSet(text, { task: 'generate', tokens: 'word', window: 8 });
    expect(set.vocabulary).toContain('question');
    expect(set.baselines[0].validation).toHaveProperty('bitsPerToken');
    expect(set.baselines[0].validation).not.toHaveProperty('bitsPerChar');
  });

  it('reads a CSV text column, rows joined with the chosen separator', async () => {
    const table = await parseCsvString('id,line\n1,Hello there\n2,General Kenobi\n3,\n4,You are a bold one\n');
    expect(textOfColumn(table, 'line', ' | ')).toBe('Hello there | General Kenobi | You are a bold one');
    const set = buildTrainingSet(table, { task: 'generate', textColumn: 'line', window: 4, valFraction: 0.25, testFraction: 0 });
    expect(set.task).toBe('generate');
    expect(errorOf(() => textOfColumn(table, 'id')).message).toMatch(/holds numbers, not text/);
  });

  it('refuses empty text, text shorter than a window, and a bad stride with messages a person can act on', () => {
    expect(errorOf(() => buildGenerateSet('   \n ', { task: 'generate' }))).toBeInstanceOf(DataError);
    expect(errorOf(() => buildGenerateSet('   \n ', { task: 'generate' })).message).toMatch(/empty/);
    const short = errorOf(() => buildGenerateSet('Just a short line of text.', { task: 'generate', window: 100 })).message;
    expect(short).toMatch(/26 characters.*fewer than one window of 100.*shorter window/);
    expect(errorOf(() => buildGenerateSet(text, { task: 'generate', stride: 0 })).message).toMatch(/stride/);
  });
});

describe('linesTable', () => {
  it("holds a .txt file's lines (empty ones kept) so joining them with line breaks gives the text back", () => {
    const text = 'First line\r\n\nThird, after an empty one\nFirst line\n';
    const table = linesTable(text);
    expect(table.rowCount).toBe(4);
    expect(textOfColumn(table, TEXT_LINES_COLUMN)).toBe('First line\n\nThird, after an empty one\nFirst line');
    const set = buildTrainingSet(table, { task: 'generate', textColumn: TEXT_LINES_COLUMN, window: 4, valFraction: 0.2, testFraction: 0 });
    expect(set.counts.tokens!.train + set.counts.tokens!.validation).toBe(Array.from('First line\n\nThird, after an empty one\nFirst line').length);
    expect([isPlainTextName('book.TXT'), isPlainTextName('data.csv')]).toEqual([true, false]);
  });
});

describe('decodeTextBytes', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  it('reads UTF-8 (dropping a byte order mark) and refuses empty, binary and non-UTF-8 files', () => {
    expect(decodeTextBytes(Uint8Array.from([0xef, 0xbb, 0xbf, ...enc('héllo')]))).toBe('héllo');
    expect(errorOf(() => decodeTextBytes(new Uint8Array(0), 'a.txt')).message).toBe('a.txt is empty: there is no text to learn from.');
    expect(errorOf(() => decodeTextBytes(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 1]), 'x.png')).message).toMatch(/x.png looks binary/);
    expect(errorOf(() => decodeTextBytes(Uint8Array.from([0x61, 0xff, 0x62]), 'latin.txt')).message).toMatch(/not UTF-8/);
  });
});
