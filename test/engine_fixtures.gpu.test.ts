// The GPU engine against every PyTorch fixture in ../shared/fixtures/torch (the same check `lstm-playground verify` runs).
import { describe, expect, it } from 'vitest';
import { verifyFixture } from '../src/verify/verify_fixture';
import { parseTorchFixture } from '../src/verify/torch_fixture';
import { useGpu } from './gpu_harness';
import { FIXTURE_DIR, fixtureNames } from './torch_fixtures';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const gpu = useGpu();

describe('GPU engine vs PyTorch fixtures', () => {
  it('finds the fixtures', () => {
    expect(fixtureNames().length).toBeGreaterThanOrEqual(7);
  });
  for (const name of fixtureNames()) {
    it(name, () =>
      gpu.scoped(async () => {
        const f = parseTorchFixture(readFileSync(join(FIXTURE_DIR, `${name}.json`), 'utf8'), name);
        const report = await verifyFixture(gpu.ctx().device, f, gpu.ctx().adapterInfo);
        const worst = Object.entries(report.tensors).map(([k, t]) => `${k}=${t.error.toExponential(2)}${t.pass ? '' : ` (over ${t.tolerance})`}`);
        console.log(`[gpu ${name}] worst relative error per tensor: ${worst.join(', ')}`);
        for (const [k, t] of Object.entries(report.tensors)) expect(t.error, `${name} ${k} (${t.metric})`).toBeLessThanOrEqual(t.tolerance);
        expect(Object.keys(report.tensors).length).toBeGreaterThan(8);
      }),
    );
  }
});
