// Every PyTorch fixture in ../shared/fixtures/torch through `lstm-playground verify` (the GPU engine on Dawn).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/command';
import { verifyCommand } from '../../src/cli/commands/verify';
import type { FixtureReport } from '../../src/verify/verify_fixture';
import { FIXTURE_DIR, fixtureNames } from './helpers';

function capture(): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [], err: string[] = [];
  return { io: { out: (t) => out.push(t), err: (t) => err.push(t), isTty: false }, out, err };
}

describe('lstm-playground verify', () => {
  it('passes every shared fixture, printing the worst relative error per tensor', async () => {
    const names = fixtureNames();
    expect(names.length).toBeGreaterThanOrEqual(7);
    const { io, out } = capture();
    const code = await verifyCommand.run(names.map((n) => join(FIXTURE_DIR, `${n}.json`)), io);
    const reports = out.map((line) => JSON.parse(line) as FixtureReport);
    expect(reports.map((r) => r.fixture)).toEqual(names);
    for (const r of reports) {
      const worst = Object.entries(r.tensors).map(([k, t]) => `${k}=${t.error.toExponential(2)}${t.pass ? '' : ` (over ${t.tolerance})`}`);
      console.log(`[verify ${r.fixture}] ${worst.join(', ')}`);
      expect(Object.keys(r.tensors).length).toBeGreaterThan(8);
      for (const [k, t] of Object.entries(r.tensors)) expect(t.error, `${r.fixture} ${k} (${t.metric})`).toBeLessThanOrEqual(t.tolerance);
      expect(r.pass).toBe(true);
    }
    expect(code).toBe(0);
  });

  it('exits 1 and names the tensor when a fixture disagrees with the engine', async () => {
    const f = JSON.parse(readFileSync(join(FIXTURE_DIR, 'rnn_tiny.json'), 'utf8'));
    f.grads.weight_hh_l0[3] += 0.5;
    const path = join(mkdtempSync(join(tmpdir(), 'verify-')), 'tampered.json');
    writeFileSync(path, JSON.stringify(f));
    const { io, out } = capture();
    expect(await verifyCommand.run([path], io)).toBe(1);
    const report = JSON.parse(out[0]) as FixtureReport;
    expect(report.pass).toBe(false);
    expect(report.tensors['grad weight_hh_l0'].pass).toBe(false);
    expect(report.tensors['grad weight_ih_l0'].pass).toBe(true);
  });

  it('refuses a file that is not a fixture with a usage error', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'verify-')), 'bad.json');
    writeFileSync(path, '{"cell": "lstm"}');
    await expect(verifyCommand.run([path], capture().io)).rejects.toThrow(/has no "input_size" field/);
  });
});
