import type { LabelName } from '../labels';

/** A stretch of the original text that drove a label, in UTF-16 code-unit offsets (String.slice). */
export interface Span {
  start: number;
  end: number;
  label: LabelName;
  /** The span's contribution to the label's logit (positive pushes toward the label). */
  weight: number;
}

/** One scored comment: what `btl score --json` prints and `POST /v1/score` returns. */
export interface Scored {
  text: string;
  /** Calibrated probability per label. */
  scores: Record<LabelName, number>;
  /** Labels whose probability reaches the threshold, in registry order. */
  flags: LabelName[];
  /** Spans that drove each flagged label (or every label with `allSpans`), strongest first. */
  spans: Span[];
}

/** Per-call scoring options. */
export interface ScoreOptions {
  /** Override the model's thresholds for some labels (`--threshold hostile=0.7`). */
  thresholds?: Partial<Record<LabelName, number>>;
  /** Report spans for every label, not only the flagged ones. */
  allSpans?: boolean;
  /** At most this many spans per label (default 5). */
  maxSpans?: number;
}

/** A loaded model, ready to score. Pure and synchronous: safe to use from worker threads. */
export interface Scorer {
  /** The model folder it was loaded from (workers load their own copy from here). */
  readonly dir: string;
  /** Model identity for reports and metrics: name, version and a short hash of the weights. */
  readonly version: string;
  readonly labels: readonly LabelName[];
  /** The model's own thresholds per label. */
  readonly thresholds: Readonly<Record<LabelName, number>>;
  score(texts: readonly string[], options?: ScoreOptions): Scored[];
}
