// Names, shapes and flat offsets of the model's parameters, in the state_dict order of torch.nn.LSTM/GRU/RNN + Linear.
import type { CellKind, TrainConfig } from './config';

export interface ParamSlot {
  /** torch name: embedding.weight, weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, ..._reverse, head.weight, head.bias */
  name: string;
  shape: number[];
  /** Offset in floats inside the flat parameter (and gradient, optimizer state) buffers. */
  offset: number;
  size: number;
}

export interface ParamLayout {
  slots: ParamSlot[];
  total: number;
  byName: Map<string, ParamSlot>;
}

export type ModelShape = Pick<TrainConfig, 'cell' | 'inputSize' | 'hiddenSize' | 'numLayers' | 'bidirectional' | 'outputSize' | 'vocabSize'>;

/** Gate blocks per weight matrix: LSTM i,f,g,o; GRU r,z,n; RNN one. */
export function gatesOf(cell: CellKind): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}

export function directionsOf(c: Pick<TrainConfig, 'bidirectional'>): number {
  return c.bidirectional ? 2 : 1;
}

/** Suffix torch gives a direction's parameters. */
export function directionSuffix(dir: number): string {
  return dir === 0 ? '' : '_reverse';
}

export function paramLayout(c: ModelShape): ParamLayout {
  const H = c.hiddenSize, G = gatesOf(c.cell), D = directionsOf(c);
  const shapes: [string, number[]][] = [];
  if (c.vocabSize > 0) shapes.push(['embedding.weight', [c.vocabSize, c.inputSize]]);
  for (let l = 0; l < c.numLayers; l++) {
    const inSize = l === 0 ? c.inputSize : D * H;
    for (let d = 0; d < D; d++) {
      const s = `l${l}${directionSuffix(d)}`;
      shapes.push([`weight_ih_${s}`, [G * H, inSize]], [`weight_hh_${s}`, [G * H, H]], [`bias_ih_${s}`, [G * H]], [`bias_hh_${s}`, [G * H]]);
    }
  }
  shapes.push(['head.weight', [c.outputSize, D * H]], ['head.bias', [c.outputSize]]);
  const slots: ParamSlot[] = [];
  let offset = 0;
  for (const [name, shape] of shapes) {
    const size = shape.reduce((a, b) => a * b, 1);
    slots.push({ name, shape, offset, size });
    offset += size;
  }
  return { slots, total: offset, byName: new Map(slots.map((s) => [s.name, s])) };
}
