// The reference's model description for a training config: the one mapping from TrainConfig to ReferenceSpec.
import type { TrainConfig } from '../engine/config';
import type { ReferenceSpec } from './recurrent_reference';

export function referenceSpec(c: TrainConfig): ReferenceSpec {
  return {
    cell: c.cell,
    inputSize: c.inputSize,
    hiddenSize: c.hiddenSize,
    numLayers: c.numLayers,
    bidirectional: c.bidirectional,
    outputSize: c.outputSize,
    headOn: c.headOn,
    loss: c.loss,
    embedding: c.vocabSize > 0 ? { vocabSize: c.vocabSize, dim: c.inputSize } : undefined,
  };
}
