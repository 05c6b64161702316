// The float64 reference's weighted cross-entropy (the oracle of the engines' class weights) and the CPU engine's,
// against torch.nn.CrossEntropyLoss(weight=w) itself in float64: loss and d loss / d logits, a class of weight 0
// included; weights of 1 (the weights ignored) miss torch (negative control). Skips loudly without PyTorch.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchLoss, newLossSums } from '../../src/engine/cpu_losses';
import { lossOf, type ReferenceSpec } from '../../src/reference/recurrent_reference';
import { Prng } from '../../src/util/prng';

const PYTHON = process.env.LSTM_TEST_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const TORCH = String.raw`
import json, sys, torch
a = json.load(sys.stdin)
z = torch.tensor(a["logits"], dtype=torch.float64).reshape(-1, a["C"]).requires_grad_(True)
loss = torch.nn.CrossEntropyLoss(weight=torch.tensor(a["weights"], dtype=torch.float64))(z, torch.tensor(a["y"], dtype=torch.long))
loss.backward()
print(json.dumps({"loss": loss.item(), "grad": z.grad.reshape(-1).tolist()}))
`;

function torchProblem(): string | null {
  try {
    execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'pipe', timeout: 60_000 });
    return null;
  } catch (e) {
    return `${PYTHON} cannot import torch (${(e as Error).message.split('\n')[0]}); install python3-torch or set LSTM_TEST_PYTHON`;
  }
}
const noTorch = torchProblem();
if (noTorch) console.warn(`SKIPPED: weighted cross-entropy against torch (test/reference/class_weights_torch.test.ts): ${noTorch}.`);

const R = 29, C = 4;
const rng = new Prng(5);
const logits = Array.from({ length: R * C }, () => rng.uniform(-3, 3));
const y = Array.from({ length: R }, (_, r) => (r % 7 === 0 ? 3 : r % 3));
const weights = [0.4, 1.7, 2.5, 0];
const spec = { loss: 'cross_entropy', outputSize: C } as ReferenceSpec;

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = a.length === b.length ? 0 : Infinity;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe.skipIf(noTorch !== null)('weighted cross-entropy against torch.nn.CrossEntropyLoss(weight=w)', () => {
  let torch!: { loss: number; grad: number[] };
  beforeAll(() => {
    torch = JSON.parse(execFileSync(PYTHON, ['-c', TORCH], { input: JSON.stringify({ logits, y, weights, C }) }).toString());
  });

  it('the float64 reference equals torch', () => {
    const ref = lossOf(spec, Float64Array.from(logits), y, weights);
    const loss = Math.abs(ref.loss - torch.loss), grad = maxDiff(ref.dPrediction, torch.grad);
    console.info(`weighted cross-entropy, float64 reference vs torch: loss ${loss.toExponential(2)}, gradient ${grad.toExponential(2)}`);
    expect(loss).toBeLessThan(1e-12);
    expect(grad).toBeLessThan(1e-12);
  });

  it('the CPU engine (float32 logits) equals torch to float32 rounding', () => {
    // batchLoss reads time-major [S][Bp][O] logits; with S = 1 and Bp = R that is the rows in order
    const dPred = new Float32Array(R * C), out = newLossSums();
    batchLoss('cross_entropy', Float32Array.from(logits), R, R, 1, C, Float32Array.from(y), dPred, out, Float32Array.from(weights));
    const loss = Math.abs(out.loss - torch.loss), grad = maxDiff(dPred, torch.grad);
    console.info(`weighted cross-entropy, CPU engine vs torch: loss ${loss.toExponential(2)}, gradient ${grad.toExponential(2)}`);
    expect(loss).toBeLessThan(1e-6);
    expect(grad).toBeLessThan(1e-6);
  });

  it('negative control: weights of 1 miss torch by far', () => {
    const plain = lossOf(spec, Float64Array.from(logits), y, [1, 1, 1, 1]);
    expect(Math.abs(plain.loss - torch.loss)).toBeGreaterThan(1e-2);
    expect(maxDiff(plain.dPrediction, torch.grad)).toBeGreaterThan(1e-3);
  });
});
