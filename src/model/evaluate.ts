import { LABEL_NAMES } from '../labels';
import type { LabelledRow } from './data';
import { atThreshold, type BinaryMetrics } from './metrics';
import type { Model } from './model';

/** Per label: metrics at the model's threshold, or null where the rows lack one of the classes. */
export type Evaluation = Record<string, BinaryMetrics | null>;

export function evaluate(model: Model, rows: readonly LabelledRow[], thresholds: Record<string, number> = model.manifest.thresholds): Evaluation {
  const probs = rows.map((r) => model.probabilities(r.text));
  const out: Evaluation = {};
  LABEL_NAMES.forEach((label, l) => {
    const m = model.labels.indexOf(label);
    const y: number[] = [];
    const p: number[] = [];
    rows.forEach((r, i) => {
      if (r.labels[l] >= 0 && m >= 0) {
        y.push(r.labels[l]);
        p.push(probs[i][m]);
      }
    });
    const both = y.includes(1) && y.includes(0);
    out[label] = both ? atThreshold(y, p, thresholds[label] ?? 0.5) : null;
  });
  return out;
}
