import type { FastifyInstance } from 'fastify';
import { toJson } from '../../score/json';
import { LABEL_NAMES, type LabelName } from '../../labels';
import type { ScoreOptions } from '../../score/types';
import { ApiError } from '../errors';
import { checkTexts, type ServeContext } from '../context';

interface ScoreBody {
  texts: string[];
  thresholds?: Partial<Record<LabelName, number>>;
  allSpans?: boolean;
  maxSpans?: number;
}

/** Per-label thresholds, one property per label in the registry; other names are rejected. */
export const thresholdsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(LABEL_NAMES.map((l) => [l, { type: 'number', minimum: 0, maximum: 1 }])),
};

const schema = {
  body: {
    type: 'object',
    required: ['texts'],
    additionalProperties: false,
    properties: {
      texts: { type: 'array', items: { type: 'string' } },
      thresholds: thresholdsSchema,
      allSpans: { type: 'boolean' },
      maxSpans: { type: 'integer', minimum: 0, maximum: 50 },
    },
  },
};

/** POST /v1/score: `{"texts": [...]}` -> `{"results": [...]}`, each result what `btl score --json` prints. */
export function scoreRoute(app: FastifyInstance, ctx: ServeContext): void {
  app.post<{ Body: ScoreBody }>('/v1/score', { schema }, async (req) => {
    const { texts, thresholds, allSpans, maxSpans } = req.body;
    checkTexts(texts, ctx.options);
    const blank = texts.findIndex((t) => t.trim() === '');
    if (blank >= 0) throw new ApiError('E_EMPTY', `texts[${blank}] is empty`);
    const options: ScoreOptions = { thresholds, allSpans, maxSpans };
    const results = ctx.holder.current.score(texts, options);
    ctx.metrics.scored(results.map((r) => r.flags));
    return { results: results.map(toJson) };
  });
}
