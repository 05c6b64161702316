// Checks the float64 CPU reference against the PyTorch fixtures and by finite differences.
import { describe, expect, it } from 'vitest';
import { adamStep, type LayerCache, lstmBackward, lstmForward, mseLoss, type ParamMap, type ReferenceSpec } from '../src/reference/lstm_reference';
import { Prng } from '../src/util/prng';
import { loadFixture, maxRelError, type TorchFixture } from './torch_fixtures';

function specOf(f: TorchFixture): ReferenceSpec {
  return { inputSize: f.input_size, hiddenSize: f.hidden_size, numLayers: f.num_layers, outputSize: f.head_out, headOn: f.head_on };
}
function paramsOf(f: TorchFixture): ParamMap {
  return new Map(Object.entries(f.params).map(([k, v]) => [k, Float64Array.from(v)]));
}

/** One sequence's per-step values of a gate (i, f, g, o) or state (c, h), flattened [T][H]. */
function gateSeries(L: LayerCache, gate: 'i' | 'f' | 'g' | 'o' | 'c' | 'h', b: number, B: number, T: number, H: number): number[] {
  const out: number[] = [];
  const gi = 'ifgo'.indexOf(gate);
  for (let t = 0; t < T; t++)
    for (let j = 0; j < H; j++)
      out.push(gi >= 0 ? L.gates[(t * B + b) * 4 * H + gi * H + j] : (gate === 'c' ? L.c : L.h)[((t + 1) * B + b) * H + j]);
  return out;
}

describe('float64 LSTM reference vs PyTorch', () => {
  for (const name of ['lstm_tiny', 'lstm_2layer', 'lstm_seq_head']) {
    it(name, () => {
      const f = loadFixture(name);
      const spec = specOf(f), p = paramsOf(f);
      const x = Float64Array.from(f.x);
      const fwd = lstmForward(spec, p, x, f.batch, f.steps);
      const { loss, dPrediction } = mseLoss(fwd.prediction, f.target);
      const { grads, dx } = lstmBackward(spec, p, fwd, dPrediction, f.batch, f.steps);
      const errors: Record<string, number> = {
        outputs: maxRelError(fwd.outputs, f.outputs),
        prediction: maxRelError(fwd.prediction, f.prediction),
        loss: maxRelError([loss], [f.loss_value]),
        grad_x: maxRelError(dx, f.grad_x),
      };
      for (const [k, g] of Object.entries(f.grads)) errors[`grad ${k}`] = maxRelError(grads.get(k)!, g);
      adamStep(p, grads, { step: 0, m: new Map(), v: new Map() }, { lr: f.adam.lr, beta1: f.adam.betas[0], beta2: f.adam.betas[1], eps: f.adam.eps });
      for (const [k, v] of Object.entries(f.adam.params_after_one_step)) errors[`adam ${k}`] = maxRelError(p.get(k)!, v);
      // The fixtures' gate activations were recorded with the parameters after the Adam step (checked: batch 0
      // matches those to 1e-14 and the initial parameters only to ~1e-2), so run our forward on ours.
      if (f.gates_seq0_layer0) {
        const fixtureGates = f.gates_seq0_layer0;
        const L = lstmForward(spec, p, x, f.batch, f.steps).layers[0];
        for (const gate of ['i', 'f', 'g', 'o', 'c', 'h'] as const) {
          errors[`gate ${gate}`] = maxRelError(gateSeries(L, gate, 0, f.batch, f.steps, f.hidden_size), fixtureGates[gate].flat());
        }
      }
      console.log(`[reference ${name}] worst relative error per tensor`, errors);
      for (const [k, e] of Object.entries(errors)) expect(e, k).toBeLessThan(1e-9);
    });
  }
});

describe('float64 LSTM reference by finite differences', () => {
  it('every parameter and the input of a 2-layer model', () => {
    const spec: ReferenceSpec = { inputSize: 3, hiddenSize: 4, numLayers: 2, outputSize: 2, headOn: 'last_step' };
    const B = 2, T = 3, rng = new Prng(11);
    const p: ParamMap = new Map();
    const shapes: [string, number][] = [];
    for (let l = 0; l < 2; l++) {
      const inSize = l === 0 ? 3 : 4;
      shapes.push([`weight_ih_l${l}`, 16 * inSize], [`weight_hh_l${l}`, 16 * 4], [`bias_ih_l${l}`, 16], [`bias_hh_l${l}`, 16]);
    }
    shapes.push(['head.weight', 8], ['head.bias', 2]);
    for (const [n, len] of shapes) p.set(n, Float64Array.from({ length: len }, () => rng.uniform(-0.8, 0.8)));
    const x = Float64Array.from({ length: B * T * 3 }, () => rng.normal());
    const y = Float64Array.from({ length: B * 2 }, () => rng.normal());
    const lossAt = () => mseLoss(lstmForward(spec, p, x, B, T).prediction, y).loss;
    const fwd = lstmForward(spec, p, x, B, T);
    const { grads, dx } = lstmBackward(spec, p, fwd, mseLoss(fwd.prediction, y).dPrediction, B, T);
    const h = 1e-6;
    let worst = 0;
    const check = (arr: Float64Array, analytic: Float64Array) => {
      for (let i = 0; i < arr.length; i++) {
        const keep = arr[i];
        arr[i] = keep + h;
        const up = lossAt();
        arr[i] = keep - h;
        const down = lossAt();
        arr[i] = keep;
        const numeric = (up - down) / (2 * h);
        worst = Math.max(worst, Math.abs(numeric - analytic[i]) / Math.max(Math.abs(numeric), 1e-4));
      }
    };
    for (const [n] of shapes) check(p.get(n)!, grads.get(n)!);
    check(x, dx);
    console.log(`[reference finite differences] worst relative error ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-5);
  });
});
