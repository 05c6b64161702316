// Every PyTorch fixture in ../shared/fixtures/torch with the per-step recurrence forced (verifyFixture's option; the
// CLI's verify keeps the device's own choice, the one-dispatch kernels on SwiftShader), held to the CLI's tolerances
// and, on SwiftShader, to the errors measured there (measured_errors.ts, 3× the worst), like torch_fixtures.gpu.test.ts.
import { describe, expect, it } from 'vitest';
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

describe('PyTorch fixtures with the per-step recurrence', () => {
  const names = fixtureNames();
  it('there are fixtures', () => expect(names.length).toBeGreaterThanOrEqual(7));
  for (const name of names) {
    it(name, () =>
      gpu.scoped(async () => {
        const { device, adapterInfo } = gpu.ctx();
        const r = await verifyFixture(device, loadFixture(name), adapterInfo, { recurrence: 'per-step' });
        console.log(`[verify per-step ${name}] ${worstByKind(r)}`);
        expect(Object.keys(r.tensors).length).toBeGreaterThan(8);
        for (const [k, t] of Object.entries(r.tensors)) expect(t.error, `${name} ${k} (${t.metric})`).toBeLessThanOrEqual(t.tolerance);
        expect(r.pass).toBe(true);
        if (/swiftshader/i.test(adapterInfo)) expect(overMeasured(r), name).toEqual([]);
        else console.log(`[verify per-step] adapter "${adapterInfo}" is not SwiftShader, where MEASURED was taken: only the CLI's tolerances apply`);
      }),
    );
  }

  it('the option reaches the engine: the two designs round lstm_2layer differently', () =>
    gpu.scoped(async () => {
      const { device, adapterInfo } = gpu.ctx();
      const f = loadFixture('lstm_2layer');
      const [seq, step] = [await verifyFixture(device, f, adapterInfo, { recurrence: 'sequence' }), await verifyFixture(device, f, adapterInfo, { recurrence: 'per-step' })];
      const differ = Object.keys(seq.tensors).filter((k) => seq.tensors[k].error !== step.tensors[k].error);
      console.log(`[verify lstm_2layer] tensors whose error differs between the designs: ${differ.join(', ')}`);
      expect(differ.length).toBeGreaterThan(0);
    }));
});
