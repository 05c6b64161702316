// Every PyTorch fixture in ../shared/fixtures/torch with the recurrence kernels SwiftShader does not pick by itself
// forced (verifyFixture's options): the per-step design, and the engine without its 4-lane subgroup kernels (the plain
// one-dispatch LSTM kernels and matmul_direct). The CLI's verify keeps the device's own choice (torch_fixtures.gpu.test.ts). Held to the CLI's
// tolerances and, on SwiftShader, to the errors measured there (measured_errors.ts, 3× the worst).
import { describe, expect, it } from 'vitest';
import { adapterIsCpu } from '../../src/engine/kernels';
import { subgroupSupport } from '../../src/engine/subgroup_support';
import { verifyFixture, type FixtureReport } from '../../src/verify/verify_fixture';
import { useGpu } from '../gpu/harness';
import { fixtureNames, loadFixture } from './helpers';
import { overMeasured } from './measured_errors';

const gpu = useGpu();

/** The worst error of each kind of tensor of a report, in words. */
function worstByKind(r: FixtureReport): string {
  const kinds = new Map<string, number>();
  for (const [k, t] of Object.entries(r.tensors)) kinds.set(k.split(' ')[0], Math.max(kinds.get(k.split(' ')[0]) ?? 0, t.error));
  return [...kinds].map(([k, e]) => `${k} ${e.toExponential(2)}`).join(', ');
}

const FORCED = {
  'per-step': { recurrence: 'per-step' },
  'subgroup-free': { recurrence: 'sequence', sequenceKernel: 'plain', matmulKernel: 'direct' },
} as const;

for (const [what, options] of Object.entries(FORCED)) describe(`PyTorch fixtures with the ${what} recurrence`, () => {
  const names = fixtureNames();
  it('there are fixtures', () => expect(names.length).toBeGreaterThanOrEqual(7));
  for (const name of names) {
    it(name, () =>
      gpu.scoped(async () => {
        const { device, adapterInfo } = gpu.ctx();
        const r = await verifyFixture(device, loadFixture(name), adapterInfo, options);
        console.log(`[verify ${what} ${name}] ${worstByKind(r)}`);
        expect(Object.keys(r.tensors).length).toBeGreaterThan(8);
        for (const [k, t] of Object.entries(r.tensors)) expect(t.error, `${name} ${k} (${t.metric})`).toBeLessThanOrEqual(t.tolerance);
        expect(r.pass).toBe(true);
        if (/swiftshader/i.test(adapterInfo)) expect(overMeasured(r), name).toEqual([]);
        else console.log(`[verify ${what}] adapter "${adapterInfo}" is not SwiftShader, where MEASURED was taken: only the CLI's tolerances apply`);
      }),
    );
  }
});

describe('the options reach the engine', () => {
  it('the two designs round lstm_2layer differently', () =>
    gpu.scoped(async () => {
      const { device, adapterInfo } = gpu.ctx();
      const f = loadFixture('lstm_2layer');
      const [seq, step] = [await verifyFixture(device, f, adapterInfo, { recurrence: 'sequence' }), await verifyFixture(device, f, adapterInfo, { recurrence: 'per-step' })];
      const differ = Object.keys(seq.tensors).filter((k) => seq.tensors[k].error !== step.tensors[k].error);
      console.log(`[verify lstm_2layer] tensors whose error differs between the designs: ${differ.join(', ')}`);
      expect(differ.length).toBeGreaterThan(0);
    }));

  it('the engine with and without its subgroup kernels rounds lstm_medium differently (where the device runs both)', () =>
    gpu.scoped(async () => {
      const { device, adapterInfo } = gpu.ctx();
      const f = loadFixture('lstm_medium');
      const plain = await verifyFixture(device, f, adapterInfo, FORCED['subgroup-free']);
      const auto = await verifyFixture(device, f, adapterInfo, { recurrence: 'sequence' });
      const differ = Object.keys(plain.tensors).filter((k) => plain.tensors[k].error !== auto.tensors[k].error);
      console.log(`[verify lstm_medium] tensors whose error differs between the plain and the device's own kernels: ${differ.join(', ')}`);
      if ((await subgroupSupport(device)).usable && adapterIsCpu(device)) expect(differ.length).toBeGreaterThan(0);
      else expect(differ).toEqual([]);
    }));
});
