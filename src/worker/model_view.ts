// Looks inside a model without touching its training: a second engine (WebGPU, or the CPU engine) loaded with a copy
// of the weights runs the gate probes and the predictions, so the training loop's engine stays its own.
import { CpuEngine } from '../engine/cpu_engine';
import type { TrainConfig } from '../engine/config';
import type { Probe, TrainingEngine } from '../engine/engine';
import { RecurrentTrainer } from '../engine/recurrent_trainer';
import type { NamedTensor } from '../engine/tensor';
import { predictInBatches } from '../model_io/engine_predict';

/** The viewer's config: the model's shape with a modest batch (predictions go batch by batch). */
function viewConfig(c: TrainConfig): TrainConfig {
  return { ...c, batchSize: Math.max(1, Math.min(c.batchSize, 64)) };
}

/** One call at a time: the viewer's engine is shared by probe and predict. */
class Queue {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

export class ModelView {
  private engine: Promise<TrainingEngine> | null = null;
  private readonly queue = new Queue();
  private readonly config: TrainConfig;

  /** device: the GPU to view on, or null for the CPU engine. */
  constructor(
    readonly device: GPUDevice | null,
    config: TrainConfig,
  ) {
    this.config = viewConfig(config);
  }

  private get(): Promise<TrainingEngine> {
    this.engine ??= this.device ? RecurrentTrainer.create(this.device, this.config) : Promise.resolve(new CpuEngine(this.config));
    return this.engine;
  }

  probe(params: NamedTensor[], x: Float32Array, y: Float32Array, layer: number, direction: number): Promise<Probe> {
    return this.queue.run(async () => {
      const e = await this.get();
      e.writeParameters(params);
      return e.probe(x, y, layer, direction);
    });
  }

  /** Head outputs [count][outputSize]; a head on every step gives its last step's. */
  predict(params: NamedTensor[], x: Float32Array, count: number): Promise<Float32Array> {
    return this.queue.run(async () => {
      const e = await this.get();
      e.writeParameters(params);
      return predictInBatches(e, this.config, x, count);
    });
  }

  dispose(): void {
    const e = this.engine;
    this.engine = null;
    void e?.then((x) => x.dispose(), () => undefined);
  }
}
