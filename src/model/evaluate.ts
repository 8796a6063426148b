import { LABEL_NAMES } from '../labels';
import type { LabelledRow } from './data';
import { atThreshold, type BinaryMetrics } from './metrics';
import type { Model } from './model';

/** Per label: metrics at the model's threshold, or null where the rows lack one of the classes. */
export type Evaluation = Record<string, BinaryMetrics | null>;

/** The rows labelled for label `l` (in LABEL_NAMES order): their labels and the matching scores. */
export function labelledFor(rows: readonly LabelledRow[], scores: readonly ArrayLike<number>[], l: number, column = l): { y: number[]; p: number[] } {
  const y: number[] = [];
  const p: number[] = [];
  rows.forEach((r, i) => {
    if (r.labels[l] >= 0) {
      y.push(r.labels[l]);
      p.push(scores[i][column]);
    }
  });
  return { y, p };
}

/** Metrics at a threshold, or null when the labels lack one of the classes. */
export function metricsOrNull(y: number[], p: number[], threshold: number): BinaryMetrics | null {
  return y.includes(1) && y.includes(0) ? atThreshold(y, p, threshold) : null;
}

export function evaluate(model: Model, rows: readonly LabelledRow[], thresholds: Record<string, number> = model.manifest.thresholds): Evaluation {
  const probs = rows.map((r) => model.probabilities(r.text));
  const out: Evaluation = {};
  LABEL_NAMES.forEach((label, l) => {
    const m = model.labels.indexOf(label);
    if (m < 0) {
      out[label] = null;
      return;
    }
    const { y, p } = labelledFor(rows, probs, l, m);
    out[label] = metricsOrNull(y, p, thresholds[label] ?? 0.5);
  });
  return out;
}
