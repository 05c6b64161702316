// GPU engine behaviour: it learns, the same seed gives the same bits, non-finite steps are caught, nothing leaks.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/config';
import { RecurrentTrainer } from '../../src/engine/recurrent_trainer';
import { liveBuffers } from '../../src/gpu/buffers';
import { useGpu } from '../gpu/harness';

const gpu = useGpu();

function sineWindows(n: number, T: number) {
  const series = Array.from({ length: n + T }, (_, i) => Math.sin(i * 0.3));
  const xs = new Float32Array(n * T), ys = new Float32Array(n);
  for (let w = 0; w < n; w++) {
    for (let t = 0; t < T; t++) xs[w * T + t] = series[w + t];
    ys[w] = series[w + T];
  }
  return { xs, ys };
}

async function evaluate(trainer: RecurrentTrainer, xs: Float32Array, ys: Float32Array, n: number, T: number, B: number) {
  trainer.resetLosses();
  for (let s = 0; s < n; s += B) {
    const b = Math.min(B, n - s);
    trainer.evalStep(xs.subarray(s * T, (s + b) * T), ys.subarray(s, s + b), b);
  }
  return (await trainer.readLosses()).valLoss;
}

describe('GPU engine training', () => {
  for (const cell of ['lstm', 'gru', 'rnn'] as const) {
    it(`${cell} learns a sine one step ahead, with a partial last batch`, () =>
      gpu.scoped(async () => {
        const T = 12, n = 100, B = 16;
        const c: TrainConfig = { ...DEFAULT_CONFIG, cell, hiddenSize: 16, window: T, batchSize: B, learningRate: 0.02, seed: 3 };
        const trainer = await RecurrentTrainer.create(gpu.ctx().device, c);
        const { xs, ys } = sineWindows(n, T);
        const before = await evaluate(trainer, xs, ys, n, T, B);
        for (let epoch = 0; epoch < 15; epoch++) {
          for (let s = 0; s < n; s += B) {
            const b = Math.min(B, n - s);
            trainer.trainStep(xs.subarray(s * T, (s + b) * T), ys.subarray(s, s + b), b);
          }
          await gpu.ctx().device.queue.onSubmittedWorkDone();
        }
        const after = await evaluate(trainer, xs, ys, n, T, B);
        console.log(`[gpu training ${cell}] MSE before ${before.toFixed(4)} after ${after.toFixed(5)}`);
        expect(after).toBeLessThan(before / 10);
        trainer.dispose();
      }));
  }

  it('the same data, config and seed give the same losses and weights, bit for bit', () =>
    gpu.scoped(async () => {
      const c: TrainConfig = { ...DEFAULT_CONFIG, cell: 'gru', hiddenSize: 6, numLayers: 2, dropout: 0.3, window: 5, batchSize: 3, seed: 99 };
      const run = async () => {
        const t = await RecurrentTrainer.create(gpu.ctx().device, c);
        const x = Float32Array.from({ length: 15 }, (_, i) => Math.cos(i)), y = Float32Array.from([0.1, -0.2, 0.3]);
        const losses: number[] = [];
        for (let i = 0; i < 5; i++) {
          t.trainStep(x, y, 3);
          losses.push(await t.readLastLoss());
        }
        const params = await t.readParameters();
        t.dispose();
        return { losses, params };
      };
      const a = await run(), b = await run();
      expect(a.losses).toEqual(b.losses);
      a.params.forEach((p, i) => expect(Array.from(p.data)).toEqual(Array.from(b.params[i].data)));
    }));

  it('a huge learning rate is caught: the step with a non-finite gradient is skipped and reported', () =>
    gpu.scoped(async () => {
      const c: TrainConfig = { ...DEFAULT_CONFIG, hiddenSize: 4, window: 3, batchSize: 2, optimizer: 'sgd', momentum: 0, learningRate: 1e30 };
      const t = await RecurrentTrainer.create(gpu.ctx().device, c);
      const x = Float32Array.from([1, 2, 3, 4, 5, 6]), y = Float32Array.from([1e20, -1e20]);
      let flagged = false;
      let lastGood = await t.readParameters();
      for (let i = 0; i < 6 && !flagged; i++) {
        t.trainStep(x, y, 2);
        const l = await t.readLosses();
        if (l.nonFinite) flagged = true;
        else lastGood = await t.readParameters();
      }
      expect(flagged).toBe(true);
      // the weights are those of the last step whose gradient was finite
      const now = await t.readParameters();
      now.forEach((p, i) => expect(Array.from(p.data)).toEqual(Array.from(lastGood[i].data)));
      t.dispose();
    }));

  it('training then disposing 50 models returns every GPU buffer', () =>
    gpu.scoped(async () => {
      const start = liveBuffers();
      const c: TrainConfig = { ...DEFAULT_CONFIG, cell: 'lstm', hiddenSize: 8, window: 4, batchSize: 4, numLayers: 2, bidirectional: true, dropout: 0.2 };
      const x = new Float32Array(16).fill(0.5), y = new Float32Array(4).fill(0.1);
      for (let i = 0; i < 50; i++) {
        const trainer = await RecurrentTrainer.create(gpu.ctx().device, { ...c, cell: (['lstm', 'gru', 'rnn'] as const)[i % 3] });
        trainer.trainStep(x, y, 4);
        trainer.evalStep(x.subarray(0, 8), y.subarray(0, 2), 2);
        await trainer.probe(x.subarray(0, 4), y.subarray(0, 1), 1, 1);
        await trainer.readLosses();
        trainer.dispose();
      }
      await gpu.ctx().device.queue.onSubmittedWorkDone();
      expect(liveBuffers()).toEqual(start);
    }));

  it('refuses a model over the buffer limit with a message naming the limit and the settings', () =>
    gpu.scoped(async () => {
      const c: TrainConfig = { ...DEFAULT_CONFIG, hiddenSize: 2048, window: 4096, batchSize: 4096 };
      await expect(RecurrentTrainer.create(gpu.ctx().device, c)).rejects.toThrow(/maxStorageBufferBindingSize.*Lower the batch size, the window or the hidden size/);
    }));

  it('refuses invalid settings with every problem named', () =>
    gpu.scoped(async () => {
      const c = { ...DEFAULT_CONFIG, cell: 'lstn', hiddenSize: 0 } as unknown as TrainConfig;
      await expect(RecurrentTrainer.create(gpu.ctx().device, c)).rejects.toThrow(/cell must be one of lstm, gru, rnn.*hiddenSize must be an integer/);
    }));
});
