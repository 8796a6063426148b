import { LABEL_NAMES } from '../labels';
import type { LabelledRow } from './data';
import { atThreshold, chooseThreshold, countsAt, type BinaryMetrics, type Counts } from './metrics';
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

/**
 * Fewer rows of a class than this are too few to calibrate on or to choose a threshold by: training
 * holds out from all rows rather than from fresh ones only, and `btl eval --sweep` says so.
 */
export const MIN_ROWS_PER_CLASS = 30;

const bothClasses = (y: readonly number[]): boolean => y.includes(1) && y.includes(0);

/** Metrics at a threshold, or null when the labels lack one of the classes. */
export function metricsOrNull(y: number[], p: number[], threshold: number): BinaryMetrics | null {
  return bothClasses(y) ? atThreshold(y, p, threshold) : null;
}

/** Per label the model has: the labels of the rows labelled for it, and the model's probabilities for them. */
export type LabelScores = Map<string, { y: number[]; p: number[] }>;

/** Score labelled rows once, for `evaluate` and `sweepThresholds` both. */
export function scoreRows(model: Model, rows: readonly LabelledRow[]): LabelScores {
  const probs = rows.map((r) => model.probabilities(r.text));
  const out: LabelScores = new Map();
  LABEL_NAMES.forEach((label, l) => {
    const m = model.labels.indexOf(label);
    if (m >= 0) out.set(label, labelledFor(rows, probs, l, m));
  });
  return out;
}

const scoredOf = (model: Model, rows: readonly LabelledRow[] | LabelScores): LabelScores => (rows instanceof Map ? rows : scoreRows(model, rows));

/** `rows`: labelled rows, or the same already scored (`scoreRows`). */
export function evaluate(model: Model, rows: readonly LabelledRow[] | LabelScores, thresholds: Record<string, number> = model.manifest.thresholds): Evaluation {
  const scored = scoredOf(model, rows);
  const out: Evaluation = {};
  for (const label of LABEL_NAMES) {
    const s = scored.get(label);
    out[label] = s ? metricsOrNull(s.y, s.p, thresholds[label] ?? 0.5) : null;
  }
  return out;
}

/** One label's figures over a range of thresholds, for choosing one on a moderator's own labelled comments. */
export interface ThresholdSweep {
  /** At each threshold of the grid and at the one in use, in increasing order. */
  points: Counts[];
  /** The threshold in use: the model's, unless the caller gave another. */
  current: number;
  /** At the threshold with the best F1 on these rows. */
  bestF1: Counts;
  /** At the lowest threshold whose precision on these rows reaches the target; null when none does. */
  forPrecision: Counts | null;
  targetPrecision: number;
}

/** The default grid: 0.05, 0.1, then every 0.1 to 0.9, and 0.95. */
export const SWEEP_GRID = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95];

/**
 * The shortest threshold (2 to 8 decimals, rounded down) that flags the same rows as `t`, which is
 * one of the scores `p`; `t` itself when none does. A moderator types it as a flag.
 */
export function shortThreshold(t: number, p: readonly number[]): number {
  for (let d = 2; d <= 8; d++) {
    const v = Math.floor(t * 10 ** d) / 10 ** d;
    if (v <= t && !p.some((x) => x >= v && x < t)) return v;
  }
  return t;
}

/**
 * Per label: precision, recall and F1 (and the counts, hence the share flagged) at each threshold
 * of `grid` and at the one in use (`thresholds`, by default the model's), and the thresholds these
 * rows favour: best F1, and the lowest reaching `targetPrecision`, each as short as it can be
 * while flagging the same rows. Null for a label without rows of both classes (or that the model
 * lacks). `rows`: labelled rows, or the same already scored (`scoreRows`).
 */
export function sweepThresholds(
  model: Model,
  rows: readonly LabelledRow[] | LabelScores,
  { targetPrecision = 0.9, thresholds = model.manifest.thresholds, grid = SWEEP_GRID }: { targetPrecision?: number; thresholds?: Record<string, number>; grid?: readonly number[] } = {},
): Record<string, ThresholdSweep | null> {
  const scored = scoredOf(model, rows);
  const out: Record<string, ThresholdSweep | null> = {};
  for (const label of LABEL_NAMES) {
    const s = scored.get(label);
    if (!s || !bothClasses(s.y)) {
      out[label] = null;
      continue;
    }
    const current = thresholds[label] ?? 0.5;
    const at = (t: number) => countsAt(s.y, s.p, t);
    const precise = at(shortThreshold(chooseThreshold(s.y, s.p, targetPrecision), s.p));
    out[label] = {
      points: [...new Set([...grid, current])].sort((a, b) => a - b).map(at),
      current,
      bestF1: at(shortThreshold(chooseThreshold(s.y, s.p), s.p)),
      forPrecision: precise.precision >= targetPrecision ? precise : null,
      targetPrecision,
    };
  }
  return out;
}
