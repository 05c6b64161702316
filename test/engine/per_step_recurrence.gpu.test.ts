// The per-step recurrence (a dispatch per time step, shaders/*_step_*.wgsl) against the float64 reference: every case
// of against_reference.gpu.test.ts and the probe with the design forced (SwiftShader's own choice is the one-dispatch
// kernels), to the same tolerances; which design each option gives; and negative controls: a per-step plan with a
// step skipped or two steps swapped must fail the same comparison.
import { describe, expect, it } from 'vitest';
import { adapterIsCpu, type Dispatch } from '../../src/engine/kernels';
import { RecurrentTrainer } from '../../src/engine/recurrent_trainer';
import { useGpu } from '../gpu/harness';
import { CASES, caseConfig, probeErrors, probeNames, referenceTolerance, trainStepErrors, type Case } from './reference_cases';

const gpu = useGpu();
const PER_STEP = { recurrence: 'per-step' } as const;

/** The worst error of each kind of tensor (prediction, loss, dx, grad, adam), in words. */
function worstByKind(errors: Record<string, number>): string {
  const kinds = new Map<string, number>();
  for (const [k, e] of Object.entries(errors)) kinds.set(k.split(' ')[0], Math.max(kinds.get(k.split(' ')[0]) ?? 0, e));
  return [...kinds].map(([k, e]) => `${k} ${e.toExponential(2)}`).join(', ');
}

/** The training step's recurrent dispatches of a trainer, by label. */
function recurrentLabels(trainer: RecurrentTrainer, batch: number): string[] {
  return trainer.trainStepDispatches(batch).map((d) => d.label).filter((l) => /^(lstm|gru|rnn)_(step_)?(forward|backward) /.test(l));
}

describe('per-step recurrence vs float64 reference: one training step', () => {
  for (const cs of CASES) {
    it(cs.name, () =>
      gpu.scoped(async () => {
        const c = caseConfig(cs);
        const D = c.bidirectional ? 2 : 1;
        const errors = await trainStepErrors(gpu.ctx().device, cs, PER_STEP, (trainer) => {
          // the plan is the per-step one: T dispatches per layer direction, forward and backward
          expect(trainer.recurrenceDesign(c.batchSize)).toEqual({ design: 'per-step', reason: 'asked for' });
          const labels = recurrentLabels(trainer, c.batchSize);
          expect(labels.filter((l) => l.startsWith(`${c.cell}_step_forward `))).toHaveLength(c.window * c.numLayers * D);
          expect(labels.filter((l) => l.startsWith(`${c.cell}_step_backward `))).toHaveLength(c.window * c.numLayers * D);
          expect(labels).toHaveLength(2 * c.window * c.numLayers * D);
        });
        console.log(`[per-step vs reference: ${cs.name}] worst ${Math.max(...Object.values(errors)).toExponential(2)} (${worstByKind(errors)})`);
        for (const [k, e] of Object.entries(errors)) expect(e, k).toBeLessThanOrEqual(referenceTolerance(k));
      }),
    );
  }
});

describe('per-step recurrence: probe vs float64 reference', () => {
  for (const cell of ['lstm', 'gru', 'rnn'] as const) {
    it(`${cell}: gate activations and per-step gradient norm of one sequence, layer 1 of 2, both directions`, () =>
      gpu.scoped(async () => {
        const { probes, trainSteps } = await probeErrors(gpu.ctx().device, cell, PER_STEP);
        for (const { layer, dir, names, errors } of probes) {
          expect(names).toEqual(probeNames(cell));
          console.log(`[per-step probe ${cell} layer ${layer} dir ${dir}] worst ${Math.max(...Object.values(errors)).toExponential(2)}`);
          for (const [k, e] of Object.entries(errors)) expect(e, k).toBeLessThanOrEqual(1e-4);
        }
        expect(trainSteps).toBe(0);
      }),
    );
  }
});

describe('recurrence option', () => {
  // H = 260, B = 6: one workgroup of the one-dispatch kernels, where a GPU's auto choice is per-step
  const cs = CASES.find((k) => k.name.startsWith('lstm H=260'))!;
  it('auto gives the one-dispatch kernels on a CPU adapter (the golden path) and per-step on a GPU; each forced design is obeyed', () =>
    gpu.scoped(async () => {
      const c = caseConfig(cs);
      const seen: Record<string, string[]> = {};
      for (const recurrence of ['auto', 'sequence', 'per-step'] as const) {
        const trainer = await RecurrentTrainer.create(gpu.ctx().device, c, { recurrence });
        const choice = trainer.recurrenceDesign(c.batchSize);
        console.log(`[recurrence ${recurrence}] ${choice.design}: ${choice.reason}`);
        seen[recurrence] = [choice.design, ...new Set(recurrentLabels(trainer, c.batchSize).map((l) => l.split(' ')[0]))];
        trainer.dispose();
      }
      const auto = adapterIsCpu(gpu.ctx().device) ? 'sequence' : 'per-step';
      expect(seen.sequence).toEqual(['sequence', 'lstm_forward', 'lstm_backward']);
      expect(seen['per-step']).toEqual(['per-step', 'lstm_step_forward', 'lstm_step_backward']);
      expect(seen.auto).toEqual(auto === 'sequence' ? seen.sequence : seen['per-step']);
    }));
});

describe('negative controls: a per-step plan out of order fails the comparison', () => {
  // Layer 1 of a case with dropout: the check's untampered eval pass leaves layer 0's h rows (and layer 1's without
  // dropout) in place, so a tampered training step there would recompute the same values; layer 1's input differs.
  const cs: Case = CASES.find((k) => k.name === 'lstm bidirectional 2 layers dropout cross-entropy')!;
  const byLabel = (trainer: RecurrentTrainer, label: string): Dispatch => {
    const d = trainer.trainStepDispatches(caseConfig(cs).batchSize).find((k) => k.label === label);
    if (!d) throw new Error(`no dispatch ${label}`);
    return d;
  };
  // a dispatch that reads another step's record: `label` runs the visit of `as` instead of its own
  const runAs = (label: string, as: string) => (t: RecurrentTrainer) => void (byLabel(t, label).step!.offset = byLabel(t, as).step!.offset);
  const controls: [string, (trainer: RecurrentTrainer) => void][] = [
    ['forward step 2 of layer 1 skipped (step 1 run twice)', runAs('lstm_step_forward l1 s2', 'lstm_step_forward l1 s1')],
    ['forward steps 1 and 2 of layer 1 swapped', (t) => {
      const a = byLabel(t, 'lstm_step_forward l1 s1').step!, b = byLabel(t, 'lstm_step_forward l1 s2').step!;
      [a.offset, b.offset] = [b.offset, a.offset];
    }],
    ['backward visit 2 of layer 0, reverse direction, skipped (visit 1 run twice)', runAs('lstm_step_backward l0_reverse s2', 'lstm_step_backward l0_reverse s1')],
  ];
  for (const [name, tamper] of controls) {
    it(name, () =>
      gpu.scoped(async () => {
        const errors = await trainStepErrors(gpu.ctx().device, cs, PER_STEP, tamper);
        const over = Object.entries(errors).filter(([k, e]) => !(e <= referenceTolerance(k))).map(([k]) => k);
        console.log(`[per-step negative control: ${name}] worst ${Math.max(...Object.values(errors)).toExponential(2)}; over tolerance: ${over.join(', ')}`);
        expect(Math.max(...Object.values(errors))).toBeGreaterThan(1e-2);
        expect(over.length).toBeGreaterThan(0);
        // the untampered prediction (the eval plan) still agrees: the fault is where it was put
        expect(errors.prediction).toBeLessThanOrEqual(1e-4);
      }),
    );
  }
});
