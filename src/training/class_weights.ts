// 'balanced' cross-entropy class weights from the training split's class counts, as sklearn's compute_class_weight.

/** w_c = N / (C · n_c) over the N training targets, rounded to float32 once; a class absent from training weighs 0
 *  (it never appears in a training target, so only a validation row of it is affected: it counts for nothing). */
export function balancedClassWeights(trainY: ArrayLike<number>, classes: number): Float32Array {
  const counts = new Float64Array(classes);
  for (let i = 0; i < trainY.length; i++) {
    const y = trainY[i];
    if (!Number.isInteger(y) || y < 0 || y >= classes) throw new Error(`class id ${y} at training target ${i} is not in 0..${classes - 1}`);
    counts[y] += 1;
  }
  const N = trainY.length;
  return Float32Array.from(counts, (n) => (n > 0 ? N / (classes * n) : 0));
}
