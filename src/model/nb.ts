import type { Examples } from './train-loop';

/**
 * Naive Bayes log-count ratios as a scale per weight (Wang & Manning 2012, "NBSVM"): for bucket f
 * and label l, r = log((p_f / Σp) / (q_f / Σq)), where p_f is `alpha` plus the sum of feature f's
 * values over the rows labelled 1, and q_f the same over the rows labelled 0. Training the logistic
 * regression on x · r instead of x (with the L2 penalty on the weights of x · r) lets the features
 * whose class counts differ most move first and shrinks the rest: on the corpora's dev split,
 * scikit-learn's TF-IDF + logistic regression went from 0.819 to 0.842 ROC-AUC on hostile with it.
 * Buckets without an IDF (below minDf) keep 0; a label without both classes keeps 1.
 */
export function nbScale(ex: Examples, buckets: number, L: number, idf: Float32Array | null, alpha = 1): Float32Array {
  const sums = new Float64Array(buckets * L * 2);
  for (let i = 0; i < ex.x.length; i++) {
    const { idx, val } = ex.x[i];
    for (let l = 0; l < L; l++) {
      const y = ex.y[i * L + l];
      if (y < 0) continue;
      for (let k = 0; k < idx.length; k++) sums[(idx[k] * L + l) * 2 + y] += val[k];
    }
  }
  const scale = new Float32Array(buckets * L);
  for (let l = 0; l < L; l++) {
    let neg = 0;
    let pos = 0;
    const seen = [false, false];
    for (let i = 0; i < ex.x.length; i++) {
      const y = ex.y[i * L + l];
      if (y >= 0) seen[y] = true;
    }
    if (!seen[0] || !seen[1]) {
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
      scale[f * L + l] = Math.log((alpha + sums[(f * L + l) * 2 + 1]) / pos / ((alpha + sums[(f * L + l) * 2]) / neg));
    }
  }
  return scale;
}
