// The training worker on a real (software) WebGPU adapter, Dawn's SwiftShader here: with the boot preference 'auto' it
// trains on the CPU engine and offers the adapter; 'webgpu' and a later switch train on WebGPU; 'cpu' is kept as asked.
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/config';
import { requestNodeDevice } from '../../src/gpu/node_device';
import { isSoftwareAdapter } from '../../src/training/engine_choice';
import type { DeviceContext } from '../../src/training/types';
import type { EnginePreference } from '../../src/training/engine_choice';
import { workerHarness, type EventOf } from './harness';

const CONFIG: TrainConfig = { ...DEFAULT_CONFIG, hiddenSize: 4, batchSize: 16, epochs: 1, window: 8, seed: 3 };

/** A worker on new Node devices, each watched by a validation error scope (popped by `finish`). */
function onDevices(idb: IDBFactory) {
  const made: DeviceContext[] = [];
  const h = workerHarness(idb, {
    requestDevice: (async () => {
      const ctx = await requestNodeDevice();
      ctx.device.pushErrorScope('validation');
      made.push(ctx);
      return ctx;
    }) as () => Promise<never>,
  });
  const errors = () => h.events.filter((e): e is EventOf<'error'> => e.type === 'error').map((e) => e.message);
  const finish = async () => {
    await h.worker.dispose();
    for (const ctx of made) {
      await ctx.device.queue.onSubmittedWorkDone();
      expect((await ctx.device.popErrorScope())?.message ?? null, 'WebGPU validation error').toBeNull();
      ctx.device.destroy();
    }
  };
  return { ...h, made, errors, finish };
}

async function bootAndLoad(h: ReturnType<typeof onDevices>, preference: EnginePreference): Promise<EventOf<'engine'>> {
  await h.worker.boot(preference);
  const engine = h.events.filter((e): e is EventOf<'engine'> => e.type === 'engine').at(-1)!;
  h.send({ type: 'load', source: { kind: 'example', id: 'sine' }, choices: { task: 'forecast', targets: ['value'], window: 8 } as never });
  await h.until('data');
  h.send({ type: 'configure', config: CONFIG });
  return engine;
}

/** Trains CONFIG to its end; returns the engine kind the session ran on. */
async function trainOnce(h: ReturnType<typeof onDevices>): Promise<string> {
  const from = h.events.length;
  h.send({ type: 'start' });
  const done = await h.until('done', () => true, from);
  expect(done.reason).toBe('completed');
  const history = done.snapshot.history;
  expect(history[1].valLoss).toBeLessThan(history[0].valLoss);
  return h.worker.session!.engineKind;
}

describe('engine choice on a software WebGPU adapter', () => {
  it("'auto' trains on the CPU engine, says why, and offers the adapter; switching to WebGPU trains there", async () => {
    const h = onDevices(new IDBFactory());
    const first = await bootAndLoad(h, 'auto');
    expect(isSoftwareAdapter(h.made[0]), `this test needs a software adapter, got ${h.made[0].adapterInfo}`).toBe(true);
    expect(first.engine.kind).toBe('cpu');
    expect(first.engine.adapter).toEqual({ info: h.made[0].adapterInfo, software: true });
    expect(first.engine.why).toMatch(/software one, running on the CPU/);
    expect(await trainOnce(h)).toBe('cpu');

    h.send({ type: 'use-webgpu' });
    const webgpu = await h.until('engine', (e) => e.engine.kind === 'webgpu');
    expect(webgpu.engine).toEqual({ kind: 'webgpu', info: h.made[0].adapterInfo, software: true });
    expect(await trainOnce(h)).toBe('webgpu');
    // the switch reused the device found at boot
    expect(h.made).toHaveLength(1);

    h.send({ type: 'use-cpu' });
    const back = await h.until('engine', (e) => e.engine.kind === 'cpu', h.events.indexOf(webgpu) + 1);
    expect(back.engine.adapter?.software).toBe(true);
    expect(back.engine.why).toBeUndefined();
    expect(h.errors()).toEqual([]);
    await h.finish();
  });

  it("'webgpu' trains on the software adapter, and a second boot keeps the first one's choice", async () => {
    const h = onDevices(new IDBFactory());
    const engine = await bootAndLoad(h, 'webgpu');
    expect(engine.engine.kind).toBe('webgpu');
    expect(engine.engine.software).toBe(true);
    await h.worker.boot('cpu');
    expect(h.events.filter((e) => e.type === 'engine')).toHaveLength(1);
    expect(await trainOnce(h)).toBe('webgpu');
    expect(h.errors()).toEqual([]);
    await h.finish();
  });

  it("'cpu' is kept as asked (no reason given), with the adapter offered", async () => {
    const h = onDevices(new IDBFactory());
    const engine = await bootAndLoad(h, 'cpu');
    expect(engine.engine.kind).toBe('cpu');
    expect(engine.engine.why).toBeUndefined();
    expect(engine.engine.adapter?.software).toBe(true);
    await h.finish();
  });
});
