// Every WGSL module of the engine as it is compiled: WGSL has no includes, so the recurrent kernels are compiled after
// recurrent_common.wgsl (the LSTM ones after lstm_cell_forward.wgsl or lstm_cell_backward.wgsl as well, with a
// kernel's own `enable` and `diagnostic` directives moved in front of all of it) (the per-step ones after recurrent_step_common.wgsl and recurrent_step_forward_common.wgsl or
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
import lstmBackwardSubgroupSource from '../../shaders/lstm_backward_subgroup.wgsl?raw';
import lstmBackwardSource from '../../shaders/lstm_backward.wgsl?raw';
import lstmCellBackwardSource from '../../shaders/lstm_cell_backward.wgsl?raw';
import lstmCellForwardSource from '../../shaders/lstm_cell_forward.wgsl?raw';
import lstmForwardSubgroupSource from '../../shaders/lstm_forward_subgroup.wgsl?raw';
import lstmForwardSource from '../../shaders/lstm_forward.wgsl?raw';
import lstmStepBackwardSource from '../../shaders/lstm_step_backward.wgsl?raw';
import lstmStepForwardSource from '../../shaders/lstm_step_forward.wgsl?raw';
import matmulCommonSource from '../../shaders/matmul_common.wgsl?raw';
import matmulDirectSource from '../../shaders/matmul_direct.wgsl?raw';
import matmulSubgroupSource from '../../shaders/matmul_subgroup.wgsl?raw';
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
import subgroupProbeSource from '../../shaders/subgroup_probe.wgsl?raw';
import type { SizedKernel } from './kernel_sizes';

export { statsSlotsSource };

const after = (common: string) => (source: string) => `${common}\n${source}`;
const recurrent = after(recurrentCommonSource);
const stepForward = (source: string) => recurrent(after(`${recurrentStepCommonSource}\n${recurrentStepForwardCommonSource}`)(source));
const stepBackward = (source: string) => recurrent(after(`${recurrentStepCommonSource}\n${recurrentStepBackwardCommonSource}`)(source));
const withStats = after(statsSlotsSource);
const matmul = after(matmulCommonSource);
const lstmForward = (source: string) => recurrent(after(lstmCellForwardSource)(source));
const lstmBackward = (source: string) => recurrent(after(lstmCellBackwardSource)(source));

/** Module-scope directives (`enable`, `requires`, `diagnostic`), which WGSL wants before every declaration. */
const DIRECTIVE = /^(?:enable|requires|diagnostic)\b[^;\n]*;[ \t]*$/gm;

/** A composed module with its kernel's directives moved in front of the common code put before it. */
function directivesFirst(compose: (source: string) => string, source: string): string {
  const directives = source.match(DIRECTIVE) ?? [];
  return `${directives.join('\n')}\n${compose(source.replace(DIRECTIVE, ''))}`;
}

/** Every shader module's code as compiled. */
export const SHADERS = {
  lstmForward: lstmForward(lstmForwardSource),
  lstmBackward: lstmBackward(lstmBackwardSource),
  lstmForwardSubgroup: directivesFirst(lstmForward, lstmForwardSubgroupSource),
  lstmBackwardSubgroup: directivesFirst(lstmBackward, lstmBackwardSubgroupSource),
  gruForward: recurrent(gruForwardSource),
  gruBackward: recurrent(gruBackwardSource),
  rnnForward: recurrent(rnnForwardSource),
  rnnBackward: recurrent(rnnBackwardSource),
  lstmStepForward: stepForward(after(lstmCellForwardSource)(lstmStepForwardSource)),
  lstmStepBackward: stepBackward(after(lstmCellBackwardSource)(lstmStepBackwardSource)),
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
  matmulSubgroup: directivesFirst(matmul, matmulSubgroupSource),
  subgroupProbe: subgroupProbeSource,
} as const;

export type ShaderName = keyof typeof SHADERS;

/** The entry of kernel_sizes.ts that sets a shader's overrides: its own, but one for all three matmul kernels. */
export function sizesOf(shader: ShaderName): SizedKernel {
  return shader === 'matmulTiled' || shader === 'matmulDirect' || shader === 'matmulSubgroup' ? 'matmul' : shader;
}
