import type { FastifyInstance } from 'fastify';
import { LABELS, type LabelSpec } from '../../labels';
import { htmlToText } from '../../split';
import { checkTexts, scoreOnly, type ServeContext } from '../context';
import { ApiError } from '../errors';
import { sentences } from '../sentences';

interface AnalyzeBody {
  comment: { text: string; type?: 'PLAIN_TEXT' | 'HTML' };
  requestedAttributes: Record<string, { scoreType?: string; scoreThreshold?: number }>;
  spanAnnotations?: boolean;
  languages?: string[];
  doNotStore?: boolean;
  clientToken?: string;
}

interface Score {
  value: number;
  type: 'PROBABILITY';
}

interface AttributeScore {
  summaryScore: Score;
  spanScores?: { begin: number; end: number; score: Score }[];
}

/** Perspective's AnalyzeComment request. Fields btl does not use (context, sessionId, communityId) are accepted. */
const schema = {
  body: {
    type: 'object',
    required: ['comment', 'requestedAttributes'],
    properties: {
      comment: {
        type: 'object',
        required: ['text'],
        properties: { text: { type: 'string' }, type: { type: 'string', enum: ['PLAIN_TEXT', 'HTML'] } },
      },
      requestedAttributes: {
        type: 'object',
        minProperties: 1,
        additionalProperties: {
          type: 'object',
          properties: { scoreType: { type: 'string' }, scoreThreshold: { type: 'number', minimum: 0, maximum: 1 } },
        },
      },
      spanAnnotations: { type: 'boolean' },
      languages: { type: 'array', items: { type: 'string' }, maxItems: 20 },
      doNotStore: { type: 'boolean' },
      clientToken: { type: 'string', maxLength: 1000 },
      sessionId: { type: 'string' },
      communityId: { type: 'string' },
      context: { type: 'object' },
    },
  },
};

/**
 * POST /v1/comments:analyze (and /v1alpha1/comments:analyze, the path Perspective clients such as
 * Coral append to their endpoint): Perspective's AnalyzeComment with btl's labels as attributes.
 * Attributes scoring below their scoreThreshold are left out, as Perspective does. spanScores are
 * per sentence, each sentence scored on its own, as Perspective's are.
 */
export function analyzeRoute(app: FastifyInstance, ctx: ServeContext): void {
  for (const url of ['/v1/comments::analyze', '/v1alpha1/comments::analyze']) {
    app.post<{ Body: AnalyzeBody }>(url, { schema }, async (req) => {
      const body = req.body;
      const wanted: [LabelSpec, AnalyzeBody['requestedAttributes'][string]][] = [];
      const known = LABELS.map((l) => l.attribute);
      for (const [attr, spec] of Object.entries(body.requestedAttributes)) {
        const label = LABELS.find((l) => l.attribute === attr);
        if (!label) throw new ApiError('E_UNKNOWN_ATTRIBUTE', `unknown attribute '${attr.slice(0, 100)}'. btl scores: ${known.join(', ')}`);
        if (spec.scoreType !== undefined && spec.scoreType !== 'PROBABILITY') {
          throw new ApiError('E_UNSUPPORTED', `scoreType '${spec.scoreType.slice(0, 100)}' for ${attr} is not supported; btl returns PROBABILITY`);
        }
        wanted.push([label, spec]);
      }
      if (body.languages?.length && !body.languages.some((l) => /^en(-|$)/i.test(l))) {
        throw new ApiError('E_UNSUPPORTED', `languages ${JSON.stringify(body.languages).slice(0, 200)} not supported; btl scores English (en)`);
      }
      const text = body.comment.type === 'HTML' ? htmlToText(body.comment.text).trim() : body.comment.text;
      if (text.trim() === '') throw new ApiError('E_EMPTY', 'comment.text is empty');
      checkTexts([text], ctx.options, 'comment.text');

      const scorer = ctx.holder.current;
      const [scored] = scoreOnly(scorer, [text]);
      ctx.metrics.scored([scored.flags]);
      let spanScored: { begin: number; end: number; scores: Record<string, number> }[] = [];
      if (body.spanAnnotations) {
        const ranges = sentences(text);
        const each = ranges.length > 1 ? scoreOnly(scorer, ranges.map((r) => text.slice(r.begin, r.end))) : [scored];
        spanScored = ranges.map((r, i) => ({ ...r, scores: each[i].scores }));
      }
      const attributeScores: Record<string, AttributeScore> = {};
      for (const [label, spec] of wanted) {
        const value = scored.scores[label.name];
        if (value === undefined) continue; // a label this model was not trained for
        if (spec.scoreThreshold !== undefined && value < spec.scoreThreshold) continue;
        const a: AttributeScore = { summaryScore: { value, type: 'PROBABILITY' } };
        if (body.spanAnnotations) {
          a.spanScores = spanScored.map((s) => ({ begin: s.begin, end: s.end, score: { value: s.scores[label.name], type: 'PROBABILITY' } }));
        }
        attributeScores[label.attribute] = a;
      }
      return { attributeScores, languages: ['en'], ...(body.clientToken !== undefined ? { clientToken: body.clientToken } : {}) };
    });
  }
}
