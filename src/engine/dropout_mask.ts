// CPU mirror of shaders/dropout.wgsl's mask, so the float64 reference can apply the very mask the GPU used.

function pcg(v: number): number {
  const state = (Math.imul(v >>> 0, 747796405) + 2891336453) >>> 0;
  const word = Math.imul(((state >>> ((state >>> 28) + 4)) ^ state) >>> 0, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

/** The multiplier (0 or 1/(1-p)) of element `index` of a layer direction's [T][B][H] output. */
export function dropoutKeep(stepSeed: number, salt: number, index: number, p: number): number {
  const mixed = pcg((stepSeed + Math.imul(salt, 0x9e3779b9)) >>> 0);
  const u = (pcg((index ^ mixed) >>> 0) >>> 8) / 16777216;
  // the shader compares and scales in float32
  return u >= Math.fround(p) ? Math.fround(1 / (1 - p)) : 0;
}

/** Salt of layer l, direction d (the WGSL uniform field). */
export function dropoutSalt(layer: number, dir: number): number {
  return 2 * layer + dir + 1;
}

/** The per-step seed the engine uses for training step `step` (1-based) of a run seeded with `seed`. */
export function dropoutStepSeed(seed: number, step: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) + step) >>> 0;
}
