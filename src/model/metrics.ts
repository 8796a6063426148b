/** Binary classification figures over probabilities. All functions ignore nothing: pass labelled rows only. */

export interface BinaryMetrics {
  rocAuc: number;
  prAuc: number;
  precision: number;
  recall: number;
  f1: number;
  threshold: number;
  n: number;
  positives: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** Area under the ROC curve (ties count half), NaN when only one class is present. */
export function rocAuc(y: ArrayLike<number>, p: ArrayLike<number>): number {
  const order = Array.from({ length: y.length }, (_, i) => i).sort((a, b) => p[a] - p[b]);
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && p[order[j + 1]] === p[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (y[order[k]] === 1) {
      pos++;
      rankSum += rank;
    }
    i = j + 1;
  }
  const neg = y.length - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Average precision (area under the precision-recall curve, step-wise, as scikit-learn computes it). */
export function prAuc(y: ArrayLike<number>, p: ArrayLike<number>): number {
  const order = Array.from({ length: y.length }, (_, i) => i).sort((a, b) => p[b] - p[a]);
  let total = 0;
  for (let i = 0; i < y.length; i++) total += y[i] === 1 ? 1 : 0;
  if (total === 0) return NaN;
  let tp = 0;
  let fp = 0;
  let ap = 0;
  let prevRecall = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && p[order[j + 1]] === p[order[i]]) j++;
    for (let k = i; k <= j; k++) if (y[order[k]] === 1) tp++; else fp++;
    const recall = tp / total;
    ap += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
    i = j + 1;
  }
  return ap;
}

/** What flagging at a threshold gives, without the threshold-free ROC-AUC and PR-AUC. */
export type Counts = Omit<BinaryMetrics, 'rocAuc' | 'prAuc'>;

export function atThreshold(y: ArrayLike<number>, p: ArrayLike<number>, threshold: number): BinaryMetrics {
  return { rocAuc: rocAuc(y, p), prAuc: prAuc(y, p), ...countsAt(y, p, threshold) };
}

/** Precision, recall, F1 and the confusion counts of flagging every score >= `threshold`. */
export function countsAt(y: ArrayLike<number>, p: ArrayLike<number>, threshold: number): Counts {
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (let i = 0; i < y.length; i++) {
    const pred = p[i] >= threshold;
    if (y[i] === 1) pred ? tp++ : fn++;
    else pred ? fp++ : tn++;
  }
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, threshold, n: y.length, positives: tp + fn, tp, fp, fn, tn };
}

/**
 * The threshold to flag at: by default the one with the best F1; with `targetPrecision`, the
 * lowest threshold whose precision reaches it (the best-F1 one if none does). `negativeWeight`
 * counts each negative that many times, so that precision and F1 are those of a population with
 * another share of positives (see `train`'s `prevalence`).
 */
export function chooseThreshold(y: ArrayLike<number>, p: ArrayLike<number>, targetPrecision?: number, negativeWeight = 1): number {
  const order = Array.from({ length: y.length }, (_, i) => i).sort((a, b) => p[b] - p[a]);
  let total = 0;
  for (let i = 0; i < y.length; i++) total += y[i] === 1 ? 1 : 0;
  if (total === 0 || total === y.length) return 0.5;
  let tp = 0, fp = 0;
  let bestF1 = -1, bestF1T = 0.5;
  let lowestPrecT: number | null = null;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && p[order[j + 1]] === p[order[i]]) j++;
    for (let k = i; k <= j; k++) if (y[order[k]] === 1) tp++; else fp += negativeWeight;
    const t = p[order[i]];
    const precision = tp / (tp + fp);
    const recall = tp / total;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    if (f1 > bestF1) {
      bestF1 = f1;
      bestF1T = t;
    }
    if (targetPrecision !== undefined && precision >= targetPrecision) lowestPrecT = t;
    i = j + 1;
  }
  return targetPrecision !== undefined && lowestPrecT !== null ? lowestPrecT : bestF1T;
}
