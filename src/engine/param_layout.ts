// Names, shapes and flat offsets of the model's parameters, in torch.nn.LSTM + nn.Linear order.
import type { TrainConfig } from './config';

export interface ParamSlot {
  /** torch name: weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, ..., head.weight, head.bias */
  name: string;
  shape: number[];
  /** Offset in floats inside the flat parameter (and gradient, Adam moment) buffers. */
  offset: number;
  size: number;
}

export interface ParamLayout {
  slots: ParamSlot[];
  total: number;
  byName: Map<string, ParamSlot>;
}

export type ModelShape = Pick<TrainConfig, 'inputSize' | 'hiddenSize' | 'numLayers' | 'outputSize'>;

export function paramLayout(c: ModelShape): ParamLayout {
  const H = c.hiddenSize;
  const shapes: [string, number[]][] = [];
  for (let l = 0; l < c.numLayers; l++) {
    const inSize = l === 0 ? c.inputSize : H;
    shapes.push([`weight_ih_l${l}`, [4 * H, inSize]], [`weight_hh_l${l}`, [4 * H, H]], [`bias_ih_l${l}`, [4 * H]], [`bias_hh_l${l}`, [4 * H]]);
  }
  shapes.push(['head.weight', [c.outputSize, H]], ['head.bias', [c.outputSize]]);
  const slots: ParamSlot[] = [];
  let offset = 0;
  for (const [name, shape] of shapes) {
    const size = shape.reduce((a, b) => a * b, 1);
    slots.push({ name, shape, offset, size });
    offset += size;
  }
  return { slots, total: offset, byName: new Map(slots.map((s) => [s.name, s])) };
}
