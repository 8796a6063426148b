import type { FastifyInstance } from 'fastify';
import { toJson } from '../../score/json';
import { BtlError } from '../../errors';
import type { LabelName } from '../../labels';
import { split, type PageFormat } from '../../split';
import { checkTexts, type ServeContext } from '../context';
import { ApiError } from '../errors';
import { thresholdsSchema } from './score';

const FORMATS: PageFormat[] = ['auto', 'text', 'html'];

interface SplitJson {
  page: string;
  format?: PageFormat;
  thresholds?: Partial<Record<LabelName, number>>;
  allSpans?: boolean;
}

const schema = {
  querystring: {
    type: 'object',
    properties: { format: { type: 'string', enum: FORMATS } },
  },
  body: {
    anyOf: [
      { type: 'string' },
      {
        type: 'object',
        required: ['page'],
        additionalProperties: false,
        properties: {
          page: { type: 'string' },
          format: { type: 'string', enum: FORMATS },
          thresholds: thresholdsSchema,
          allSpans: { type: 'boolean' },
        },
      },
    ],
  },
};

/**
 * POST /v1/split: a page as JSON `{"page": "...", "format": "auto|text|html"}`, or the raw page as
 * text/html or text/plain (format from `?format=`, else html for text/html and auto for
 * text/plain) -> `{title, body, comments: [{author, time, depth, text, scores, flags, spans}]}`.
 */
export function splitRoute(app: FastifyInstance, ctx: ServeContext): void {
  app.post<{ Body: SplitJson | string; Querystring: { format?: PageFormat } }>(
    '/v1/split',
    { schema, bodyLimit: ctx.options.pageLimit, config: { raw: true } },
    async (req) => {
      const raw = typeof req.body === 'string';
      const body: SplitJson = raw ? { page: req.body as string } : (req.body as SplitJson);
      const type = String(req.headers['content-type'] ?? '');
      const format = (raw ? (req.query.format ?? (type.startsWith('text/html') ? 'html' : 'auto')) : (body.format ?? req.query.format ?? 'auto')) as PageFormat;
      let page;
      try {
        page = split(body.page, { format, source: 'request' });
      } catch (err) {
        if (!(err instanceof BtlError)) throw err;
        if (err.code === 'E_EMPTY') throw new ApiError('E_EMPTY', 'the page is empty');
        if (err.code === 'E_TOO_LARGE') throw new ApiError('E_BODY_TOO_LARGE', err.message);
        throw new ApiError('E_PAGE', `the page cannot be split: ${err.message}`);
      }
      const texts = page.comments.map((c) => c.text);
      checkTexts(texts, ctx.options, 'comments', true);
      const scored = ctx.holder.current.score(
        texts,
        { thresholds: body.thresholds, allSpans: body.allSpans },
      );
      ctx.metrics.scored(scored.map((s) => s.flags));
      return {
        title: page.title,
        body: page.body,
        comments: page.comments.map((c, i) => {
          const s = toJson(scored[i]);
          return { author: c.author, time: c.time, depth: c.depth, text: c.text, scores: s.scores, flags: s.flags, spans: s.spans };
        }),
      };
    },
  );
}
