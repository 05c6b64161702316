// `train` and `predict` end to end (on the engine --engine auto picks) on numbers at the edges and on single-word texts: a series
// around ±1e300 trains and predicts in original units, infinities are named, and a names CSV classifies by its letters.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliCommand } from '../../src/cli/command';
import { predictCommand } from '../../src/cli/commands/predict';
import { trainCommand, type ProgressIo } from '../../src/cli/commands/train';
import { fixturePath } from '../data/helpers';

async function run(command: CliCommand, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: ProgressIo = { out: (t) => out.push(t), err: (t) => err.push(t), isTty: false, progress: () => {} };
  const code = await command.run(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const dir = mkdtempSync(join(tmpdir(), 'lstm-edge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const TINY = ['--epochs', '3', '--hidden', '8', '--window', '8', '--batch', '32', '--seed', '3'];
const wave = (i: number) => Math.sin(i * 0.3) + 0.3 * Math.sin(i * 1.1);

describe('a series of values around ±1e300', () => {
  it('trains without a gradient error, and its metrics and predictions are in original units', async () => {
    const csv = join(dir, 'huge.csv');
    const values = Array.from({ length: 200 }, (_, i) => wave(i) * 1e300);
    writeFileSync(csv, `t,value\n${values.map((v, i) => `${i},${v.toExponential(6)}`).join('\n')}\n`);
    const out = join(dir, 'huge');
    const r = await run(trainCommand, [csv, '--target', 'value', '--out', out, ...TINY]);
    expect(r.err).not.toMatch(/learning rate|Infinity|non-finite/);
    expect(r.code).toBe(0);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.result.reason).toBe('completed');
    expect(metrics.validation.mae).toBeGreaterThan(1e298);
    expect(metrics.validation.mae).toBeLessThan(1e301);
    const p = await run(predictCommand, [out, csv]);
    expect(p.code).toBe(0);
    const lines = p.out.trim().split('\n');
    expect(lines[0]).toBe('last_row,last_t,value t+1');
    const predicted = lines.slice(1).map((l) => Number(l.split(',')[2]));
    expect(predicted.every(Number.isFinite)).toBe(true);
    expect(Math.max(...predicted.map(Math.abs))).toBeGreaterThan(1e299);
    expect(Math.max(...predicted.map(Math.abs))).toBeLessThan(3e300);
  });

  it('one value far past the rest is named by row and column instead of diverging', async () => {
    const csv = join(dir, 'spike.csv');
    writeFileSync(csv, `t,value\n${Array.from({ length: 200 }, (_, i) => `${i},${i === 170 ? '1e300' : wave(i).toFixed(5)}`).join('\n')}\n`);
    const r = await run(trainCommand, [csv, '--target', 'value', '--out', join(dir, 'spike'), ...TINY]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Row 171 \(line 172 of the file\), column "value": "1e\+300" cannot be used/);
    expect(r.err).not.toMatch(/learning rate/);
  });
});

describe('infinities among numbers', () => {
  it('are named by row with the missing-value policy offered, also when no target is given', async () => {
    const csv = join(dir, 'inf.csv');
    writeFileSync(csv, `value\n${Array.from({ length: 70 }, (_, i) => (i % 7 === 0 ? 'inf' : i % 7 === 3 ? '-inf' : wave(i).toFixed(5))).join('\n')}\n`);
    const r = await run(trainCommand, [csv, '--out', join(dir, 'inf'), ...TINY]);
    expect(r.code).toBe(1);
    expect(r.err).not.toMatch(/No column holds numbers/);
    expect(r.err).toMatch(/Column "value" holds 20 infinite values \(row 1 \(line 2 of the file\): "inf", row 4 \(line 5\): "-inf"/);
    expect(r.err).toMatch(/missing-value policy/);
  });
});

describe('a CSV of first names and their gender, with "Nan" and "NA" among the names', () => {
  it('trains a character model by default that beats the majority class, and predicts "Nan" as a name', async () => {
    const csv = join(dir, 'names.csv');
    copyFileSync(fixturePath('first_names.csv'), csv);
    const out = join(dir, 'names');
    const r = await run(trainCommand, [csv, '--out', out, '--epochs', '12', '--hidden', '32', '--seed', '3']);
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    expect(manifest.task).toBe('classify-text');
    expect(manifest.vocabulary.level).toBe('char');
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    const majority = metrics.baselines.find((b: { name: string }) => b.name === 'majority-class').validation.accuracy;
    console.log(`[names] validation accuracy ${metrics.validation.accuracy.toFixed(3)}, majority ${majority.toFixed(3)}; test ${metrics.test.accuracy.toFixed(3)}`);
    expect(metrics.validation.accuracy).toBeGreaterThan(majority + 0.15);
    expect(metrics.counts.train + metrics.counts.validation + metrics.counts.test).toBe(readFileSync(csv, 'utf8').trim().split('\n').length - 1);
    const few = join(dir, 'few.csv');
    writeFileSync(few, 'name\nNan\nAnna\nNA\n');
    const p = await run(predictCommand, [out, few]);
    expect(p.code).toBe(0);
    expect(p.err).not.toMatch(/no text/);
    expect(p.out.trim().split('\n')).toHaveLength(4);
  });
});
