// Which engine the training worker trains on, and its WebGPU device: found once at boot, chosen for the person's
// preference (engine_choice.ts: the CPU engine on a software adapter under 'auto'), replaced after a loss, switched
// between runs; every change goes to the UI as an 'engine' event.
import { cpuEngines, gpuEngines, type EngineFactory } from '../training/engine_factory';
import { chooseEngine, isSoftwareAdapter, type EnginePreference } from '../training/engine_choice';
import type { DeviceContext, DeviceFactory } from '../training/types';
import { messageOf } from './data_host';
import { IDLE_SNAPSHOT, type EngineInfo, type WorkerEvent } from './protocol';

const CPU_ENGINE_INFO = 'CPU engine (float32, in a worker)';

export class EngineHost {
  private device: DeviceContext | null = null;
  private devicePending: Promise<DeviceContext> | null = null;
  private engine: EngineInfo = { kind: 'none', info: 'starting', software: false };
  /** What the person asked for at boot: it picks the engine once the first device is found. */
  private preference: EnginePreference = 'auto';
  private booted: Promise<void> | null = null;

  constructor(
    private readonly post: (event: WorkerEvent) => void,
    /** Makes a WebGPU device (the browser's in the worker); rejects where there is none. */
    private readonly requestDevice: DeviceFactory,
  ) {}

  /** The engine new runs train on. */
  get current(): EngineInfo {
    return this.engine;
  }

  /**
   * Looks for a device and tells the UI which engine trains (or why there is none): for `preference` 'auto', WebGPU
   * on a GPU and the CPU engine on a software adapter. Once; a second call waits for the first.
   */
  boot(preference: EnginePreference): Promise<void> {
    if (this.booted) return this.booted;
    this.preference = preference;
    this.booted = this.getDevice().then(
      () => undefined,
      (e: unknown) => {
        if (preference === 'cpu') return this.set(this.cpuInfo(null));
        this.set({ kind: 'none', info: messageOf(e), software: false });
        this.post({ type: 'snapshot', snapshot: { ...IDLE_SNAPSHOT, state: 'error' } });
        this.post({ type: 'error', message: messageOf(e), kind: 'setup' });
      },
    );
    return this.booted;
  }

  /** The device found at boot, or a new one where it was lost (rejects where WebGPU cannot start). */
  getDevice(): Promise<DeviceContext> {
    if (this.device) return Promise.resolve(this.device);
    this.devicePending ??= this.requestDevice().then(
      (ctx) => {
        this.devicePending = null;
        this.adopt(ctx);
        return ctx;
      },
      (e: unknown) => {
        this.devicePending = null;
        throw e;
      },
    );
    return this.devicePending;
  }

  /** A new device (the first, or one a session found after a loss): a run on WebGPU stays there, the CPU engine stays
   *  chosen, and the first device picks the engine for the boot preference. */
  adopt(ctx: DeviceContext): void {
    this.device = ctx;
    const d = ctx.device;
    void d.lost.then(() => {
      if (this.device?.device === d) this.device = null;
    });
    const software = isSoftwareAdapter(ctx);
    const choice = this.engine.kind === 'none' ? chooseEngine(this.preference, software, ctx.adapterInfo) : { kind: this.engine.kind, why: this.engine.why ?? null };
    this.set(choice.kind === 'cpu' ? this.cpuInfo(choice.why) : { kind: 'webgpu', info: ctx.adapterInfo, software });
  }

  /** The CPU engine from now on (the caller checks no run is going). */
  useCpu(): void {
    this.set(this.cpuInfo(null));
  }

  /** The CPU engine where no engine could start (a saved run reopened without WebGPU); true when it switched. */
  cpuWhereNone(): boolean {
    if (this.engine.kind !== 'none') return false;
    this.useCpu();
    return true;
  }

  /** WebGPU on the device found at boot (or a new one), between runs; says so where it cannot start. */
  async useWebgpu(): Promise<void> {
    try {
      const ctx = await this.getDevice();
      this.set({ kind: 'webgpu', info: ctx.adapterInfo, software: isSoftwareAdapter(ctx) });
    } catch (e) {
      this.post({ type: 'error', message: `WebGPU cannot start here: ${messageOf(e)}`, kind: 'setup' });
    }
  }

  /** The engines of a new run: the CPU engine once chosen, else WebGPU on this worker's device. */
  async engines(): Promise<EngineFactory> {
    if (this.engine.kind === 'cpu') return cpuEngines();
    let ctx: DeviceContext;
    try {
      ctx = await this.getDevice();
    } catch (e) {
      throw new Error(`${messageOf(e)} You can train on the CPU engine instead (the same model): press "Train on the CPU".`);
    }
    // the first device found here may have picked the CPU engine (a software adapter, boot preference 'auto')
    const picked: EngineInfo = this.engine;
    return picked.kind === 'cpu' ? cpuEngines() : gpuEngines(ctx, this.requestDevice);
  }

  private set(e: EngineInfo): void {
    this.engine = e;
    this.post({ type: 'engine', engine: e });
  }

  private cpuInfo(why: string | null): EngineInfo {
    const ctx = this.device;
    return {
      kind: 'cpu',
      info: CPU_ENGINE_INFO,
      software: true,
      ...(ctx ? { adapter: { info: ctx.adapterInfo, software: isSoftwareAdapter(ctx) } } : {}),
      ...(why ? { why } : {}),
    };
  }
}
