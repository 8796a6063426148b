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
