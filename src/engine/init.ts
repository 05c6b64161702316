// Seeded initial weights as PyTorch draws them: LSTM and Linear parameters uniform in ±1/√fan (fan = H).
import { Prng } from '../util/prng';
import type { ParamLayout } from './param_layout';

export function initialParameters(layout: ParamLayout, hiddenSize: number, seed: number): Float32Array {
  const rng = new Prng(seed);
  const flat = new Float32Array(layout.total);
  // nn.LSTM: every weight and bias ~ U(-1/sqrt(H), 1/sqrt(H)); nn.Linear(H, O): weight (kaiming_uniform with
  // a = sqrt(5)) and bias both reduce to U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with fan_in = H.
  const bound = 1 / Math.sqrt(hiddenSize);
  for (const slot of layout.slots) {
    for (let i = 0; i < slot.size; i++) flat[slot.offset + i] = rng.uniform(-bound, bound);
  }
  return flat;
}
