// EngineHost alone: the engine and device the worker trains on. On Dawn's SwiftShader here 'auto' picks the CPU engine
// and keeps the device to switch to; a device found once is reused; a lost one is replaced and the choice kept; where
// WebGPU cannot start at all, boot says why, 'cpu' still boots, and a new run's error names the way out.
import { describe, expect, it } from 'vitest';
import { requestNodeDevice } from '../../src/gpu/node_device';
import type { DeviceContext } from '../../src/training/types';
import { EngineHost } from '../../src/worker/engine_host';
import type { WorkerEvent } from '../../src/worker/protocol';

function host(requestDevice: () => Promise<DeviceContext>) {
  const events: WorkerEvent[] = [];
  const h = new EngineHost((e) => events.push(e), requestDevice);
  const engines = () => events.flatMap((e) => (e.type === 'engine' ? [e.engine] : []));
  return { h, events, engines };
}

/** Real Node devices, each in a validation error scope; `finish` pops the scopes and destroys what was made. */
function nodeDevices() {
  const made: DeviceContext[] = [];
  const request = async () => {
    const ctx = await requestNodeDevice();
    ctx.device.pushErrorScope('validation');
    made.push(ctx);
    return ctx;
  };
  const finish = async () => {
    for (const ctx of made) {
      expect((await ctx.device.popErrorScope())?.message ?? null, 'WebGPU validation error').toBeNull();
      ctx.device.destroy();
    }
  };
  return { made, request, finish };
}

const NO_WEBGPU = () => Promise.reject(new Error('WebGPU is not available in this browser.'));

describe('EngineHost', () => {
  it("'auto' on SwiftShader picks the CPU engine with the adapter to switch to; WebGPU reuses the same device", async () => {
    const d = nodeDevices();
    const { h, engines } = host(d.request);
    await h.boot('auto');
    await h.boot('webgpu'); // once: the first preference stands
    expect(h.current).toMatchObject({ kind: 'cpu', adapter: { software: true }, why: expect.stringMatching(/software/i) });
    expect((await h.engines()).kind).toBe('cpu');
    await h.useWebgpu();
    expect(h.current).toMatchObject({ kind: 'webgpu', software: true, info: d.made[0].adapterInfo });
    expect((await h.engines()).kind).toBe('webgpu');
    expect(await h.getDevice()).toBe(d.made[0]);
    expect(d.made).toHaveLength(1);
    h.useCpu();
    expect(engines().map((e) => e.kind)).toEqual(['cpu', 'webgpu', 'cpu']);
    await d.finish();
  });

  it('a lost device is replaced on the next request, and the engine chosen stays', async () => {
    const d = nodeDevices();
    const { h } = host(d.request);
    await h.boot('webgpu');
    expect(h.current.kind).toBe('webgpu');
    const first = d.made[0];
    expect((await first.device.popErrorScope())?.message ?? null, 'WebGPU validation error').toBeNull();
    first.device.destroy();
    await first.device.lost;
    const second = await h.getDevice();
    expect(second).not.toBe(first);
    expect(h.current).toMatchObject({ kind: 'webgpu', info: second.adapterInfo });
    d.made.shift(); // destroyed above
    await d.finish();
  });

  it('without WebGPU: boot says why (a setup error), cpuWhereNone switches once, a run asks for the CPU engine by name', async () => {
    const { h, events } = host(NO_WEBGPU);
    await h.boot('auto');
    expect(h.current).toEqual({ kind: 'none', info: 'WebGPU is not available in this browser.', software: false });
    expect(events).toContainEqual({ type: 'error', message: 'WebGPU is not available in this browser.', kind: 'setup' });
    await expect(h.engines()).rejects.toThrow(/not available in this browser\. You can train on the CPU engine instead .*"Train on the CPU"/);
    await h.useWebgpu();
    expect(events.at(-1)).toEqual({ type: 'error', message: 'WebGPU cannot start here: WebGPU is not available in this browser.', kind: 'setup' });
    expect(h.cpuWhereNone()).toBe(true);
    expect(h.cpuWhereNone()).toBe(false);
    expect(h.current).toEqual({ kind: 'cpu', info: 'CPU engine (float32, in a worker)', software: true });
    expect((await h.engines()).kind).toBe('cpu');
  });

  it("'cpu' boots on the CPU engine even where WebGPU cannot start, with no error", async () => {
    const { h, events } = host(NO_WEBGPU);
    await h.boot('cpu');
    expect(h.current.kind).toBe('cpu');
    expect(events.some((e) => e.type === 'error')).toBe(false);
  });
});
