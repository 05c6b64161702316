// Host-side batch layout: batch-first arrays to the engine's time-major buffers, and token ids for the embedding.

/** [B][T][W] batch-first to [T][B][W] time-major. */
export function toTimeMajor(a: Float32Array, B: number, T: number, W: number): Float32Array {
  const out = new Float32Array(B * T * W);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++)
      for (let w = 0; w < W; w++) out[(t * B + b) * W + w] = a[(b * T + t) * W + w];
  return out;
}

/** [T][B][W] time-major back to [B][T][W] batch-first. */
export function fromTimeMajor(a: Float32Array, B: number, T: number, W: number): Float32Array {
  const out = new Float32Array(B * T * W);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++)
      for (let w = 0; w < W; w++) out[(b * T + t) * W + w] = a[(t * B + b) * W + w];
  return out;
}

/** Token ids [B][T] (numbers) to time-major u32 [T][B], refusing anything but integers in 0..vocab-1. */
export function toTokenIds(x: Float32Array, B: number, T: number, vocabSize: number): Uint32Array {
  if (x.length !== B * T) throw new Error(`token ids must hold batch·window = ${B * T} values, got ${x.length}`);
  const ids = new Uint32Array(T * B);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++) {
      const v = x[b * T + t];
      if (!Number.isInteger(v) || v < 0 || v >= vocabSize) {
        throw new Error(`token id ${v} (sequence ${b}, step ${t}) is not in the vocabulary 0..${vocabSize - 1}`);
      }
      ids[t * B + b] = v;
    }
  return ids;
}

/** Rows grouped by token id, for shaders/embedding_backward.wgsl: [U, ids…, starts (U+1)…, rows…]. */
export function tokenIndex(ids: Uint32Array): Uint32Array {
  const order = Array.from(ids.keys()).sort((a, b) => ids[a] - ids[b] || a - b);
  const unique: number[] = [];
  const starts: number[] = [];
  order.forEach((row, k) => {
    if (k === 0 || ids[row] !== ids[order[k - 1]]) {
      unique.push(ids[row]);
      starts.push(k);
    }
  });
  starts.push(order.length);
  return Uint32Array.from([unique.length, ...unique, ...starts, ...order]);
}
