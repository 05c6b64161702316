// Seeded initial weights drawn as PyTorch draws them, so a config and a seed always give the same start.
import { Prng } from '../util/prng';
import type { ParamLayout } from './param_layout';

export function initialParameters(layout: ParamLayout, hiddenSize: number, seed: number): Float32Array {
  const rng = new Prng(seed);
  const flat = new Float32Array(layout.total);
  // nn.LSTM / GRU / RNN: every weight and bias ~ U(-1/sqrt(H), 1/sqrt(H)).
  // nn.Linear(D·H, O): weight (kaiming_uniform, a = sqrt(5)) and bias both ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
  // nn.Embedding: weight ~ N(0, 1).
  for (const slot of layout.slots) {
    if (slot.name === 'embedding.weight') {
      for (let i = 0; i < slot.size; i++) flat[slot.offset + i] = rng.normal();
      continue;
    }
    const fanIn = slot.name.startsWith('head.') ? layout.byName.get('head.weight')!.shape[1] : hiddenSize;
    const bound = 1 / Math.sqrt(fanIn);
    for (let i = 0; i < slot.size; i++) flat[slot.offset + i] = rng.uniform(-bound, bound);
  }
  return flat;
}
