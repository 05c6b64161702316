// GPU engine (WGSL on Dawn) against the PyTorch fixtures and the float64 reference, training, and buffer leaks.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../src/engine/config';
import { LstmTrainer } from '../src/engine/lstm_trainer';
import type { NamedTensor } from '../src/export/tensor';
import { liveBuffers } from '../src/gpu/buffers';
import { adamStep, lstmBackward, lstmForward, mseLoss, type ParamMap, type ReferenceSpec } from '../src/reference/lstm_reference';
import { Prng } from '../src/util/prng';
import { useGpu } from './gpu_harness';
import { loadFixture, maxRelError, normRelError } from './torch_fixtures';

const gpu = useGpu();

function report(label: string, errors: Record<string, number>): void {
  const worst = Math.max(...Object.values(errors));
  console.log(`[${label}] worst relative error ${worst.toExponential(2)}`, Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, Number(v.toExponential(2))])));
}

function timeMajorToBatchFirst(a: Float32Array, T: number, B: number, W: number, skipRows = 0): Float32Array {
  const out = new Float32Array(B * T * W);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++)
      for (let w = 0; w < W; w++) out[(b * T + t) * W + w] = a[((t + skipRows) * B + b) * W + w];
  return out;
}

describe('GPU LSTM engine vs PyTorch fixtures', () => {
  for (const name of ['lstm_tiny', 'lstm_2layer', 'lstm_seq_head']) {
    it(name, () =>
      gpu.scoped(async () => {
        const f = loadFixture(name);
        const { device } = gpu.ctx();
        const config: TrainConfig = {
          ...DEFAULT_CONFIG,
          inputSize: f.input_size, hiddenSize: f.hidden_size, numLayers: f.num_layers, outputSize: f.head_out,
          headOn: f.head_on, window: f.steps, batchSize: f.batch,
          learningRate: f.adam.lr, beta1: f.adam.betas[0], beta2: f.adam.betas[1], eps: f.adam.eps,
        };
        const trainer = await LstmTrainer.create(device, config, { computeInputGrad: true });
        const B = f.batch, T = f.steps, H = f.hidden_size;
        trainer.writeParameters(Object.entries(f.params).map(([n, v]) => ({ name: n, shape: f.shapes[n], data: Float32Array.from(v) })));
        const x = Float32Array.from(f.x), y = Float32Array.from(f.target);
        const errors: Record<string, number> = {};
        errors.prediction = maxRelError(await trainer.predict(x, B), f.prediction);
        const top = await trainer.readLayerState(f.num_layers - 1, B);
        errors.outputs = maxRelError(timeMajorToBatchFirst(top.h, T, B, H, 1), f.outputs);
        trainer.trainStep(x, y, B);
        errors.loss = maxRelError([await trainer.readLastLoss()], [f.loss_value]);
        errors.grad_x = maxRelError(await trainer.readInputGradient(B), f.grad_x);
        for (const g of await trainer.readGradients()) errors[`grad ${g.name}`] = maxRelError(g.data, f.grads[g.name]);
        // Adam after our own float32 gradients: an element whose gradient is near eps (1e-8) moves by up to
        // lr·eps/(|g|+eps)² per unit of gradient error, so it is checked norm-wise (per tensor) and reported elementwise.
        const stepErrors: Record<string, number> = {};
        const stepElementwise: Record<string, number> = {};
        for (const p of await trainer.readParameters()) {
          stepErrors[`step ${p.name}`] = normRelError(p.data, f.adam.params_after_one_step[p.name]);
          stepElementwise[`step ${p.name}`] = maxRelError(p.data, f.adam.params_after_one_step[p.name]);
        }
        if (f.gates_seq0_layer0) {
          // recorded by PyTorch with the parameters after the Adam step, sequence 0 of layer 0
          await trainer.predict(x, B);
          const s = await trainer.readLayerState(0, B);
          for (const [gi, gate] of (['i', 'f', 'g', 'o', 'c', 'h'] as const).entries()) {
            const mine: number[] = [];
            for (let t = 0; t < T; t++)
              for (let j = 0; j < H; j++) mine.push(gi < 4 ? s.gates[t * B * 4 * H + gi * H + j] : (gi === 4 ? s.c : s.h)[(t + 1) * B * H + j]);
            errors[`gate ${gate}`] = maxRelError(mine, f.gates_seq0_layer0[gate].flat());
          }
        }
        // The Adam kernel alone, elementwise: PyTorch's parameters and gradients in, its updated parameters out.
        const adamErrors: Record<string, number> = {};
        trainer.writeParameters(Object.entries(f.params).map(([n, v]) => ({ name: n, shape: f.shapes[n], data: Float32Array.from(v) })));
        trainer.writeGradients(Object.entries(f.grads).map(([n, v]) => ({ name: n, shape: f.shapes[n], data: Float32Array.from(v) })));
        trainer.optimizerStep();
        for (const p of await trainer.readParameters()) adamErrors[`adam ${p.name}`] = maxRelError(p.data, f.adam.params_after_one_step[p.name]);
        report(`gpu ${name} (elementwise |a-b|/max(|b|,1e-3))`, { ...errors, ...adamErrors, ...stepElementwise });
        report(`gpu ${name} whole step (norm-wise ||a-b||/||b||)`, stepErrors);
        for (const [k, e] of Object.entries(errors)) expect(e, k).toBeLessThanOrEqual(1e-4);
        for (const [k, e] of Object.entries(adamErrors)) expect(e, k).toBeLessThanOrEqual(1e-5);
        for (const [k, e] of Object.entries(stepErrors)) expect(e, k).toBeLessThanOrEqual(1e-5);
        trainer.dispose();
      }),
    );
  }
});

interface Shape {
  I: number;
  H: number;
  L: number;
  O: number;
  T: number;
  B: number;
  headOn: 'last_step' | 'every_step';
}

function randomProblem(s: Shape, seed: number) {
  const rng = new Prng(seed);
  const x = Float32Array.from({ length: s.B * s.T * s.I }, () => rng.normal());
  const y = Float32Array.from({ length: s.B * (s.headOn === 'every_step' ? s.T : 1) * s.O }, () => rng.normal());
  return { x, y };
}

describe('GPU LSTM engine vs float64 reference on odd shapes', () => {
  const shapes: Shape[] = [
    { I: 1, H: 1, L: 1, O: 1, T: 1, B: 1, headOn: 'last_step' },
    { I: 3, H: 7, L: 2, O: 2, T: 5, B: 3, headOn: 'last_step' },
    { I: 5, H: 70, L: 1, O: 3, T: 4, B: 7, headOn: 'last_step' }, // 3 rows per workgroup, 3 workgroups
    { I: 2, H: 33, L: 3, O: 1, T: 9, B: 2, headOn: 'every_step' },
    { I: 65, H: 9, L: 1, O: 1, T: 3, B: 70, headOn: 'last_step' }, // matmuls over several 64-wide tiles
  ];
  for (const s of shapes) {
    it(`I=${s.I} H=${s.H} layers=${s.L} O=${s.O} T=${s.T} B=${s.B} ${s.headOn}`, () =>
      gpu.scoped(async () => {
        const { device } = gpu.ctx();
        const config: TrainConfig = {
          ...DEFAULT_CONFIG, inputSize: s.I, hiddenSize: s.H, numLayers: s.L, outputSize: s.O, window: s.T, batchSize: s.B,
          headOn: s.headOn, learningRate: 0.003, seed: 5,
        };
        const trainer = await LstmTrainer.create(device, config, { computeInputGrad: true });
        const { x, y } = randomProblem(s, 17);
        const initial = await trainer.readParameters();
        const p: ParamMap = new Map(initial.map((t) => [t.name, Float64Array.from(t.data)]));
        const spec: ReferenceSpec = { inputSize: s.I, hiddenSize: s.H, numLayers: s.L, outputSize: s.O, headOn: s.headOn };
        const fwd = lstmForward(spec, p, Float64Array.from(x), s.B, s.T);
        const { loss, dPrediction } = mseLoss(fwd.prediction, y);
        const { grads, dx } = lstmBackward(spec, p, fwd, dPrediction, s.B, s.T);
        const errors: Record<string, number> = {};
        errors.prediction = maxRelError(await trainer.predict(x, s.B), fwd.prediction);
        trainer.trainStep(x, y, s.B);
        errors.loss = maxRelError([await trainer.readLastLoss()], [loss]);
        errors.dx = maxRelError(await trainer.readInputGradient(s.B), dx);
        const gpuGrads = await trainer.readGradients();
        for (const g of gpuGrads) errors[`grad ${g.name}`] = maxRelError(g.data, grads.get(g.name)!);
        // the optimizer kernel against the float64 Adam applied to the same (GPU) gradients
        adamStep(p, new Map(gpuGrads.map((g) => [g.name, Float64Array.from(g.data)])), { step: 0, m: new Map(), v: new Map() }, { lr: 0.003, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
        const adamErrors: Record<string, number> = {};
        for (const t of await trainer.readParameters()) adamErrors[`adam ${t.name}`] = maxRelError(t.data, p.get(t.name)!);
        report(`gpu vs reference ${JSON.stringify(s)}`, { ...errors, ...adamErrors });
        for (const [k, e] of Object.entries(errors)) expect(e, k).toBeLessThanOrEqual(1e-4);
        for (const [k, e] of Object.entries(adamErrors)) expect(e, k).toBeLessThanOrEqual(1e-5);
        trainer.dispose();
      }),
    );
  }
});

describe('GPU LSTM engine training', () => {
  it('learns a sine one step ahead, with a partial last batch', () =>
    gpu.scoped(async () => {
      const { device } = gpu.ctx();
      const T = 12, n = 100;
      const config: TrainConfig = { ...DEFAULT_CONFIG, hiddenSize: 16, window: T, batchSize: 16, learningRate: 0.02, seed: 3 };
      const trainer = await LstmTrainer.create(device, config);
      const series = Array.from({ length: n + T }, (_, i) => Math.sin(i * 0.3));
      const xs = new Float32Array(n * T), ys = new Float32Array(n);
      for (let w = 0; w < n; w++) {
        for (let t = 0; t < T; t++) xs[w * T + t] = series[w + t];
        ys[w] = series[w + T];
      }
      const evalAll = async () => {
        trainer.resetLosses();
        for (let s = 0; s < n; s += 16) {
          const b = Math.min(16, n - s);
          trainer.evalStep(xs.subarray(s * T, (s + b) * T), ys.subarray(s, s + b), b);
        }
        return (await trainer.readLosses()).valLoss;
      };
      const before = await evalAll();
      for (let epoch = 0; epoch < 15; epoch++) {
        for (let s = 0; s < n; s += 16) {
          const b = Math.min(16, n - s);
          trainer.trainStep(xs.subarray(s * T, (s + b) * T), ys.subarray(s, s + b), b);
        }
        await device.queue.onSubmittedWorkDone();
      }
      const after = await evalAll();
      console.log(`[gpu training] MSE before ${before.toFixed(4)} after ${after.toFixed(5)}`);
      expect(after).toBeLessThan(before / 10);
      trainer.dispose();
    }));

  it('disposing 50 trained models returns every GPU buffer', () =>
    gpu.scoped(async () => {
      const { device } = gpu.ctx();
      const start = liveBuffers();
      const config: TrainConfig = { ...DEFAULT_CONFIG, hiddenSize: 8, window: 4, batchSize: 4, numLayers: 2 };
      const x = new Float32Array(16).fill(0.5), y = new Float32Array(4).fill(0.1);
      for (let i = 0; i < 50; i++) {
        const trainer = await LstmTrainer.create(device, config);
        trainer.trainStep(x, y, 4);
        trainer.evalStep(x.subarray(0, 8), y.subarray(0, 2), 2);
        await trainer.readLosses();
        trainer.dispose();
      }
      await device.queue.onSubmittedWorkDone();
      expect(liveBuffers()).toEqual(start);
    }));

  it('refuses a model over the buffer limit with a message naming the settings', () =>
    gpu.scoped(async () => {
      const { device } = gpu.ctx();
      const config: TrainConfig = { ...DEFAULT_CONFIG, hiddenSize: 2048, window: 4096, batchSize: 4096 };
      await expect(LstmTrainer.create(device, config)).rejects.toThrow(/Lower the batch size, the window or the hidden size/);
    }));

  it('the same seed gives the same weights and losses', () =>
    gpu.scoped(async () => {
      const { device } = gpu.ctx();
      const config: TrainConfig = { ...DEFAULT_CONFIG, hiddenSize: 6, window: 5, batchSize: 3, seed: 99 };
      const run = async () => {
        const t = await LstmTrainer.create(device, config);
        const x = Float32Array.from({ length: 15 }, (_, i) => Math.cos(i)), y = Float32Array.from([0.1, -0.2, 0.3]);
        for (let i = 0; i < 5; i++) t.trainStep(x, y, 3);
        const params: NamedTensor[] = await t.readParameters();
        const loss = await t.readLastLoss();
        t.dispose();
        return { params, loss };
      };
      const a = await run(), b = await run();
      expect(a.loss).toBe(b.loss);
      a.params.forEach((p, i) => expect(Array.from(p.data)).toEqual(Array.from(b.params[i].data)));
    }));
});
