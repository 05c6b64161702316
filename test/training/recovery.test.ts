// Device faults on real Dawn devices: a lost device is replaced and the run continues from its checkpoint (bit for
// bit), an uncaptured GPU error is treated as a loss, a deliberate destroy() is not recovered, and losses are capped.
//
// How loss is injected: Dawn has no API to make a device lost with reason 'unknown'. session.simulateDeviceLoss()
// destroys the session's own device through DeviceWatch, which marks the destroy as simulated and reports it as a
// loss; everything after that (dead buffers, new adapter and device from the factory, rebuilt pipelines, checkpoint
// upload) is the real recovery path. Each test starts the session on a factory device so the shared one survives.
import { describe, expect, it } from 'vitest';
import { requestNodeDevice } from '../../src/gpu/node_device';
import type { DeviceFactory } from '../../src/training/types';
import { useGpu } from '../gpu/harness';
import { curveBits, runSession, sameWeights, sineData, TINY } from './helpers';
import { gpuEngines } from '../../src/training/engine_factory';

const gpu = useGpu();

function countingFactory(): { factory: DeviceFactory; made: GPUDevice[] } {
  const made: GPUDevice[] = [];
  return {
    made,
    factory: async () => {
      const ctx = await requestNodeDevice();
      made.push(ctx.device);
      return ctx;
    },
  };
}

// Hooks that act at a given step get a snapshot after every step (snapshotIntervalMs: 0), however fast it trains.
describe('device faults', () => {
  it('a device lost mid-epoch is replaced; the run resumes from its checkpoint and ends exactly as an undisturbed run', async () => {
    const data = sineData();
    const config = { ...TINY, epochs: 3 };
    const plain = await runSession({ config, data, engines: gpuEngines(gpu.ctx()) });
    const { factory, made } = countingFactory();
    let lost = false;
    const r = await runSession({ config, data, engines: gpuEngines(null, factory), snapshotIntervalMs: 0 }, (s, session) => {
      // Mid-way through epoch 2: one epoch checkpoint exists, two batches of the next epoch will be redone.
      if (!lost && s.epoch === 1 && s.stepInEpoch >= 2) lost = session.simulateDeviceLoss();
    });
    expect(lost).toBe(true);
    expect(r.result.reason).toBe('completed');
    expect(made).toHaveLength(2);
    expect(r.result.snapshot.recoveries).toBe(1);
    expect(r.notices).toHaveLength(1);
    expect(r.notices[0]).toMatch(/GPU device was lost \(simulated loss\)\. Recovering on a new device \(attempt 1 of 3\) from epoch 1, step 5/);
    expect(curveBits(r.result.snapshot)).toEqual(curveBits(plain.result.snapshot));
    expect(sameWeights(await r.session.exportParameters(), await plain.session.exportParameters())).toBe(true);
    await r.session.dispose();
    await plain.session.dispose();
    for (const d of made) d.destroy();
  });

  it('an uncaptured GPU error is handled like a loss: a new device, and the run goes on', async () => {
    const { factory, made } = countingFactory();
    let injected = false;
    const r = await runSession({ config: { ...TINY, epochs: 2 }, data: sineData(), engines: gpuEngines(null, factory), snapshotIntervalMs: 0 }, (s, session) => {
      if (!injected && s.step >= 2) {
        injected = true;
        // An invalid buffer usage outside any error scope raises an uncaptured validation error.
        session.deviceContext!.device.createBuffer({ size: 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.STORAGE });
      }
    });
    expect(r.result.reason).toBe('completed');
    expect(r.result.snapshot.recoveries).toBe(1);
    expect(r.notices[0]).toMatch(/A GPU error interrupted training/);
    expect(made).toHaveLength(2);
    await r.session.dispose();
    for (const d of made) d.destroy();
  });

  it('device.destroy() (reason "destroyed") is not recovered: the run stops with a message and keeps its checkpoint', async () => {
    const { factory, made } = countingFactory();
    let destroyed = false;
    const r = await runSession({ config: { ...TINY, epochs: 4 }, data: sineData(), engines: gpuEngines(null, factory), snapshotIntervalMs: 0 }, (s, session) => {
      if (!destroyed && s.epoch === 1) {
        destroyed = true;
        session.deviceContext!.device.destroy();
      }
    });
    expect(r.result.reason).toBe('failed');
    expect(r.result.snapshot.state).toBe('error');
    expect(made).toHaveLength(1);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].kind).toBe('device-lost');
    expect(r.errors[0].message).toMatch(/GPU device was destroyed while training.*The last checkpoint \(epoch 1, step 5\) is kept/);
    // The GPU is gone, so export falls back to the checkpoint's weights.
    expect(sameWeights(await r.session.exportParameters(), r.session.lastCheckpoint()!.parameters)).toBe(true);
    await r.session.dispose();
  });

  it('gives up after 3 recoveries with a message saying what to do', async () => {
    const { factory, made } = countingFactory();
    const r = await runSession({ config: { ...TINY, epochs: 3 }, data: sineData(), engines: gpuEngines(null, factory), snapshotIntervalMs: 0 }, (s, session) => {
      if (s.state === 'training' && s.stepInEpoch >= 1) session.simulateDeviceLoss();
    });
    expect(r.result.reason).toBe('failed');
    expect(made).toHaveLength(4);
    expect(r.notices).toHaveLength(3);
    expect(r.errors[0].kind).toBe('device-lost');
    expect(r.errors[0].message).toMatch(/lost 4 times in this run, so training stopped\. The last checkpoint \(the start of training.*\) is kept\. Reload the page/);
    await r.session.dispose();
  });

  it('without a device factory, a loss ends the run with a message', async () => {
    const own = await requestNodeDevice();
    const r = await runSession({ config: TINY, data: sineData(), engines: gpuEngines(own), snapshotIntervalMs: 0 }, (s, session) => {
      if (s.step >= 1) session.simulateDeviceLoss();
    });
    expect(r.result.reason).toBe('failed');
    expect(r.errors[0].message).toMatch(/There is no way to get a new device here/);
    await r.session.dispose();
  });
});
