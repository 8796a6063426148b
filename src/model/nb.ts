import type { Examples } from './train-loop';

/**
 * Naive Bayes log-count ratios as a scale per weight (after Wang & Manning 2012, "NBSVM"): for
 * bucket f and label l, r = log((p_f / Σp) / (q_f / Σq)), where p_f is `alpha` plus the sum of
 * feature f's values over the rows labelled 1, and q_f the same over the rows labelled 0; the scale
 * is sign(r) · |r|^`power`. Training the logistic regression on x · scale instead of x (with the
 * L2 penalty on the weights of x · scale) lets the features whose class counts differ most move
 * first and holds back the rest. On the corpora's dev split, hostile ROC-AUC went from 0.822 to
 * 0.848 with the full ratio (power 1) and to 0.840 with its square root; the square root kept the
 * project's own eval sets where they were without it, where the full ratio lost 0.01–0.04 on them.
 * Buckets without an IDF (below minDf) keep 0; a label without both classes keeps 1, as do the
 * inputs after the buckets (word vectors, whose values are signed).
 */
export function nbScale(ex: Examples, buckets: number, L: number, idf: Float32Array | null, alpha = 1, power = 0.5, inputs = buckets): Float32Array {
  const sums = new Float64Array(buckets * L * 2);
  // rows per label and class
  const rows = new Uint32Array(L * 2);
  for (let i = 0; i < ex.x.length; i++) {
    const { idx, val } = ex.x[i];
    for (let l = 0; l < L; l++) {
      const y = ex.y[i * L + l];
      if (y < 0) continue;
      rows[l * 2 + y]++;
      for (let k = 0; k < idx.length; k++) if (idx[k] < buckets) sums[(idx[k] * L + l) * 2 + y] += val[k];
    }
  }
  // inputs after the buckets (word vectors) keep scale 1
  const scale = new Float32Array(inputs * L).fill(1, buckets * L);
  for (let l = 0; l < L; l++) {
    let neg = 0;
    let pos = 0;
    if (!rows[l * 2] || !rows[l * 2 + 1]) {
      for (let f = 0; f < buckets; f++) scale[f * L + l] = 1;
      continue;
    }
    for (let f = 0; f < buckets; f++) {
      if (idf && idf[f] === 0) continue;
      neg += alpha + sums[(f * L + l) * 2];
      pos += alpha + sums[(f * L + l) * 2 + 1];
    }
    for (let f = 0; f < buckets; f++) {
      if (idf && idf[f] === 0) continue;
      const r = Math.log((alpha + sums[(f * L + l) * 2 + 1]) / pos / ((alpha + sums[(f * L + l) * 2]) / neg));
      scale[f * L + l] = Math.sign(r) * Math.abs(r) ** power;
    }
  }
  return scale;
}
