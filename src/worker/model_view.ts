// Looks inside a model without touching its training: a second engine instance (WebGPU, or the CPU reference) loaded
// with a copy of the weights runs the gate probes and the predictions, so the training loop's buffers stay its own.
import type { TrainConfig } from '../engine/config';
import { RecurrentTrainer, type Probe } from '../engine/recurrent_trainer';
import type { NamedTensor } from '../engine/tensor';
import { lastStepOutputs } from '../data/step_targets';
import { predictInBatches } from '../model_io/engine_predict';
import { cpuPredict, cpuProbe, toParamMap } from './cpu_model';

export interface ModelView {
  probe(params: NamedTensor[], x: Float32Array, y: Float32Array, layer: number, direction: number): Promise<Probe>;
  /** Head outputs [count][outputSize]; a head on every step gives its last step's. */
  predict(params: NamedTensor[], x: Float32Array, count: number): Promise<Float32Array>;
  dispose(): void;
}

/** The viewer's config: the model's shape with a modest batch (predictions go batch by batch). */
function viewConfig(c: TrainConfig): TrainConfig {
  return { ...c, batchSize: Math.max(1, Math.min(c.batchSize, 64)) };
}

/** One call at a time: the viewer's buffers are shared by probe and predict. */
class Queue {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

export class GpuModelView implements ModelView {
  private trainer: Promise<RecurrentTrainer> | null = null;
  private readonly queue = new Queue();
  private readonly config: TrainConfig;

  constructor(
    readonly device: GPUDevice,
    config: TrainConfig,
  ) {
    this.config = viewConfig(config);
  }

  private get(): Promise<RecurrentTrainer> {
    this.trainer ??= RecurrentTrainer.create(this.device, this.config);
    return this.trainer;
  }

  probe(params: NamedTensor[], x: Float32Array, y: Float32Array, layer: number, direction: number): Promise<Probe> {
    return this.queue.run(async () => {
      const t = await this.get();
      t.writeParameters(params);
      return t.probe(x, y, layer, direction);
    });
  }

  predict(params: NamedTensor[], x: Float32Array, count: number): Promise<Float32Array> {
    return this.queue.run(async () => {
      const t = await this.get();
      t.writeParameters(params);
      return predictInBatches(t, this.config, x, count);
    });
  }

  dispose(): void {
    const t = this.trainer;
    this.trainer = null;
    void t?.then((x) => x.dispose(), () => undefined);
  }
}

export class CpuModelView implements ModelView {
  constructor(private readonly config: TrainConfig) {}

  async probe(params: NamedTensor[], x: Float32Array, y: Float32Array, layer: number, direction: number): Promise<Probe> {
    return cpuProbe(this.config, toParamMap(params), x, y, layer, direction);
  }

  async predict(params: NamedTensor[], x: Float32Array, count: number): Promise<Float32Array> {
    const c = this.config;
    const out = cpuPredict(c, toParamMap(params), x, count);
    return c.headOn === 'every_step' ? lastStepOutputs(out, count, c.window, c.outputSize) : out;
  }

  dispose(): void {}
}
