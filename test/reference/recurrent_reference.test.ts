// Checks the float64 CPU reference (every cell, loss, head placement, dropout, embedding, optimizer)
// against the PyTorch fixtures, by finite differences, and against hand-computed optimizer steps.
import { describe, expect, it } from 'vitest';
import {
  adamStep, backward, type CellKind, clipGradNorm, type DirectionCache, type DropoutMask, forward, forwardPerturbed,
  lossOf, newOptimizerState, type ParamMap, paramShapes, type ReferenceSpec, sgdStep,
} from '../../src/reference/recurrent_reference';
import { Prng } from '../../src/util/prng';
import { fixtureNames, loadFixture, maxRelError, type TorchFixture } from '../verify/helpers';

function specOf(f: TorchFixture): ReferenceSpec {
  return {
    cell: f.cell, inputSize: f.input_size, hiddenSize: f.hidden_size, numLayers: f.num_layers, bidirectional: f.bidirectional,
    outputSize: f.head_out, headOn: f.head_on, loss: f.loss === 'ce' ? 'cross_entropy' : 'mse',
  };
}
function paramsOf(f: TorchFixture): ParamMap {
  return new Map(Object.entries(f.params).map(([k, v]) => [k, Float64Array.from(v)]));
}

/** One sequence's per-step values of an LSTM gate (i, f, g, o) or state (c, h), flattened [T][H]. */
function gateSeries(L: DirectionCache, gate: 'i' | 'f' | 'g' | 'o' | 'c' | 'h', b: number, B: number, T: number, H: number): number[] {
  const out: number[] = [];
  const gi = 'ifgo'.indexOf(gate);
  for (let t = 0; t < T; t++)
    for (let j = 0; j < H; j++) out.push(gi >= 0 ? L.gates[(t * B + b) * 4 * H + gi * H + j] : (gate === 'c' ? L.c! : L.h)[(t * B + b) * H + j]);
  return out;
}

const EXPECTED_FIXTURES = ['gru_tiny', 'lstm_2layer', 'lstm_bidir_classify', 'lstm_medium', 'lstm_seq_head', 'lstm_tiny', 'rnn_tiny'];

describe('float64 recurrent reference vs PyTorch', () => {
  it('finds every fixture', () => {
    expect(fixtureNames()).toEqual(expect.arrayContaining(EXPECTED_FIXTURES));
  });
  for (const name of EXPECTED_FIXTURES) {
    it(name, () => {
      const f = loadFixture(name);
      const spec = specOf(f), p = paramsOf(f);
      const B = f.batch, T = f.steps;
      expect(paramShapes(spec)).toEqual(Object.entries(f.shapes));
      const x = Float64Array.from(f.x);
      const fwd = forward(spec, p, x, B, T);
      const { loss, dPrediction } = lossOf(spec, fwd.prediction, f.target);
      const { grads, dx } = backward(spec, p, fwd, dPrediction, x, B, T);
      const errors: Record<string, number> = {
        outputs: maxRelError(fwd.outputs, f.outputs),
        prediction: maxRelError(fwd.prediction, f.prediction),
        loss: maxRelError([loss], [f.loss_value]),
        grad_x: maxRelError(dx, f.grad_x),
      };
      expect([...grads.keys()].sort()).toEqual(Object.keys(f.grads).sort());
      for (const [k, g] of Object.entries(f.grads)) errors[`grad ${k}`] = maxRelError(grads.get(k)!, g);
      const a = f.adam;
      adamStep(p, grads, newOptimizerState(), { lr: a.lr, beta1: a.betas[0], beta2: a.betas[1], eps: a.eps, weightDecay: a.weight_decay, decoupled: false });
      for (const [k, v] of Object.entries(a.params_after_one_step)) errors[`adam ${k}`] = maxRelError(p.get(k)!, v);
      // The fixtures' gate activations were recorded with the parameters after the Adam step (batch 0, layer 0).
      if (f.gates_seq0_layer0) {
        const L = forward(spec, p, x, B, T).layers[0][0];
        for (const gate of ['i', 'f', 'g', 'o', 'c', 'h'] as const)
          errors[`gate ${gate}`] = maxRelError(gateSeries(L, gate, 0, B, T, f.hidden_size), f.gates_seq0_layer0[gate]!.flat());
      }
      const worst = Math.max(...Object.values(errors));
      console.log(`[reference ${name}] worst relative error ${worst.toExponential(2)} per tensor`, errors);
      for (const [k, e] of Object.entries(errors)) expect(e, k).toBeLessThan(1e-9);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Finite differences

interface Case {
  spec: ReferenceSpec;
  p: ParamMap;
  x: Float64Array;
  target: Float64Array;
  B: number;
  T: number;
  mask?: DropoutMask;
}

function randomParams(spec: ReferenceSpec, rng: Prng): ParamMap {
  const p: ParamMap = new Map();
  for (const [name, shape] of paramShapes(spec)) {
    const n = shape.reduce((a, b) => a * b, 1);
    p.set(name, Float64Array.from({ length: n }, () => (name === 'embedding.weight' ? rng.normal() : rng.uniform(-0.8, 0.8))));
  }
  return p;
}

/** Deterministic p = 0.5 dropout: keeps (x2) or drops each unit by a hash of its coordinates. */
const halfMask: DropoutMask = (l, d, t, b, j) => {
  let h = Math.imul(l + 1, 0x9e3779b1) ^ Math.imul(d + 3, 0x85ebca6b) ^ Math.imul(t + 7, 0xc2b2ae35) ^ Math.imul(b + 11, 0x27d4eb2f) ^ Math.imul(j + 13, 0x165667b1);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h ^= h >>> 13;
  return (h >>> 0) % 2 === 0 ? 0 : 2;
};

function makeCase(spec: ReferenceSpec, seed: number, B = 2, T = 3, mask?: DropoutMask): Case {
  const rng = new Prng(seed);
  const p = randomParams(spec, rng);
  const x = spec.embedding
    ? Float64Array.from({ length: B * T }, () => rng.int(spec.embedding!.vocabSize))
    : Float64Array.from({ length: B * T * spec.inputSize }, () => rng.normal());
  const rows = B * (spec.headOn === 'last_step' ? 1 : T);
  let target: Float64Array;
  if (spec.loss === 'cross_entropy') {
    target = Float64Array.from({ length: rows }, () => rng.int(spec.outputSize));
  } else {
    // Offsets from the current prediction keep every error away from the kinks (0 for mae, +-1 for huber)
    // and give huber errors both below and above delta = 1.
    const pred = forward(spec, p, x, B, T, mask).prediction;
    const offsets = [0.35, -2.1, 0.6, 1.7, -0.45, -1.3, 0.8, 2.4];
    target = Float64Array.from(pred, (v, i) => v + offsets[i % offsets.length]);
  }
  return { spec, p, x, target, B, T, mask };
}

/** Worst |numeric - analytic| / max(|numeric|, 1e-4) over every parameter and x (or embedding ids excluded). */
function finiteDifferenceError(c: Case): { worst: number; where: string } {
  const { spec, p, x, target, B, T, mask } = c;
  const lossAt = () => lossOf(spec, forward(spec, p, x, B, T, mask).prediction, target).loss;
  const fwd = forward(spec, p, x, B, T, mask);
  const { grads, dx } = backward(spec, p, fwd, lossOf(spec, fwd.prediction, target).dPrediction, x, B, T, mask);
  const step = 1e-5;
  let worst = 0, where = '';
  const check = (name: string, arr: Float64Array, analytic: Float64Array) => {
    expect(analytic.length, name).toBe(arr.length);
    for (let i = 0; i < arr.length; i++) {
      const keep = arr[i];
      arr[i] = keep + step;
      const up = lossAt();
      arr[i] = keep - step;
      const down = lossAt();
      arr[i] = keep;
      const numeric = (up - down) / (2 * step);
      const e = Math.abs(numeric - analytic[i]) / Math.max(Math.abs(numeric), 1e-4);
      if (!(e <= worst)) { worst = e; where = `${name}[${i}]`; }
    }
  };
  for (const [name] of paramShapes(spec)) check(name, p.get(name)!, grads.get(name)!);
  if (spec.embedding) expect(dx.length).toBe(0);
  else check('x', x, dx);
  return { worst, where };
}

const base = (cell: CellKind, over: Partial<ReferenceSpec> = {}): ReferenceSpec => ({
  cell, inputSize: 3, hiddenSize: 3, numLayers: 1, bidirectional: false, outputSize: 2, headOn: 'last_step', loss: 'mse', ...over,
});

describe('float64 recurrent reference by finite differences', () => {
  const cases: [string, () => Case][] = [];
  let seed = 100;
  for (const cell of ['lstm', 'gru', 'rnn'] as const) {
    const s1 = seed++, s2 = seed++;
    cases.push([`${cell} 1 layer`, () => makeCase(base(cell), s1)]);
    cases.push([`${cell} 2 layers bidirectional`, () => makeCase(base(cell, { numLayers: 2, bidirectional: true }), s2)]);
  }
  cases.push(['gru mae', () => makeCase(base('gru', { loss: 'mae' }), seed++)]);
  cases.push(['lstm huber (errors below and above delta)', () => makeCase(base('lstm', { loss: 'huber', outputSize: 3 }), seed++)]);
  cases.push(['rnn cross_entropy bidirectional', () => makeCase(base('rnn', { loss: 'cross_entropy', outputSize: 4, bidirectional: true }), seed++, 3)]);
  cases.push(['lstm every_step head, cross_entropy', () => makeCase(base('lstm', { headOn: 'every_step', loss: 'cross_entropy', outputSize: 3 }), seed++)]);
  cases.push(['gru every_step head 2 layers bidirectional, huber', () => makeCase(base('gru', { headOn: 'every_step', numLayers: 2, bidirectional: true, loss: 'huber' }), seed++)]);
  for (const cell of ['lstm', 'gru', 'rnn'] as const) {
    const s = seed++;
    cases.push([`${cell} dropout between 3 bidirectional layers`, () => makeCase(base(cell, { numLayers: 3, bidirectional: true, hiddenSize: 2 }), s, 2, 3, halfMask)]);
  }
  cases.push(['gru embedding 2 layers', () => makeCase(base('gru', { numLayers: 2, embedding: { vocabSize: 5, dim: 3 } }), seed++, 2, 4)]);
  cases.push(['lstm embedding bidirectional cross_entropy with dropout', () =>
    makeCase(base('lstm', { numLayers: 2, bidirectional: true, loss: 'cross_entropy', outputSize: 3, embedding: { vocabSize: 4, dim: 3 } }), seed++, 2, 4, halfMask)]);

  for (const [name, build] of cases) {
    it(name, () => {
      const c = build();
      const { worst, where } = finiteDifferenceError(c);
      console.log(`[reference finite differences] ${name}: worst relative error ${worst.toExponential(2)} at ${where}`);
      expect(worst).toBeLessThan(1e-5);
    });
  }

  it('the huber case really has errors on both sides of delta, the mask really drops units', () => {
    const c = makeCase(base('lstm', { loss: 'huber', outputSize: 3 }), 1);
    const pred = forward(c.spec, c.p, c.x, c.B, c.T).prediction;
    const errs = Array.from(pred, (v, i) => Math.abs(v - c.target[i]));
    expect(errs.some((e) => e < 0.9)).toBe(true);
    expect(errs.some((e) => e > 1.1)).toBe(true);
    let zeros = 0, twos = 0;
    for (let t = 0; t < 3; t++) for (let b = 0; b < 2; b++) for (let j = 0; j < 3; j++) (halfMask(0, 0, t, b, j) === 0 ? zeros++ : twos++);
    expect(zeros).toBeGreaterThan(3);
    expect(twos).toBeGreaterThan(3);
    const m = makeCase(base('gru', { numLayers: 2 }), 2);
    const plain = forward(m.spec, m.p, m.x, m.B, m.T).prediction, masked = forward(m.spec, m.p, m.x, m.B, m.T, halfMask).prediction;
    expect(maxRelError(masked, plain)).toBeGreaterThan(1e-3);
  });

  it('embedding gradient accumulates over repeated ids and x is the id', () => {
    const spec = base('rnn', { embedding: { vocabSize: 3, dim: 3 } });
    const c = makeCase(spec, 5, 2, 3);
    c.x.set([1, 1, 2, 1, 0, 1]);
    const fwd = forward(spec, c.p, c.x, 2, 3);
    const emb = c.p.get('embedding.weight')!;
    expect(Array.from(fwd.layers[0][0].input.subarray(0, 3))).toEqual(Array.from(emb.subarray(3, 6))); // t=0, b=0 -> id 1
    const { grads } = backward(spec, c.p, fwd, lossOf(spec, fwd.prediction, c.target).dPrediction, c.x, 2, 3);
    expect(grads.get('embedding.weight')!.every((v) => v !== 0)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// d loss / d h_t norms

/** Numeric d loss / d h_t for every (layer, dir, t, b, j), reduced to [layer][dir][B][T] norms. */
function numericDhNorm(c: Case): Float64Array[][] {
  const { spec, p, x, target, B, T, mask } = c;
  const H = spec.hiddenSize, D = spec.bidirectional ? 2 : 1, step = 1e-6;
  const out: Float64Array[][] = [];
  for (let l = 0; l < spec.numLayers; l++) {
    out.push([]);
    for (let d = 0; d < D; d++) {
      const sq = new Float64Array(B * T);
      for (let t = 0; t < T; t++)
        for (let b = 0; b < B; b++)
          for (let j = 0; j < H; j++) {
            const at = (eps: number) =>
              lossOf(spec, forwardPerturbed(spec, p, x, B, T, mask, (L2, d2, t2, b2, j2) => (L2 === l && d2 === d && t2 === t && b2 === b && j2 === j ? eps : 0)).prediction, target).loss;
            const g = (at(step) - at(-step)) / (2 * step);
            sq[b * T + t] += g * g;
          }
      out[l].push(sq.map(Math.sqrt));
    }
  }
  return out;
}

describe('float64 recurrent reference: dhNorm', () => {
  const cases: [string, () => Case][] = [
    ['lstm 2 layers bidirectional every_step with dropout', () => makeCase(base('lstm', { numLayers: 2, bidirectional: true, headOn: 'every_step' }), 41, 2, 4, halfMask)],
    ['gru 2 layers bidirectional last_step', () => makeCase(base('gru', { numLayers: 2, bidirectional: true }), 42, 2, 4)],
    ['rnn 1 layer every_step cross_entropy', () => makeCase(base('rnn', { headOn: 'every_step', loss: 'cross_entropy', outputSize: 3 }), 43, 2, 4)],
  ];
  for (const [name, build] of cases) {
    it(`matches finite differences of an additive h_t perturbation: ${name}`, () => {
      const c = build();
      const fwd = forward(c.spec, c.p, c.x, c.B, c.T, c.mask);
      const { dhNorm } = backward(c.spec, c.p, fwd, lossOf(c.spec, fwd.prediction, c.target).dPrediction, c.x, c.B, c.T, c.mask);
      const numeric = numericDhNorm(c);
      let worst = 0, nonzero = 0, total = 0;
      for (let l = 0; l < numeric.length; l++)
        for (let d = 0; d < numeric[l].length; d++) {
          expect(dhNorm[l][d].length).toBe(c.B * c.T);
          for (let i = 0; i < c.B * c.T; i++) {
            worst = Math.max(worst, Math.abs(numeric[l][d][i] - dhNorm[l][d][i]) / Math.max(Math.abs(numeric[l][d][i]), 1e-4));
            if (numeric[l][d][i] > 1e-3) nonzero++;
            total++;
          }
        }
      console.log(`[reference dhNorm] ${name}: worst relative error ${worst.toExponential(2)} (${nonzero} of ${total} norms > 1e-3)`);
      expect(nonzero).toBeGreaterThan(total / 2);
      expect(worst).toBeLessThan(1e-5);
    });
  }

  it('top layer, forward direction, last step of a last_step head: equals |head.weight^T dPrediction|', () => {
    const c = makeCase(base('lstm', { numLayers: 2, bidirectional: true, outputSize: 3 }), 44, 3, 4);
    const { spec, p, x, target, B, T } = c;
    const fwd = forward(spec, p, x, B, T);
    const { dPrediction } = lossOf(spec, fwd.prediction, target);
    const { dhNorm } = backward(spec, p, fwd, dPrediction, x, B, T);
    const H = spec.hiddenSize, O = spec.outputSize, DH = 2 * H, hw = p.get('head.weight')!;
    for (let b = 0; b < B; b++)
      for (let d = 0; d < 2; d++) {
        let sq = 0;
        for (let j = 0; j < H; j++) {
          let g = 0;
          for (let o = 0; o < O; o++) g += hw[o * DH + d * H + j] * dPrediction[b * O + o];
          sq += g * g;
        }
        // forward direction: nothing is processed after T-1. Reverse direction: T-1 is its first processed step, and
        // its later steps (t < T-1) are read by nothing, so no gradient comes back through the recurrence either.
        expect(Math.abs(dhNorm[1][d][b * T + T - 1] - Math.sqrt(sq)), `dir ${d} b ${b}`).toBeLessThan(1e-14);
        for (let t = 0; t < T - 1; t++) {
          if (d === 1) expect(dhNorm[1][1][b * T + t]).toBe(0);
          else expect(dhNorm[1][0][b * T + t]).toBeGreaterThan(0);
        }
      }
  });
});

// ---------------------------------------------------------------------------------------------
// Optimizers and clipping: expected values from torch's documented update rules, two steps on
// p0 = [1, -2, 0.5] with gradients g1 = [0.1, -0.2, 0.3], then g2 = [-0.05, 0.4, 0].

const P0 = [1, -2, 0.5];
const G1 = [0.1, -0.2, 0.3], G2 = [-0.05, 0.4, 0];

function twoSteps(step: (p: ParamMap, g: ParamMap) => void): number[][] {
  const p: ParamMap = new Map([['w', Float64Array.from(P0)]]);
  const after: number[][] = [];
  for (const g of [G1, G2]) {
    step(p, new Map([['w', Float64Array.from(g)]]));
    after.push(Array.from(p.get('w')!));
  }
  return after;
}

function expectClose(actual: number[][], expected: number[][], tol = 1e-14): void {
  for (let s = 0; s < expected.length; s++) expect(maxRelError(actual[s], expected[s]), `step ${s + 1}`).toBeLessThan(tol);
}

describe('float64 reference optimizers', () => {
  it('AdamW (decoupled weight decay), two steps', () => {
    // lr 0.1, betas (0.9, 0.999), eps 1e-8, weight_decay 0.01:
    // p *= 1 - lr*wd; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p -= lr * (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps).
    // Step 1: p = 0.999 p0 - 0.1 * g1/(|g1| + 1e-8), e.g. 0.999 - 0.1 * 0.1/(0.1 + 1e-8) = 0.899000009999999.
    const s = newOptimizerState();
    const got = twoSteps((p, g) => adamStep(p, g, s, { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, decoupled: true }));
    expectClose(got, [
      [0.899000009999999, -1.8980000049999997, 0.39950000333333324],
      [0.8714673093933909, -1.9327123565410367, 0.3320946810758212],
    ]);
    expect(s.step).toBe(2);
  });

  it('Adam with L2 weight decay (added to the gradient), two steps', () => {
    // weight_decay 0.1: g += 0.1 p. Step 1: g = [0.2, -0.4, 0.35], p = p0 - 0.1 * g/(|g| + 1e-8).
    const s = newOptimizerState();
    const got = twoSteps((p, g) => adamStep(p, g, s, { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, decoupled: false }));
    expectClose(got, [
      [0.9000000049999998, -1.9000000025, 0.40000000285714277],
      [0.8196959125824109, -1.87528316883678, 0.32497436528996426],
    ]);
  });

  it('SGD with momentum and weight decay, two steps', () => {
    // lr 0.1, momentum 0.9, weight_decay 0.1, dampening 0:
    // step 1: g = g1 + 0.1 p0 = [0.2, -0.4, 0.35] = buf; p = [0.98, -1.96, 0.465]
    // step 2: g = g2 + 0.1 p = [0.048, 0.204, 0.0465]; buf = 0.9 buf + g = [0.228, -0.156, 0.3615]; p = [0.9572, -1.9444, 0.42885]
    const s = newOptimizerState();
    const got = twoSteps((p, g) => sgdStep(p, g, s, { lr: 0.1, momentum: 0.9, weightDecay: 0.1 }));
    expectClose(got, [
      [0.98, -1.96, 0.465],
      [0.9572, -1.9444, 0.42885],
    ]);
  });

  it('plain SGD, two steps', () => {
    const s = newOptimizerState();
    const got = twoSteps((p, g) => sgdStep(p, g, s, { lr: 0.1, momentum: 0, weightDecay: 0 }));
    expectClose(got, [
      [0.99, -1.98, 0.47],
      [0.995, -2.02, 0.47],
    ]);
  });

  it('clipGradNorm returns the total norm and scales by maxNorm / (total + 1e-6)', () => {
    const grads = (): ParamMap => new Map([['a', Float64Array.from([3, 4])], ['b', Float64Array.from([12])]]); // norm 13
    const g = grads();
    expect(clipGradNorm(g, 5)).toBe(13);
    const scale = 5 / (13 + 1e-6);
    expect(maxRelError(g.get('a')!, [3 * scale, 4 * scale])).toBeLessThan(1e-15);
    expect(maxRelError(g.get('b')!, [12 * scale])).toBeLessThan(1e-15);
    expect(maxRelError(g.get('a')!, [1.1538460650887643, 1.5384614201183524])).toBeLessThan(1e-14);
    const loose = grads();
    expect(clipGradNorm(loose, 20)).toBe(13); // no clipping when under the limit
    expect(Array.from(loose.get('b')!)).toEqual([12]);
    const off = grads();
    expect(clipGradNorm(off, 0)).toBe(13); // maxNorm 0: only measures
    expect(Array.from(off.get('a')!)).toEqual([3, 4]);
  });
});

describe('float64 reference losses', () => {
  it('cross_entropy counts correct rows, huber/mae values by hand', () => {
    const ce = lossOf(base('rnn', { loss: 'cross_entropy', outputSize: 3 }), Float64Array.from([2, 1, 0, 0, 0, 5]), [0, 1]);
    expect(ce.correct).toBe(1);
    const l0 = Math.log(Math.exp(2) + Math.exp(1) + 1) - 2, l1 = Math.log(2 + Math.exp(5)) - 0;
    expect(Math.abs(ce.loss - (l0 + l1) / 2)).toBeLessThan(1e-15);
    const hub = lossOf(base('rnn', { loss: 'huber' }), Float64Array.from([0.5, 3, -2]), [0, 0, 0]);
    expect(Math.abs(hub.loss - (0.125 + 2.5 + 1.5) / 3)).toBeLessThan(1e-15);
    expect(Array.from(hub.dPrediction)).toEqual([0.5 / 3, 1 / 3, -1 / 3]);
    const mae = lossOf(base('rnn', { loss: 'mae' }), Float64Array.from([0.5, 3, -2, 0]), [0, 0, 0, 0]);
    expect(mae.loss).toBe(5.5 / 4);
    expect(Array.from(mae.dPrediction)).toEqual([0.25, 0.25, -0.25, 0]);
  });
});
