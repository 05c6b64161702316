// Times each dispatch of one training step of our engine alone (median of repeats), to show where a step's time goes;
// and both recurrence designs (recurrence_design.ts) forced in turn, so a GPU machine can compare them.
import type { CellKind } from '../engine/config';
import { encodeDispatches } from '../engine/kernels';
import type { RecurrenceChoice, RecurrenceDesign, RecurrenceOption } from '../engine/recurrence_design';
import { RecurrentTrainer, type TrainerOptions } from '../engine/recurrent_trainer';
import type { BenchBatch } from './bench_data';
import type { BenchConfig } from './bench_spec';
import { median } from './matmul_bench';
import { trainConfigFor } from './ours_lstm';

export interface KernelTime {
  /** The pipeline (one WGSL kernel), e.g. lstmForward, matmul. */
  kernel: string;
  /** Dispatches of this kernel in one step. */
  dispatches: number;
  /** Sum over those dispatches of each one's median time alone, minus an empty submit's median. */
  ms: number;
}

async function timeSubmit(device: GPUDevice, encode: (pass: GPUComputePassEncoder) => void, repeats: number): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    encode(pass);
    pass.end();
    const t0 = performance.now();
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** The time of one training step's dispatches, each submitted and awaited alone, in step order and summed per kernel
 *  (slowest first); `recurrence` forces a design (the per-step one times each of its T dispatches alone, so its sum
 *  holds T submits: timeRecurrenceDesigns compares the designs in one pass).
 *  `emptyMs` is what a submit with no work costs here (already subtracted from each dispatch, floored at 0). */
export async function profileStep(
  device: GPUDevice,
  c: BenchConfig,
  batch: BenchBatch,
  repeats: number,
  cell: CellKind = 'lstm',
  recurrence: RecurrenceOption = 'auto',
  options: TrainerOptions = {},
): Promise<{ kernels: KernelTime[]; dispatches: { label: string; ms: number }[]; emptyMs: number }> {
  device.pushErrorScope('validation');
  const trainer = await RecurrentTrainer.create(device, trainConfigFor(c, cell), { ...options, recurrence });
  try {
    trainer.trainStep(batch.x, batch.y, c.B);
    await device.queue.onSubmittedWorkDone();
    const emptyMs = await timeSubmit(device, () => {}, repeats);
    const byKernel = new Map<string, KernelTime>();
    const dispatches: { label: string; ms: number }[] = [];
    for (const d of trainer.trainStepDispatches(c.B)) {
      const ms = Math.max(0, (await timeSubmit(device, (pass) => encodeDispatches(pass, [d]), repeats)) - emptyMs);
      dispatches.push({ label: d.label, ms });
      const kernel = d.pipeline.label || d.label;
      const k = byKernel.get(kernel) ?? { kernel, dispatches: 0, ms: 0 };
      k.dispatches += 1;
      k.ms += ms;
      byKernel.set(kernel, k);
    }
    return { kernels: [...byKernel.values()].sort((a, b) => b.ms - a.ms), dispatches, emptyMs };
  } finally {
    trainer.dispose();
    const error = await device.popErrorScope();
    if (error) throw new Error(`WebGPU validation error while profiling: ${error.message}`);
  }
}

export interface DesignTime {
  design: RecurrenceDesign;
  /** Median over repeats of one whole training step (upload, one command buffer, wait). */
  msPerStep: number;
  /** Median over repeats of the step's recurrent dispatches alone (every layer, forward and backward), in one compute
   *  pass: the one-dispatch kernels' 2·L·D dispatches, or the per-step design's 2·T·L·D. */
  recurrenceMs: number;
}

/** Both recurrence designs forced in turn on the bench model, and the one 'auto' picks here, with its reason. */
export async function timeRecurrenceDesigns(
  device: GPUDevice,
  c: BenchConfig,
  batch: BenchBatch,
  repeats: number,
  cell: CellKind = 'lstm',
): Promise<{ auto: RecurrenceChoice; designs: DesignTime[] }> {
  const designs: DesignTime[] = [];
  let auto: RecurrenceChoice | null = null;
  device.pushErrorScope('validation');
  try {
    const probe = await RecurrentTrainer.create(device, trainConfigFor(c, cell));
    auto = probe.recurrenceDesign(c.B);
    probe.dispose();
    for (const design of ['sequence', 'per-step'] as const) {
      const trainer = await RecurrentTrainer.create(device, trainConfigFor(c, cell), { recurrence: design });
      try {
        const steps: number[] = [];
        for (let r = 0; r <= repeats; r++) {
          const t0 = performance.now();
          trainer.trainStep(batch.x, batch.y, c.B);
          await device.queue.onSubmittedWorkDone();
          if (r > 0) steps.push(performance.now() - t0); // the first compiles and warms up
        }
        const recurrent = trainer.trainStepDispatches(c.B).filter((d) => /^(lstm|gru|rnn)_(step_)?(forward|backward) /.test(d.label));
        const recurrenceMs = await timeSubmit(device, (pass) => encodeDispatches(pass, recurrent), repeats);
        designs.push({ design, msPerStep: median(steps), recurrenceMs });
      } finally {
        trainer.dispose();
      }
    }
  } finally {
    const error = await device.popErrorScope();
    if (error) throw new Error(`WebGPU validation error while timing the recurrence designs: ${error.message}`);
  }
  return { auto: auto!, designs };
}

/** The engine without its 4-lane subgroup kernels: the plain one-dispatch recurrences and matmul_direct (on a CPU
 *  adapter; on a GPU the subgroup kernels are not used anyway). */
export const WITHOUT_SUBGROUPS: TrainerOptions = { sequenceKernel: 'plain', matmulKernel: 'direct' };

export interface KernelSetTime {
  kernels: 'the device\'s own' | 'without subgroups';
  /** What the device's own set runs here, in words (its recurrence and matmul kernels). */
  runs: string;
  /** Median over repeats of one whole training step; the two sets' steps alternate, so outside load hits both alike. */
  msPerStep: number;
}

/** The engine as the device picks it and without its subgroup kernels, one training step of each in turn. */
export async function timeKernelSets(device: GPUDevice, c: BenchConfig, batch: BenchBatch, repeats: number, cell: CellKind = 'lstm'): Promise<KernelSetTime[]> {
  device.pushErrorScope('validation');
  const trainers: RecurrentTrainer[] = [];
  try {
    trainers.push(await RecurrentTrainer.create(device, trainConfigFor(c, cell)));
    trainers.push(await RecurrentTrainer.create(device, trainConfigFor(c, cell), WITHOUT_SUBGROUPS));
    const steps: number[][] = [[], []];
    for (let r = 0; r <= repeats; r++) {
      for (const [i, trainer] of trainers.entries()) {
        const t0 = performance.now();
        trainer.trainStep(batch.x, batch.y, c.B);
        await device.queue.onSubmittedWorkDone();
        if (r > 0) steps[i].push(performance.now() - t0); // the first compiles and warms up
      }
    }
    const runs = (t: RecurrentTrainer) => `${t.sequenceKernel().kernel} recurrence, ${t.matmulKind} matmul`;
    return [
      { kernels: 'the device\'s own', runs: runs(trainers[0]), msPerStep: median(steps[0]) },
      { kernels: 'without subgroups', runs: runs(trainers[1]), msPerStep: median(steps[1]) },
    ];
  } finally {
    for (const t of trainers) t.dispose();
    const error = await device.popErrorScope();
    if (error) throw new Error(`WebGPU validation error while timing the kernel sets: ${error.message}`);
  }
}
