// Every WGSL module of the engine as it is compiled: WGSL has no includes, so the recurrent kernels are compiled after
// recurrent_common.wgsl (the per-step ones after recurrent_step_common.wgsl and recurrent_step_forward_common.wgsl or
// recurrent_step_backward_common.wgsl as well), the matmuls after
// matmul_common.wgsl, and the kernels that touch the stats buffer after stats_slots.wgsl (the declarations they share). kernels.ts compiles these; uniforms.ts and kernel_sizes.ts read them.
import adamSource from '../../shaders/adam.wgsl?raw';
import columnSumSource from '../../shaders/column_sum.wgsl?raw';
import crossEntropyLossSource from '../../shaders/cross_entropy_loss.wgsl?raw';
import dropoutSource from '../../shaders/dropout.wgsl?raw';
import embeddingBackwardSource from '../../shaders/embedding_backward.wgsl?raw';
import embeddingForwardSource from '../../shaders/embedding_forward.wgsl?raw';
import gradNormSource from '../../shaders/grad_norm.wgsl?raw';
import gruBackwardSource from '../../shaders/gru_backward.wgsl?raw';
import gruForwardSource from '../../shaders/gru_forward.wgsl?raw';
import gruStepBackwardSource from '../../shaders/gru_step_backward.wgsl?raw';
import gruStepForwardSource from '../../shaders/gru_step_forward.wgsl?raw';
import lstmBackwardSource from '../../shaders/lstm_backward.wgsl?raw';
import lstmForwardSource from '../../shaders/lstm_forward.wgsl?raw';
import lstmStepBackwardSource from '../../shaders/lstm_step_backward.wgsl?raw';
import lstmStepForwardSource from '../../shaders/lstm_step_forward.wgsl?raw';
import matmulCommonSource from '../../shaders/matmul_common.wgsl?raw';
import matmulDirectSource from '../../shaders/matmul_direct.wgsl?raw';
import matmulSource from '../../shaders/matmul.wgsl?raw';
import recurrentCommonSource from '../../shaders/recurrent_common.wgsl?raw';
import recurrentStepBackwardCommonSource from '../../shaders/recurrent_step_backward_common.wgsl?raw';
import recurrentStepCommonSource from '../../shaders/recurrent_step_common.wgsl?raw';
import recurrentStepForwardCommonSource from '../../shaders/recurrent_step_forward_common.wgsl?raw';
import regressionLossSource from '../../shaders/regression_loss.wgsl?raw';
import rnnBackwardSource from '../../shaders/rnn_backward.wgsl?raw';
import rnnForwardSource from '../../shaders/rnn_forward.wgsl?raw';
import rnnStepBackwardSource from '../../shaders/rnn_step_backward.wgsl?raw';
import rnnStepForwardSource from '../../shaders/rnn_step_forward.wgsl?raw';
import sgdSource from '../../shaders/sgd.wgsl?raw';
import statsSlotsSource from '../../shaders/stats_slots.wgsl?raw';
import type { SizedKernel } from './kernel_sizes';

export { statsSlotsSource };

const after = (common: string) => (source: string) => `${common}\n${source}`;
const recurrent = after(recurrentCommonSource);
const stepForward = (source: string) => recurrent(after(`${recurrentStepCommonSource}\n${recurrentStepForwardCommonSource}`)(source));
const stepBackward = (source: string) => recurrent(after(`${recurrentStepCommonSource}\n${recurrentStepBackwardCommonSource}`)(source));
const withStats = after(statsSlotsSource);
const matmul = after(matmulCommonSource);

/** Every shader module's code as compiled. */
export const SHADERS = {
  lstmForward: recurrent(lstmForwardSource),
  lstmBackward: recurrent(lstmBackwardSource),
  gruForward: recurrent(gruForwardSource),
  gruBackward: recurrent(gruBackwardSource),
  rnnForward: recurrent(rnnForwardSource),
  rnnBackward: recurrent(rnnBackwardSource),
  lstmStepForward: stepForward(lstmStepForwardSource),
  lstmStepBackward: stepBackward(lstmStepBackwardSource),
  gruStepForward: stepForward(gruStepForwardSource),
  gruStepBackward: stepBackward(gruStepBackwardSource),
  rnnStepForward: stepForward(rnnStepForwardSource),
  rnnStepBackward: stepBackward(rnnStepBackwardSource),
  columnSum: columnSumSource,
  regressionLoss: withStats(regressionLossSource),
  crossEntropyLoss: withStats(crossEntropyLossSource),
  gradNorm: withStats(gradNormSource),
  adam: withStats(adamSource),
  sgd: withStats(sgdSource),
  dropout: dropoutSource,
  embeddingForward: embeddingForwardSource,
  embeddingBackward: embeddingBackwardSource,
  matmulTiled: matmul(matmulSource),
  matmulDirect: matmul(matmulDirectSource),
} as const;

export type ShaderName = keyof typeof SHADERS;

/** The entry of kernel_sizes.ts that sets a shader's overrides: its own, but one for both matmul kernels. */
export function sizesOf(shader: ShaderName): SizedKernel {
  return shader === 'matmulTiled' || shader === 'matmulDirect' ? 'matmul' : shader;
}
