import { LABEL_NAMES, type LabelName } from '../labels';
import type { DecisionLog } from './log';
import type { ReviewQueue } from './queue';

/** The model's flags against the moderators' decisions, for one label. */
export interface LabelErrors {
  /** Flagged, and the moderator said yes. */
  truePositives: number;
  /** Flagged, and the moderator said no. */
  falsePositives: number;
  /** Not flagged, and the moderator said yes. */
  falseNegatives: number;
  /** Not flagged, and the moderator said no. */
  trueNegatives: number;
}

export interface ReviewStats {
  /** Comments in the audit. */
  comments: number;
  /** Comments with a decision in force: the fresh labels an export writes. */
  decided: number;
  /** Decided comments that are no longer in the audit's comments.csv (still exported). */
  orphaned: number;
  byModerator: Record<string, number>;
  errors: Record<LabelName, LabelErrors>;
}

export function reviewStats(queue: ReviewQueue, log: DecisionLog): ReviewStats {
  const errors = Object.fromEntries(LABEL_NAMES.map((l) => [l, { truePositives: 0, falsePositives: 0, falseNegatives: 0, trueNegatives: 0 }])) as Record<LabelName, LabelErrors>;
  const byModerator: Record<string, number> = {};
  let orphaned = 0;
  const decisions = log.decisions();
  for (const d of decisions) {
    byModerator[d.moderator] = (byModerator[d.moderator] ?? 0) + 1;
    const it = queue.byId.get(d.id);
    if (!it) {
      orphaned++;
      continue;
    }
    for (const l of LABEL_NAMES) {
      const flagged = it.flags.includes(l);
      const yes = d.labels[l];
      const e = errors[l];
      if (flagged && yes) e.truePositives++;
      else if (flagged) e.falsePositives++;
      else if (yes) e.falseNegatives++;
      else e.trueNegatives++;
    }
  }
  return { comments: queue.items.length, decided: decisions.length, orphaned, byModerator, errors };
}
