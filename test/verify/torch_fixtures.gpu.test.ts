// Every PyTorch fixture in ../shared/fixtures/torch through `lstm-playground verify` (the GPU engine on Dawn).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/command';
import { verifyCommand } from '../../src/cli/commands/verify';
import type { FixtureReport } from '../../src/verify/verify_fixture';
import { FIXTURE_DIR, fixtureNames } from './helpers';
import { MEASURED, overMeasured, tightTolerance, type Kind } from './measured_errors';

/**
 * Moves the largest-magnitude element b of a fixture array (flat, or [T][H]) by `by` · max(|b|, 1e-3): a relative
 * error of `by` in the metric the report uses, on top of the engine's own.
 */
function nudgeLargest(values: number[] | number[][], by: number): void {
  const rows = Array.isArray(values[0]) ? (values as number[][]) : [values as number[]];
  let at: [number, number] = [0, 0];
  rows.forEach((row, r) => row.forEach((v, i) => (Math.abs(v) > Math.abs(rows[at[0]][at[1]]) ? (at = [r, i]) : 0)));
  const b = rows[at[0]][at[1]];
  rows[at[0]][at[1]] = b + Math.sign(b || 1) * by * Math.max(Math.abs(b), 1e-3);
}

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
    const swiftShader = /swiftshader/i.test(reports[0]?.adapter ?? '');
    for (const r of reports) {
      const worst = Object.entries(r.tensors).map(([k, t]) => `${k}=${t.error.toExponential(2)}${t.pass ? '' : ` (over ${t.tolerance})`}`);
      console.log(`[verify ${r.fixture}] ${worst.join(', ')}`);
      const table = MEASURED[r.fixture] ?? {};
      const worstByKind = (Object.keys(table) as Kind[]).map((kind) => {
        const e = Math.max(...Object.entries(r.tensors).filter(([k]) => k.split(' ')[0] === kind).map(([, t]) => t.error));
        return `${kind} ${e.toExponential(2)} ≤ ${tightTolerance(table[kind]!).toExponential(0)}`;
      });
      console.log(`[verify ${r.fixture} against its measured errors] ${worstByKind.join(', ')}`);
      expect(Object.keys(r.tensors).length).toBeGreaterThan(8);
      for (const [k, t] of Object.entries(r.tensors)) expect(t.error, `${r.fixture} ${k} (${t.metric})`).toBeLessThanOrEqual(t.tolerance);
      expect(r.pass).toBe(true);
      // The table was measured on SwiftShader; another adapter rounds differently and is held to the CLI's tolerances.
      if (swiftShader) expect(overMeasured(r), r.fixture).toEqual([]);
      else console.log(`[verify] adapter "${r.adapter}" is not SwiftShader, where MEASURED was taken: only the CLI's tolerances apply`);
    }
    expect(code).toBe(0);
  });

  it('the measured tolerances reject errors the CLI tolerances let through (negative control on lstm_medium)', async () => {
    const f = JSON.parse(readFileSync(join(FIXTURE_DIR, 'lstm_medium.json'), 'utf8'));
    // Each nudge is under the CLI's 1e-3 for this fixture and several times over its measured tolerance.
    nudgeLargest(f.outputs, 5e-4);
    nudgeLargest(f.grads.weight_hh_l1, 1e-4);
    nudgeLargest(f.gates_seq0_layer0.g, 8e-4);
    const path = join(mkdtempSync(join(tmpdir(), 'verify-')), 'nudged.json');
    writeFileSync(path, JSON.stringify(f));
    const { io, out } = capture();
    expect(await verifyCommand.run([path], io)).toBe(0);
    const report = JSON.parse(out[0]) as FixtureReport;
    expect(report.pass).toBe(true);
    const over = overMeasured(report);
    console.log(`[verify nudged lstm_medium] ${over.join('; ')}`);
    expect(over.map((o) => o.split(':')[0])).toEqual(['outputs', 'grad weight_hh_l1', 'gate g']);
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
