// Watches a GPU device for loss and uncaptured errors, and turns them into one fault signal a training loop can race.
import { DeviceFault, deviceLostMessage } from './faults';

// One device.lost reaction per device, shared by every watch on it: each session adding its own would keep every
// finished session alive for as long as the device lives.
const watchers = new WeakMap<GPUDevice, Set<DeviceWatch>>();

function watchLoss(device: GPUDevice, watch: DeviceWatch): void {
  let set = watchers.get(device);
  if (!set) {
    const live = new Set<DeviceWatch>();
    watchers.set(device, live);
    void device.lost.then((info) => {
      for (const w of [...live]) w.lost(info);
      live.clear();
    });
    set = live;
  }
  set.add(watch);
}

/**
 * One fault signal per device. `guard(p)` settles with p, or rejects with the DeviceFault as soon as the device is
 * lost, so no await on a dead device hangs. detach() removes every reference the device holds to it.
 */
export class DeviceWatch {
  fault: DeviceFault | null = null;
  private readonly signal: Promise<never>;
  private raise!: (f: DeviceFault) => void;
  private live = true;
  private simulated = false;
  private readonly onError: (ev: Event) => void;

  constructor(
    readonly device: GPUDevice,
    private readonly onFault: (f: DeviceFault) => void,
  ) {
    this.signal = new Promise<never>((_, reject) => (this.raise = reject));
    this.signal.catch(() => undefined);
    this.onError = (ev: Event) => {
      const message = (ev as GPUUncapturedErrorEvent).error?.message ?? 'unknown GPU error';
      this.trip(new DeviceFault(`A GPU error interrupted training: ${message}.`, true));
    };
    device.addEventListener('uncapturederror', this.onError);
    watchLoss(device, this);
  }

  /** Called once when the device is lost (for every watch still attached to it). */
  lost(info: GPUDeviceLostInfo): void {
    const simulated = this.simulated;
    if (info.reason === 'destroyed' && !simulated) {
      this.trip(new DeviceFault(`The GPU device was destroyed while training${info.message ? ` (${info.message})` : ''}; training cannot continue on it.`, false));
    } else {
      this.trip(new DeviceFault(deviceLostMessage(simulated ? 'simulated loss' : String(info.reason ?? 'unknown'), simulated ? '' : info.message), true));
    }
  }

  private trip(f: DeviceFault): void {
    if (!this.live || this.fault) return;
    this.fault = f;
    this.raise(f);
    this.onFault(f);
  }

  guard<T>(p: Promise<T>): Promise<T> {
    // A readback on a device being destroyed can reject ("unmapped before mapping was resolved") a moment before
    // device.lost settles: give the loss that moment, so it is reported (and recovered from) as the device fault.
    const settled = p.catch(async (e: unknown) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw this.fault ?? e;
    });
    return Promise.race([settled, this.signal]);
  }

  throwIfFault(): void {
    if (this.fault) throw this.fault;
  }

  /** Destroys the device and reports it as a loss (reason 'unknown'), not as a deliberate destroy: a test hook. */
  simulateLoss(): void {
    this.simulated = true;
    this.device.destroy();
  }

  detach(): void {
    this.live = false;
    watchers.get(this.device)?.delete(this);
    this.device.removeEventListener('uncapturederror', this.onError);
  }
}
