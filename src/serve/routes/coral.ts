import type { FastifyInstance } from 'fastify';
import type { LabelName } from '../../labels';
import { htmlToText } from '../../split';
import { checkTexts, scoreOnly, type ServeContext } from '../context';

/**
 * Coral Talk's external moderation phase request (Coral v6+ POSTs this to the phase URL).
 * Only comment.body is used; the rest (action, author, story, site, tenant) is accepted as sent.
 */
interface CoralRequest {
  comment: { body: string; parentID?: string | null };
}

/** One reason btl acted: the label, its score and the threshold it was compared with. */
export interface CoralReason {
  label: LabelName;
  score: number;
  threshold: number;
  /** True when the score is below the threshold but within the hold margin. */
  near: boolean;
}

/**
 * The External Moderation Response: `status` is a Coral comment status, `actions` are FLAG actions
 * (reason COMMENT_DETECTED_TOXIC, the one detected-reason every Coral version accepts, with the
 * btl label and score in additionalDetails), `metadata.btl` carries the scores for the record.
 * Coral strips fields its version does not know, so the extra detail is safe to send.
 */
export interface CoralResponse {
  status: 'REJECTED' | 'SYSTEM_WITHHELD';
  actions: { actionType: 'FLAG'; reason: 'COMMENT_DETECTED_TOXIC'; additionalDetails: string }[];
  metadata: { btl: { decision: 'reject' | 'hold'; model: string; reasons: CoralReason[]; scores: Record<string, number> } };
}

const schema = {
  body: {
    type: 'object',
    required: ['comment'],
    properties: {
      comment: { type: 'object', required: ['body'], properties: { body: { type: 'string' }, parentID: { type: ['string', 'null'] } } },
      action: { type: 'string' },
      author: { type: 'object' },
      story: { type: 'object' },
      site: { type: 'object' },
      tenant: { type: 'object' },
      tenantID: { type: 'string' },
      tenantDomain: { type: 'string' },
    },
  },
};

/** Coral may send the body as HTML (a phase's format setting): read the text out of it. */
function plain(body: string): string {
  return /<[a-z][^>]*>/i.test(body) ? htmlToText(body).trim() : body;
}

/**
 * POST /v1/coral: decide for Coral. A flag on a label in `coralReject` (hostile by default) rejects
 * the comment; a flag on any other label, or any label within `coralHoldMargin` below its
 * threshold, holds it for a moderator (SYSTEM_WITHHELD: Coral's pending queue). Otherwise 204,
 * which Coral reads as "no decision, carry on".
 */
export function coralRoute(app: FastifyInstance, ctx: ServeContext): void {
  app.post<{ Body: CoralRequest }>('/v1/coral', { schema }, async (req, reply) => {
    const text = plain(req.body.comment.body);
    if (text.trim() === '') return reply.code(204).send();
    checkTexts([text], ctx.options, 'comment.body');
    const scorer = ctx.holder.current;
    const [s] = scoreOnly(scorer, [text]);
    ctx.metrics.scored([s.flags]);
    const reject: CoralReason[] = [];
    const hold: CoralReason[] = [];
    for (const label of scorer.labels) {
      const score = s.scores[label];
      const threshold = scorer.thresholds[label];
      if (score >= threshold) (ctx.options.coralReject.includes(label) ? reject : hold).push({ label, score, threshold, near: false });
      else if (score >= threshold - ctx.options.coralHoldMargin) hold.push({ label, score, threshold, near: true });
    }
    if (!reject.length && !hold.length) return reply.code(204).send();
    const decision = reject.length ? 'reject' : 'hold';
    const reasons = [...reject, ...hold];
    const details = reasons
      .map((r) => `${r.label} ${r.score.toFixed(2)} ${r.near ? `near threshold ${r.threshold.toFixed(2)}` : `>= threshold ${r.threshold.toFixed(2)}`}`)
      .join('; ');
    const res: CoralResponse = {
      status: decision === 'reject' ? 'REJECTED' : 'SYSTEM_WITHHELD',
      actions: [{ actionType: 'FLAG', reason: 'COMMENT_DETECTED_TOXIC', additionalDetails: `btl ${decision}: ${details}` }],
      metadata: { btl: { decision, model: scorer.version, reasons, scores: s.scores } },
    };
    return res;
  });
}
