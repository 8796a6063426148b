import type { CommentRow } from '../audit/aggregate';
import type { LabelName } from '../labels';

/** One comment of an audit, as the review queue holds it. */
export interface ReviewItem extends Omit<CommentRow, 'reasons'> {
  /** Stable id: a hash of source, line and text (the same comment keeps its id across restarts). */
  id: string;
  /** Position in comments.csv (0-based), for a stable tie-break. */
  index: number;
  /** Smallest distance of any score from its threshold: lower is more uncertain. */
  margin: number;
  /** Highest score over the labels: higher is more severe. */
  severity: number;
}

/** A moderator's labels for one comment: every label of the registry, true = yes. */
export type LabelDecision = Record<LabelName, boolean>;

/** One line of the decision log. */
export type LogEntry =
  | {
      type: 'decision';
      /** Sequence number: position in the log, from 1. */
      seq: number;
      id: string;
      labels: LabelDecision;
      moderator: string;
      at: string;
      /** The comment itself, so an export never depends on comments.csv staying the same. */
      text: string;
      article: string;
      author: string;
    }
  | { type: 'undo'; seq: number; id: string; undoes: number; moderator: string; at: string };

export type DecisionEntry = Extract<LogEntry, { type: 'decision' }>;

export type SortOrder = 'uncertain' | 'severe';
export const SORT_ORDERS: readonly SortOrder[] = ['uncertain', 'severe'];

/** Which comments the queue shows. */
export interface QueueFilter {
  sort?: SortOrder;
  /** "any": flagged for any label; a label name: flagged for it; "none": flagged for nothing. */
  label?: string;
  article?: string;
  author?: string;
  /** "todo" (default): not decided yet; "done": decided; "all". */
  status?: 'todo' | 'done' | 'all';
  /** Ids skipped in this session: shown after the others. */
  skipped?: ReadonlySet<string>;
  limit?: number;
}
