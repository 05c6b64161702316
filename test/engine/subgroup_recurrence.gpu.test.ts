// The engine's 4-lane subgroup kernels (lstm_forward_subgroup.wgsl, lstm_backward_subgroup.wgsl, matmul_subgroup.wgsl)
// and the plain ones they replace on SwiftShader, each set forced, against the float64 reference: every case of
// against_reference.gpu.test.ts plus LSTM sizes that exercise the subgroup kernels' padding (H not a multiple of 4, a
// partial group of 16 rows, several workgroups), the probe, the choice of kernel, and a negative control.
import { beforeAll, describe, expect, it } from 'vitest';
import { adapterIsCpu } from '../../src/engine/kernels';
import { RecurrentTrainer, type TrainerOptions } from '../../src/engine/recurrent_trainer';
import { FOLD_MAX_INPUT } from '../../src/engine/recurrence_design';
import { subgroupSupport } from '../../src/engine/subgroup_support';
import { useGpu } from '../gpu/harness';
import { CASES, caseConfig, probeErrors, probeNames, referenceTolerance, trainStepErrors, type Case } from './reference_cases';

const gpu = useGpu();

const EXTRA: Case[] = [
  // the bench's config S, shortened: two workgroups of 32 rows, 16 units per subgroup row
  { name: 'lstm H=64 B=64 (config S, T=3)', config: { cell: 'lstm', inputSize: 1, hiddenSize: 64, window: 3, batchSize: 64 } },
  // H = 5: units padded to 8 per row group and k past H passed as zero; B = 35: a partial row group in workgroup 2
  { name: 'lstm H=5 B=35 2 layers bidirectional', config: { cell: 'lstm', inputSize: 2, hiddenSize: 5, numLayers: 2, bidirectional: true, window: 4, batchSize: 35 } },
  // H = 30: units padded to 32 forward (8 unit groups of 4 backward), a k tail of 2; one workgroup of 40 rows, the
  // last row group of 16 partial
  { name: 'lstm H=30 B=40 every step', config: { cell: 'lstm', inputSize: 3, hiddenSize: 30, window: 5, batchSize: 40, headOn: 'every_step' } },
];
const ALL_CASES = [...CASES, ...EXTRA];

/** The pipelines of a training step's recurrent dispatches, by label. */
function recurrentPipelines(trainer: RecurrentTrainer, batch: number): string[] {
  const labels = trainer.trainStepDispatches(batch).filter((d) => /^lstm_(forward|backward) /.test(d.label)).map((d) => d.pipeline.label);
  return [...new Set(labels)];
}

/** Whether this device runs the subgroup kernels (the harness's device is made in its beforeAll, before this one). */
let usable = false;
beforeAll(async () => {
  usable = (await subgroupSupport(gpu.ctx().device)).usable;
});

describe('subgroup support', () => {
  it('the probe answers for this device, and a device without the feature is refused with the reason', async () => {
    const s = await subgroupSupport(gpu.ctx().device);
    console.log(`[subgroups] ${gpu.ctx().adapterInfo}: ${s.usable ? 'usable' : 'not usable'}: ${s.reason}`);
    if (/swiftshader/i.test(gpu.ctx().adapterInfo)) expect(s).toEqual({ usable: true, reason: 'subgroups of 4 neighbouring invocations (probed at 64 and 128 per workgroup)' });
    const bare = { features: new Set<string>() } as unknown as GPUDevice;
    expect(await subgroupSupport(bare)).toEqual({ usable: false, reason: "the device has no 'subgroups' feature" });
  });
});

/** The engine with every subgroup kernel it has (an LSTM's recurrences and every matmul), and without any. */
const VARIANTS = {
  subgroup: (cell: string) => ({ sequenceKernel: cell === 'lstm' ? 'subgroup' : 'auto', matmulKernel: 'subgroup' }) as const,
  plain: () => ({ sequenceKernel: 'plain', matmulKernel: 'direct' }) as const,
};

for (const [kernel, optionsFor] of Object.entries(VARIANTS) as [keyof typeof VARIANTS, (cell: string) => TrainerOptions][]) {
  describe(`${kernel} kernels vs float64 reference: one training step`, () => {
    for (const cs of ALL_CASES) {
      it(cs.name, async (ctx) => {
        if (kernel === 'subgroup' && !usable) ctx.skip();
        await gpu.scoped(async () => {
          const c = caseConfig(cs);
          const errors = await trainStepErrors(gpu.ctx().device, cs, { ...optionsFor(c.cell), recurrence: 'sequence' }, (trainer) => {
            expect(trainer.matmulKind).toBe(kernel === 'subgroup' ? 'subgroup' : 'direct');
            if (c.cell !== 'lstm') return;
            expect(trainer.sequenceKernel()).toEqual({ kernel, reason: 'asked for' });
            const names = kernel === 'subgroup' ? ['lstmForwardSubgroup', 'lstmBackwardSubgroup'] : ['lstmForward', 'lstmBackward'];
            expect(recurrentPipelines(trainer, c.batchSize)).toEqual(names);
            // a narrow first layer's input projection is folded into the subgroup forward (FOLD_MAX_INPUT)
            const projections = trainer.trainStepDispatches(c.batchSize).filter((d) => d.label.startsWith('input projection l0'));
            expect(projections.length === 0).toBe(kernel === 'subgroup' && c.inputSize <= FOLD_MAX_INPUT);
          });
          console.log(`[${kernel} vs reference: ${cs.name}] worst ${Math.max(...Object.values(errors)).toExponential(2)}`);
          for (const [k, e] of Object.entries(errors)) expect(e, k).toBeLessThanOrEqual(referenceTolerance(k));
        });
      });
    }
    it('probe: gate activations and per-step gradient norm of one sequence, layer 1 of 2, both directions', async (ctx) => {
      if (kernel === 'subgroup' && !usable) ctx.skip();
      await gpu.scoped(async () => {
        const { probes } = await probeErrors(gpu.ctx().device, 'lstm', optionsFor('lstm'));
        for (const { names, errors } of probes) {
          expect(names).toEqual(probeNames('lstm'));
          for (const [k, e] of Object.entries(errors)) expect(e, k).toBeLessThanOrEqual(1e-4);
        }
      });
    });
  });
}

describe('sequence kernel option', () => {
  it('auto takes the subgroup kernels for an LSTM on a CPU adapter that has them, plain for GRU; forcing subgroup for GRU throws', () =>
    gpu.scoped(async () => {
      const device = gpu.ctx().device;
      const lstm = caseConfig(EXTRA[0]);
      const auto = await RecurrentTrainer.create(device, lstm);
      console.log(`[sequence kernel auto] ${JSON.stringify(auto.sequenceKernel())}`);
      expect(auto.sequenceKernel().kernel).toBe(usable && adapterIsCpu(device) ? 'subgroup' : 'plain');
      auto.dispose();
      const gru = { ...lstm, cell: 'gru' as const };
      const g = await RecurrentTrainer.create(device, gru);
      expect(g.sequenceKernel()).toEqual({ kernel: 'plain', reason: 'there are subgroup kernels for LSTM only, not gru' });
      g.dispose();
      await expect(RecurrentTrainer.create(device, gru, { sequenceKernel: 'subgroup' })).rejects.toThrow(
        'The subgroup recurrence kernels were asked for, but there are subgroup kernels for LSTM only, not gru.',
      );
    }));
});

describe('negative control: a subgroup plan that leaves rows out fails the comparison', () => {
  it('the backward recurrence dispatched over 1 of its 4 workgroups', async (ctx) => {
    if (!usable) ctx.skip();
    await gpu.scoped(async () => {
      // H = 70, B = 51: 16 rows per workgroup. (Not the forward: the check's untampered eval pass has left its rows'
      // h in place, so a forward that skipped them would read the right values anyway.)
      const cs = CASES.find((k) => k.name.startsWith('lstm H=70 B=51'))!;
      const errors = await trainStepErrors(gpu.ctx().device, cs, { sequenceKernel: 'subgroup' }, (trainer) => {
        const bwd = trainer.trainStepDispatches(caseConfig(cs).batchSize).find((d) => d.label === 'lstm_backward l0')!;
        expect(bwd.x).toBe(4);
        bwd.x = 1;
      });
      const over = Object.entries(errors).filter(([k, e]) => !(e <= referenceTolerance(k))).map(([k]) => k);
      console.log(`[subgroup negative control] worst ${Math.max(...Object.values(errors)).toExponential(2)}; over tolerance: ${over.join(', ')}`);
      expect(over.length).toBeGreaterThan(0);
      expect(errors.prediction).toBeLessThanOrEqual(1e-4);
    });
  });
});
