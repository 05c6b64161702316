// Single-word texts with a label (names and gender, words and part of speech): classify-text with char tokens, and
// NA-like words ("Nan", "NA") are words there, while numbers, categories and sentences still read them as missing.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsvPath } from '../../src/data/csv_node';
import { parseCsvString } from '../../src/data/csv_stream';
import { guessShape } from '../../src/data/dataset_shape';
import { describeTable } from '../../src/data/describe_table';
import { cellText, columnNamed, writtenText } from '../../src/data/table';
import { buildTrainingSet, suggestedChoices } from '../../src/data/training_set';
import { fixturePath, numbersOf, textsOf } from './helpers';

const NAMES = fixturePath('first_names.csv');
const namesText = readFileSync(NAMES, 'utf8');
const nameRows = namesText.trim().split('\n').slice(1).map((line) => line.split(','));

describe('a CSV of first names and their gender', () => {
  it('is text classification on the name column with characters as tokens', async () => {
    const table = await parseCsvPath(NAMES);
    const shape = guessShape(table);
    expect(shape).toMatchObject({ shape: 'text-label', suggestedTask: 'classify-text', textColumn: 'name', labelColumn: 'category', textTokens: 'char' });
    expect(shape.reason).toBe('Column "name" holds single words and "category" a label for each row: text classification with characters as the tokens.');
    expect(describeTable(table).textTokens).toBe('char');
    expect(suggestedChoices(table)).toEqual({ task: 'classify-text', textColumn: 'name', labelColumn: 'category', tokens: 'char' });
  });

  it('reads "Nan" and "NA" as names, not as missing values', async () => {
    const table = await parseCsvPath(NAMES);
    const names = textsOf(table, 'name');
    expect(columnNamed(table, 'name').missing).toBe(0);
    expect(names).toEqual(nameRows.map((r) => r[0]));
    expect(names.filter((n) => n === 'Nan' || n === 'NA').length).toBe(3);
  });

  it('builds a character set that keeps every row, "Nan" included', async () => {
    const table = await parseCsvPath(NAMES);
    const set = buildTrainingSet(table, suggestedChoices(table));
    expect(set.task).toBe('classify-text');
    expect(set.counts.train + set.counts.validation + set.counts.test).toBe(table.rowCount);
    expect(set.counts.droppedForMissing).toBe(0);
    const vocabulary = set.vocabulary!;
    expect(vocabulary.slice(2).every((t) => [...t].length === 1)).toBe(true);
    expect(vocabulary).toEqual(expect.arrayContaining(['n', 'a']));
    // A word-level set of the same column would have one token per distinct name, most of them unseen in validation.
    const words = buildTrainingSet(table, { task: 'classify-text', textColumn: 'name', labelColumn: 'category', tokens: 'word' });
    expect(words.vocabulary!.length).toBeGreaterThan(200);
    expect(vocabulary.length).toBeLessThan(40);
  });

  it('a short file (a few names to predict) reads NA-like words as missing, but writtenText gives them back', async () => {
    const table = await parseCsvString('name\nNan\nAnna\nNA\nBob\n');
    const column = columnNamed(table, 'name');
    expect(textsOf(table, 'name')).toEqual(['', 'Anna', '', 'Bob']);
    expect([0, 1, 2, 3].map((r) => writtenText(column, r))).toEqual(['Nan', 'Anna', 'NA', 'Bob']);
    expect(column.missing).toBe(2);
  });
});

describe('single words with a label, other layouts', () => {
  const nouns = ['house', 'river', 'stone', 'table', 'cloud', 'apple', 'bridge', 'garden', 'window', 'forest'];
  const verbs = ['run', 'sing', 'jump', 'write', 'build', 'swim', 'carry', 'listen', 'follow', 'open'];
  const adjectives = ['quick', 'bright', 'heavy', 'quiet', 'gentle', 'narrow', 'yellow', 'bitter', 'honest', 'steep'];

  it('repeated words with their part of speech, no numbers: the word column is the text, the part of speech the label', async () => {
    const rows: string[] = [];
    for (let i = 0; i < 90; i++) {
      const [list, pos] = i % 3 === 0 ? [nouns, 'noun'] : i % 3 === 1 ? [verbs, 'verb'] : [adjectives, 'adjective'];
      rows.push(`${list[Math.floor(i / 3) % 10]},${pos}`);
    }
    const shape = guessShape(await parseCsvString(`word,pos\n${rows.join('\n')}\n`));
    expect(shape).toMatchObject({ shape: 'text-label', suggestedTask: 'classify-text', textColumn: 'word', labelColumn: 'pos', textTokens: 'char' });
  });

  it('long free texts keep word tokens', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => (i % 2 ? `win a free prize now number ${i},spam` : `see you at the meeting on day ${i},ham`));
    const shape = guessShape(await parseCsvString(`text,label\n${rows.join('\n')}\n`));
    expect(shape).toMatchObject({ shape: 'text-label', textColumn: 'text', labelColumn: 'label', textTokens: 'word' });
  });

  it('a wide table whose rows are named still reads as wide sequences (negative control)', async () => {
    const names = nameRows.slice(0, 40).map((r) => r[0]);
    const rows = names.map((n, r) => `${n},${r % 2 ? 'up' : 'down'},${Array.from({ length: 8 }, (_, t) => ((r % 2 ? t : 8 - t) / 8).toFixed(3)).join(',')}`);
    const header = `subject,label,${Array.from({ length: 8 }, (_, t) => `s${t}`).join(',')}`;
    const shape = guessShape(await parseCsvString(`${header}\n${rows.join('\n')}\n`));
    expect(shape).toMatchObject({ shape: 'wide', suggestedTask: 'classify-sequences', labelColumn: 'label', textTokens: null });
  });

  it('a series with a time column and a name column is not text (negative control)', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => `${i},${nameRows[i][0]},${Math.sin(i / 5).toFixed(4)}`);
    const shape = guessShape(await parseCsvString(`t,name,value\n${rows.join('\n')}\n`));
    expect(shape).toMatchObject({ shape: 'one-series', suggestedTask: 'forecast', textTokens: null });
  });
});

describe('NA-like words outside a list of single words are still missing values (negative controls)', () => {
  it('numbers: NA, NaN and null are missing', async () => {
    const table = await parseCsvString('value\n1\nNA\n3\nNaN\nnull\n6\n');
    expect(numbersOf(table, 'value')).toEqual([1, NaN, 3, NaN, NaN, 6]);
    expect(columnNamed(table, 'value').missing).toBe(3);
  });

  it('numbers after leading NA words: still a number column with those rows missing', async () => {
    const table = await parseCsvString(`value\nNA\nNan\n${Array.from({ length: 30 }, (_, i) => i).join('\n')}\n`);
    expect(columnNamed(table, 'value').kind).toBe('number');
    expect(numbersOf(table, 'value').slice(0, 3)).toEqual([NaN, NaN, 0]);
  });

  it('categories: "NA" among a few colours is missing', async () => {
    const colours = Array.from({ length: 30 }, (_, i) => (i % 7 === 3 ? 'NA' : ['red', 'green', 'blue'][i % 3]));
    const table = await parseCsvString(`colour,x\n${colours.map((c, i) => `${c},${i}`).join('\n')}\n`);
    const column = columnNamed(table, 'colour');
    expect(column.missing).toBe(colours.filter((c) => c === 'NA').length);
    expect(textsOf(table, 'colour')).toEqual(colours.map((c) => (c === 'NA' ? '' : c)));
    expect(column.kind === 'text' && column.dictionary).toEqual(['red', 'green', 'blue']);
  });

  it('sentences: an "N/A" review is missing', async () => {
    const reviews = Array.from({ length: 30 }, (_, i) => (i === 4 ? 'N/A' : `a fine product number ${i} for me`));
    const table = await parseCsvString(`review,label\n${reviews.map((t, i) => `${t},${i % 2 ? 'good' : 'bad'}`).join('\n')}\n`);
    const column = columnNamed(table, 'review');
    expect(cellText(column, 4)).toBe('');
    expect(writtenText(column, 4)).toBe('N/A');
    expect(column.missing).toBe(1);
  });

  it('a column of only NA words is empty', async () => {
    const table = await parseCsvString('a,b\nNA,1\nnan,2\nNone,3\n');
    expect(columnNamed(table, 'a').missing).toBe(3);
    expect(textsOf(table, 'a')).toEqual(['', '', '']);
  });
});
