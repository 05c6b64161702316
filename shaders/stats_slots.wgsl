// stats_slots: the slots of the engine's stats buffer (f32), the one list of them on the GPU side. kernels.ts puts
// this file in front of every kernel that reads or writes stats (the losses, grad_norm, adam, sgd), since WGSL has no
// includes; src/engine/stats_slots.ts mirrors it for the host, and test/engine/stats_slots.test.ts checks the two agree.
// Written by the loss kernels: the batch loss, and running sums the host reads (readLosses) and clears (resetLosses).

const STAT_BATCH_LOSS: u32 = 0u;       // loss of the most recent batch (train, evaluate or probe)
const STAT_TRAIN_LOSS_SUM: u32 = 1u;   // mode 0 (train): += batch loss
const STAT_TRAIN_STEPS: u32 = 2u;      // mode 0: += 1
const STAT_VAL_LOSS_SUM: u32 = 3u;     // mode 1 (evaluate): += sum of element (row, for cross-entropy) losses
const STAT_VAL_COUNT: u32 = 4u;        // mode 1: += elements (rows) in the batch
const STAT_VAL_CORRECT: u32 = 5u;      // mode 1, cross-entropy: += rows whose arg-max is the target
const STAT_GRAD_NORM: u32 = 6u;        // grad_norm: global 2-norm of the last training step's gradients
const STAT_NON_FINITE: u32 = 7u;       // grad_norm: 1 once a norm was NaN or infinite (sticky; cleared by the host)
const STAT_CLIP_SCALE: u32 = 8u;       // grad_norm: factor the optimizer scales gradients by (0 when not finite)
const STAT_VAL_SQ_ERR_SUM: u32 = 9u;   // mode 1, regression: += sum of squared errors
const STAT_VAL_ABS_ERR_SUM: u32 = 10u; // mode 1, regression: += sum of absolute errors
const STAT_VAL_WEIGHT_SUM: u32 = 11u;  // mode 1, cross-entropy: += sum of the rows' class weights (rows, unweighted)
const STAT_NORM_PARTIALS: u32 = 16u;   // grad_norm partial sums, one per partial workgroup, up to STAT_COUNT
const STAT_COUNT: u32 = 80u;           // floats in the buffer
