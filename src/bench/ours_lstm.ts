// Times our WebGPU LSTM engine: warm-up steps, then N training steps submitted back to back and one wait at the end
// (the loss on the batch is read before the warm-up and after the timed steps, untimed, for the sanity check).
import { DEFAULT_CONFIG, type CellKind, type TrainConfig } from '../engine/config';
import { gatesOf } from '../engine/param_layout';
import { RecurrentTrainer } from '../engine/recurrent_trainer';
import type { BenchBatch } from './bench_data';
import { batchLossOf } from './sanity';
import { lstmFlopsPerStep, makeRow, type BenchConfig, type BenchRow } from './bench_spec';

/** The bench model as a training config: an LSTM unless another cell is asked for (`bench --node --cell gru`). */
export function trainConfigFor(c: BenchConfig, cell: CellKind = 'lstm'): TrainConfig {
  return {
    ...DEFAULT_CONFIG,
    cell,
    loss: 'mse',
    optimizer: 'adam',
    inputSize: c.I,
    hiddenSize: c.H,
    numLayers: c.layers,
    outputSize: 1,
    window: c.T,
    batchSize: c.B,
    learningRate: 1e-3,
    ...(c.vocab ? { vocabSize: c.vocab, outputSize: c.vocab, loss: 'cross_entropy' as const, headOn: 'every_step' as const } : {}),
  };
}

export async function benchOurs(
  device: GPUDevice,
  adapter: string,
  c: BenchConfig,
  batch: BenchBatch,
  warmup: number,
  steps: number,
  cell: CellKind = 'lstm',
): Promise<BenchRow> {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let trainer: RecurrentTrainer | null = null;
  let msPerStep = NaN;
  let loss = NaN;
  let lossBefore = NaN;
  let lossAfter = NaN;
  try {
    trainer = await RecurrentTrainer.create(device, trainConfigFor(c, cell));
    lossBefore = batchLossOf(await trainer.predict(batch.x, c.B), batch.y, c.vocab);
    for (let i = 0; i < warmup; i++) trainer.trainStep(batch.x, batch.y, c.B);
    await device.queue.onSubmittedWorkDone();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) trainer.trainStep(batch.x, batch.y, c.B);
    await device.queue.onSubmittedWorkDone();
    msPerStep = (performance.now() - t0) / steps;
    loss = await trainer.readLastLoss();
    lossAfter = batchLossOf(await trainer.predict(batch.x, c.B), batch.y, c.vocab);
  } finally {
    trainer?.dispose();
    const validation = await device.popErrorScope();
    const oom = await device.popErrorScope();
    if (validation) throw new Error(`WebGPU validation error during training: ${validation.message}`);
    if (oom) throw new Error('the GPU ran out of memory during training');
  }
  if (!Number.isFinite(loss)) throw new Error(`training produced a non-finite loss (${loss})`);
  return { ...makeRow(c.name, 'ours', adapter, msPerStep, c.B, lstmFlopsPerStep(c, gatesOf(cell))), lossBefore, lossAfter };
}
