// `lstm-playground train` writes the run's diagnosis into metrics.json and prints it: a run built to underfit (a
// learning rate of 1e-7) and an RNN on a long window (vanishing gradient) say so; a sound LSTM run finds nothing.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainCommand, type ProgressIo } from '../../src/cli/commands/train';
import type { Finding } from '../../src/training/diagnosis_types';

const dir = mkdtempSync(join(tmpdir(), 'lstm-diagnosis-'));
const csv = join(dir, 'sine.csv');

async function train(name: string, flags: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: ProgressIo = { out: (t) => out.push(t), err: (t) => err.push(t), isTty: false };
  const runDir = join(dir, name);
  const code = await trainCommand.run([csv, '--out', runDir, '--seed', '3', '--batch', '32', ...flags], io);
  const metrics = JSON.parse(readFileSync(join(runDir, 'metrics.json'), 'utf8')) as { diagnosis: Finding[] };
  return { code, out: out.join('\n'), err: err.join('\n'), diagnosis: metrics.diagnosis };
}

beforeAll(() => {
  const rows = Array.from({ length: 300 }, (_, i) => `${i},${(Math.sin(i * 0.3) + 0.3 * Math.sin(i * 1.1)).toFixed(5)}`);
  writeFileSync(csv, `t,value\n${rows.join('\n')}\n`);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lstm-playground train: diagnosis', () => {
  it('a learning rate of 1e-7 underfits: metrics.json says so with the fix, and the CLI prints it', async () => {
    const r = await train('underfit', ['--lr', '0.0000001', '--epochs', '2', '--hidden', '8', '--window', '8']);
    expect(r.code).toBe(0);
    const f = r.diagnosis.find((x) => x.check === 'underfitting');
    expect(f, JSON.stringify(r.diagnosis)).toMatchObject({ severity: 'warning', apply: { learningRate: 0.01 } });
    expect(f!.message).toMatch(/training loss \(.+\) is \d+% of the untrained model's loss/);
    for (const x of r.diagnosis) expect(Object.keys(x).sort()).toEqual(['advice', 'apply', 'check', 'message', 'severity']);
    expect(r.out).toContain('Diagnosis (also in metrics.json):');
    expect(r.out).toContain('[warning] underfitting:');
    expect(r.out).toContain('try: Raise the learning rate');
  }, 300_000);

  it('an RNN on a 64-step window: the probe of the trained weights shows the vanished gradient → LSTM', async () => {
    const r = await train('rnn', ['--cell', 'rnn', '--window', '64', '--hidden', '8', '--epochs', '1', '--json']);
    expect(r.code).toBe(0);
    const f = r.diagnosis.find((x) => x.check === 'vanishing-gradient');
    expect(f, JSON.stringify(r.diagnosis)).toMatchObject({ severity: 'warning', apply: { cell: 'lstm' } });
    expect(f!.message).toContain('window 64');
    // --json keeps stdout for the epoch lines: the diagnosis goes to stderr.
    expect(r.err).toContain('vanishing-gradient');
    expect(r.out).not.toContain('Diagnosis');
  }, 300_000);

  it('a sound LSTM run (learning rate 0.01, 12 steps, 6 epochs) finds nothing', async () => {
    const r = await train('sound', ['--lr', '0.01', '--epochs', '6', '--hidden', '16', '--window', '12']);
    expect(r.code).toBe(0);
    expect(r.diagnosis).toEqual([]);
    expect(r.out).toContain('Diagnosis: nothing to report');
  }, 300_000);
});
