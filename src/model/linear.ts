import type { SparseVector } from '../text';

/**
 * A linear layer over hashed features with one output (logit) per label: the weights btl trains
 * with TensorFlow.js and scores with directly in TypeScript (same numbers, several times faster:
 * see scripts/bench-speed.ts and the test that compares both paths).
 */
export interface LinearWeights {
  /** buckets × labels, row-major: W[id * labels + l]. */
  W: Float32Array;
  /** One bias per label. */
  b: Float32Array;
  labels: number;
}

export function zeroWeights(buckets: number, labels: number): LinearWeights {
  return { W: new Float32Array(buckets * labels), b: new Float32Array(labels), labels };
}

/** Logits for one document, into `out` (length = labels). */
export function logitsInto(w: LinearWeights, x: SparseVector, out: Float64Array | Float32Array): void {
  const L = w.labels;
  for (let l = 0; l < L; l++) out[l] = w.b[l];
  const { idx, val } = x;
  for (let k = 0; k < idx.length; k++) {
    const o = idx[k] * L;
    const v = val[k];
    for (let l = 0; l < L; l++) out[l] += v * w.W[o + l];
  }
}
