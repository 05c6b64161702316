// Every PyTorch fixture in ../shared/fixtures/torch through `lstm-playground verify` (the GPU engine on Dawn).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/command';
import { verifyCommand } from '../../src/cli/commands/verify';
import type { FixtureReport } from '../../src/verify/verify_fixture';
import { FIXTURE_DIR, fixtureNames } from './helpers';

/** The kinds of tensor a report checks: its key's first word ('grad weight_hh_l0' is a 'grad'). */
type Kind = 'prediction' | 'outputs' | 'loss' | 'grad_x' | 'grad' | 'step' | 'gate' | 'adam';

/**
 * Worst relative error per fixture and kind of tensor, measured on SwiftShader (Dawn, Vulkan through Debian
 * chromium's ICD: the adapter `npm test` gets on a machine without a GPU), by this test's own log. The result is
 * deterministic there (three runs, the same digits). The CLI's tolerances (1e-4, 1e-3 where steps × hidden ≥ 1024,
 * 1e-5 for the optimizer) are for any fixture on any adapter and stay as they are; this table holds the shared
 * fixtures to what the engine actually achieves, so an error that grows 20× still fails here.
 */
const MEASURED: Record<string, Partial<Record<Kind, number>>> = {
  gru_tiny: { prediction: 1.07e-7, outputs: 1.33e-5, loss: 3.16e-9, grad_x: 1.2e-6, grad: 3.5e-6, step: 7.19e-8, adam: 3.06e-7 },
  lstm_2layer: { prediction: 1.11e-6, outputs: 1.13e-5, loss: 7.11e-8, grad_x: 7.75e-7, grad: 1.47e-5, step: 5.5e-8, gate: 3.17e-6, adam: 1.14e-6 },
  lstm_bidir_classify: { prediction: 1.57e-7, outputs: 3.15e-5, loss: 5.94e-8, grad_x: 3.41e-7, grad: 4.19e-6, step: 3.85e-8, adam: 2.58e-7 },
  lstm_medium: { prediction: 1.39e-7, outputs: 4.74e-5, loss: 3.6e-8, grad_x: 2.88e-7, grad: 7.85e-6, step: 2.21e-6, gate: 1.07e-4, adam: 2.26e-6 },
  lstm_seq_head: { prediction: 1.28e-6, outputs: 3.47e-6, loss: 2.68e-8, grad_x: 1.16e-6, grad: 1.64e-6, step: 5.62e-8, gate: 1.3e-5, adam: 3.44e-7 },
  lstm_tiny: { prediction: 4.38e-8, outputs: 1.47e-5, loss: 1.37e-8, grad_x: 8.71e-7, grad: 5.61e-6, step: 6.08e-8, gate: 6.45e-6, adam: 3.19e-7 },
  rnn_tiny: { prediction: 1.1e-7, outputs: 1.33e-6, loss: 1.23e-7, grad_x: 3.58e-7, grad: 4.84e-7, step: 4.31e-8, adam: 9.42e-8 },
};

/** Four float32 ulps of relative error (4 · 2⁻²³): a bound below that would test rounding luck, not the engine. */
const FLOAT32_FLOOR = 5e-7;

/** The tolerance of one kind: 3× the measured worst, rounded up to one significant digit, and not under the floor. */
function tightTolerance(measured: number): number {
  const x = 3 * measured;
  const unit = 10 ** Math.floor(Math.log10(x));
  return Math.max(FLOAT32_FLOOR, Math.ceil(x / unit - 1e-9) * unit);
}

/** Tensors of a report over their fixture's measured tolerance, in words; [] when all are within. */
function overMeasured(r: FixtureReport): string[] {
  const table = MEASURED[r.fixture];
  if (!table) return [`${r.fixture}: no measured errors in MEASURED (run this test, add the fixture's worst errors)`];
  const over: string[] = [];
  for (const [key, t] of Object.entries(r.tensors)) {
    const measured = table[key.split(' ')[0] as Kind];
    if (measured === undefined) over.push(`${key}: no measured error for its kind`);
    else if (!(t.error <= tightTolerance(measured))) over.push(`${key}: ${t.error.toExponential(2)} over ${tightTolerance(measured).toExponential(0)} (measured ${measured.toExponential(2)})`);
  }
  return over;
}

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
