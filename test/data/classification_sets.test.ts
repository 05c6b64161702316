// Tests sequence (wide and long) and text classification sets: class ids, stratified splits, padding, vocabulary, baselines.
import { describe, expect, it } from 'vitest';
import { parseCsvPath } from '../../src/data/csv_node';
import { parseCsvString } from '../../src/data/csv_stream';
import { tokenize, buildVocabulary } from '../../src/data/text_set';
import { buildTrainingSet, trainConfigFields, type SplitArrays, type TrainingSet } from '../../src/data/training_set';
import { errorOf, fixturePath, textsOf } from './helpers';

/** Accuracy on validation of the nearest class mean of the training inputs (a model any learner should match). */
function nearestCentroidAccuracy(set: TrainingSet): number {
  const width = set.train.x.length / set.train.count;
  const classes = set.outputSize;
  const sums = Array.from({ length: classes }, () => new Float64Array(width));
  const counts = new Array(classes).fill(0);
  for (let n = 0; n < set.train.count; n++) {
    counts[set.train.y[n]]++;
    for (let i = 0; i < width; i++) sums[set.train.y[n]][i] += set.train.x[n * width + i];
  }
  const features = (split: SplitArrays, n: number) => split.x.subarray(n * width, (n + 1) * width);
  let hits = 0;
  for (let n = 0; n < set.validation.count; n++) {
    const x = features(set.validation, n);
    let best = -1;
    let bestDistance = Infinity;
    sums.forEach((sum, c) => {
      let d = 0;
      for (let i = 0; i < width; i++) d += (x[i] - sum[i] / counts[c]) ** 2;
      if (d < bestDistance) [best, bestDistance] = [c, d];
    });
    if (best === set.validation.y[n]) hits++;
  }
  return hits / set.validation.count;
}

/** Bag-of-tokens counts for text sets, so nearest-centroid works on them too. */
function bagOfTokens(set: TrainingSet): TrainingSet {
  const bag = (split: SplitArrays): SplitArrays => {
    const x = new Float32Array(split.count * set.vocabSize);
    for (let n = 0; n < split.count; n++) for (let t = 0; t < set.window; t++) x[n * set.vocabSize + split.x[n * set.window + t]]++;
    return { ...split, x };
  };
  return { ...set, train: bag(set.train), validation: bag(set.validation), test: bag(set.test) };
}

describe('wide sequences (one per row)', () => {
  it('turns UCR-style rows into [N][T][1] sequences with class ids and a stratified split', async () => {
    const set = buildTrainingSet(await parseCsvPath(fixturePath('wide_ucr.csv')), { task: 'classify-sequences', format: 'wide', labelColumn: 'column_1' });
    expect(trainConfigFields(set)).toEqual({ inputSize: 1, outputSize: 2, loss: 'cross_entropy', headOn: 'last_step', vocabSize: 0, window: 24 });
    expect(set.classNames).toEqual(['1', '2']);
    expect([set.counts.train, set.counts.validation, set.counts.test]).toEqual([28, 8, 4]);
    expect(set.counts.classCounts).toEqual({ train: [14, 14], validation: [4, 4], test: [2, 2] });
    expect(set.train.x.length).toBe(28 * 24);
    expect(new Set(set.train.y)).toEqual(new Set([0, 1]));
    expect(set.baselines[0]).toMatchObject({ name: 'majority-class', validation: { count: 8, accuracy: 0.5 } });
    expect(nearestCentroidAccuracy(set)).toBeGreaterThan(0.9);
  });

  it('fills or drops rows with missing steps, and skips rows without a label', async () => {
    const rows = ['label,a,b,c,d', 'x,1,NA,3,4', 'y,4,3,2,1', ',1,1,1,1', 'x,NA,2,3,4', 'y,5,4,3,2', 'x,1,2,3,4', 'y,4,3,2,NA'];
    const table = await parseCsvString(rows.join('\n'));
    const dropped = buildTrainingSet(table, { task: 'classify-sequences', format: 'wide', labelColumn: 'label', testFraction: 0 });
    expect([dropped.counts.droppedForMissing, dropped.counts.rowsWithoutTimeGroupOrLabel, dropped.train.count + dropped.validation.count]).toEqual([3, 1, 3]);
    const filled = buildTrainingSet(table, { task: 'classify-sequences', format: 'wide', labelColumn: 'label', missing: 'interpolate', testFraction: 0 });
    expect([filled.counts.droppedForMissing, filled.counts.filledCells]).toEqual([2, 1]); // only the middle gap has two sides
    const carried = buildTrainingSet(table, { task: 'classify-sequences', format: 'wide', labelColumn: 'label', missing: 'forward-fill', testFraction: 0 });
    expect([carried.counts.droppedForMissing, carried.counts.filledCells]).toEqual([1, 2]); // a leading gap has nothing to carry
  });
});

describe('long sequences (one per series)', () => {
  const csv = (conflict = false) => {
    const rows = ['subject,t,x,y,activity'];
    for (let s = 0; s < 20; s++) {
      const steps = 6 + (s % 3);
      for (let t = steps - 1; t >= 0; t--) {
        const walk = s % 2 === 1;
        const label = conflict && s === 2 && t === 0 ? 'walk' : walk ? 'walk' : 'run';
        rows.push(`s${s},${t},${walk ? t : -t},${s},${label}`);
      }
    }
    return parseCsvString(rows.join('\n'));
  };

  it('makes one sequence per group in time order, padding short ones at the start', async () => {
    const set = buildTrainingSet(await csv(), { task: 'classify-sequences', format: 'long', labelColumn: 'activity', groupColumn: 'subject', timeColumn: 't', valueColumns: ['x'] });
    expect([set.window, set.inputSize, set.outputSize]).toEqual([8, 1, 2]);
    expect(set.classNames).toEqual(['run', 'walk']);
    expect(set.train.count + set.validation.count + set.test.count).toBe(20);
    expect(set.counts.padded).toBe(14); // series of 6 and 7 steps
    const n = Array.from(set.train.group).indexOf(1); // subject s1: walk, 7 steps 0..6 → x rising
    const sequence = Array.from(set.train.x.subarray(n * 8, n * 8 + 8));
    expect(sequence[0]).toBe(0); // padding
    expect(sequence[1]).toBeLessThan(sequence[7]);
    expect(set.groupNames[set.train.group[n]]).toBe('s1');
    const truncated = buildTrainingSet(await csv(), { task: 'classify-sequences', format: 'long', labelColumn: 'activity', groupColumn: 'subject', timeColumn: 't', length: 5 });
    expect([truncated.counts.truncated, truncated.inputSize]).toEqual([20, 2]);
    expect(nearestCentroidAccuracy(set)).toBeGreaterThan(0.9);
  });

  it('refuses a series with two labels, naming both rows', async () => {
    const table = await csv(true);
    const e = errorOf(() => buildTrainingSet(table, { task: 'classify-sequences', format: 'long', labelColumn: 'activity', groupColumn: 'subject', timeColumn: 't' }));
    expect(e.message).toMatch(/^Series "s2" has two labels: "walk" \(row \d+ \(line \d+ of the file\)\) and "run" \(row \d+ \(line \d+ of the file\)\)\./);
    expect(e.message).toContain('every row of a sequence must carry the same label');
  });
});

describe('text', () => {
  it('tokenizes words and characters', () => {
    expect(tokenize("Don't STOP, it's great!", 'word')).toEqual(["don't", 'stop', ',', "it's", 'great', '!']);
    expect(tokenize('Ab  c', 'char')).toEqual(['a', 'b', ' ', 'c']);
    expect(tokenize('Ab', 'char', false)).toEqual(['A', 'b']);
    expect(buildVocabulary([['b', 'a', 'b'], ['c', 'a', 'b']], 4)).toEqual(['<pad>', '<unk>', 'b', 'a']);
  });

  it('maps texts to padded token ids over a training vocabulary, for the embedding', async () => {
    const table = await parseCsvPath(fixturePath('text_label.csv'));
    const set = buildTrainingSet(table, { task: 'classify-text', textColumn: 'review', labelColumn: 'sentiment', maxVocab: 12, length: 6, embeddingSize: 16 });
    expect(trainConfigFields(set)).toEqual({ inputSize: 16, outputSize: 2, loss: 'cross_entropy', headOn: 'last_step', vocabSize: 12, window: 6 });
    expect(set.vocabulary!.slice(0, 2)).toEqual(['<pad>', '<unk>']);
    expect(set.vocabulary!.length).toBe(12);
    expect(set.classNames).toEqual(['negative', 'positive']);
    expect(set.counts.classCounts!.validation).toEqual([6, 6]);
    for (const v of set.train.x) expect(Number.isInteger(v) && v >= 0 && v < 12).toBe(true);
    const words = tokenize(textsOf(table, 'review')[set.train.row[0]], 'word');
    const ids = Array.from(set.train.x.subarray(0, 6));
    const expected = words.slice(0, 6).map((w) => Math.max(1, set.vocabulary!.indexOf(w)));
    expect(ids.slice(6 - expected.length)).toEqual(expected);
    expect(set.counts.truncated! + set.counts.padded!).toBeGreaterThan(0);
  });

  it('learns: a bag of words beats the majority class', async () => {
    const set = buildTrainingSet(await parseCsvPath(fixturePath('text_label.csv')), { task: 'classify-text', textColumn: 'review', labelColumn: 'sentiment' });
    expect(set.window).toBeGreaterThanOrEqual(6);
    expect(set.counts.unknownTokens).toBe(0);
    const majority = (set.baselines[0].validation as { accuracy: number }).accuracy;
    expect(nearestCentroidAccuracy(bagOfTokens(set))).toBeGreaterThan(majority + 0.3);
  });

  it('counts unknown tokens in validation and test', async () => {
    const rows = ['text,label', ...Array.from({ length: 20 }, (_, i) => `${i % 2 ? 'good' : 'bad'} word${i},${i % 2 ? 'p' : 'n'}`)];
    const set = buildTrainingSet(await parseCsvString(rows.join('\n')), { task: 'classify-text', textColumn: 'text', labelColumn: 'label', testFraction: 0 });
    expect(set.counts.unknownTokens).toBe(set.validation.count); // each wordN is seen once, so never in training
    expect(set.notes[0]).toContain('tokens in the vocabulary');
  });
});
