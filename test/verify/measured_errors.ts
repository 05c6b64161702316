// The worst relative errors the engine achieves on the shared PyTorch fixtures, and the tolerances made from them, for
// torch_fixtures.gpu.test.ts (the CLI's verify) and forced_kernel_fixtures.gpu.test.ts (the per-step recurrence forced).
import type { FixtureReport } from '../../src/verify/verify_fixture';

/** The kinds of tensor a report checks: its key's first word ('grad weight_hh_l0' is a 'grad'). */
export type Kind = 'prediction' | 'outputs' | 'loss' | 'grad_x' | 'grad' | 'step' | 'gate' | 'adam';

/**
 * Worst relative error per fixture and kind of tensor, measured on SwiftShader (Dawn, Vulkan through Debian
 * chromium's ICD: the adapter `npm test` gets on a machine without a GPU), by torch_fixtures.gpu.test.ts's own log,
 * with the one-dispatch recurrence SwiftShader runs. The result is deterministic there (three runs, the same digits).
 * The per-step recurrence, forced, measured within 1.7× of these (forced_kernel_fixtures.gpu.test.ts holds it to them). The CLI's tolerances (1e-4, 1e-3 where steps × hidden ≥ 1024,
 * 1e-5 for the optimizer) are for any fixture on any adapter and stay as they are; this table holds the shared
 * fixtures to what the engine actually achieves, so an error that grows 20× still fails here.
 */
export const MEASURED: Record<string, Partial<Record<Kind, number>>> = {
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
export function tightTolerance(measured: number): number {
  const x = 3 * measured;
  const unit = 10 ** Math.floor(Math.log10(x));
  return Math.max(FLOAT32_FLOOR, Math.ceil(x / unit - 1e-9) * unit);
}

/** Tensors of a report over their fixture's measured tolerance, in words; [] when all are within. */
export function overMeasured(r: FixtureReport): string[] {
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
