import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { BtlError, type Skipped } from '../errors';
import { LABELS, LABEL_NAMES, type LabelName } from '../labels';
import { loadAudit } from './comments';
import { DecisionLog, decisionsPath } from './log';
import { renderPage } from './page';
import { ReviewQueue } from './queue';
import { reviewStats } from './stats';
import { SORT_ORDERS, type LabelDecision, type QueueFilter, type ReviewItem, type SortOrder } from './types';

export interface ReviewOptions {
  /** The audit's output folder (comments.csv, summary.json); decisions go to DIR/review/decisions.jsonl. */
  dir: string;
  port?: number;
  host?: string;
  /** Who is deciding; recorded with every decision. */
  moderator: string;
}

export interface ReviewServer {
  url: string;
  port: number;
  /** comments.csv rows and decision log lines that could not be used. */
  skipped: Skipped[];
  comments: number;
  decided: number;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 8081;
export const DEFAULT_HOST = '127.0.0.1';

function publicItem(it: ReviewItem, log: DecisionLog) {
  const d = log.current(it.id);
  return {
    id: it.id,
    article: it.article,
    author: it.author,
    time: it.time,
    text: it.text,
    scores: it.scores,
    flags: it.flags,
    spans: it.spans.filter((s) => s.weight > 0),
    decision: d ? { labels: d.labels, moderator: d.moderator, at: d.at } : null,
  };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Start the review page for an audit folder. Resolves once it listens. */
export async function startReview(options: ReviewOptions): Promise<ReviewServer> {
  const audit = await loadAudit(options.dir);
  const queue = new ReviewQueue(audit.items);
  const log = DecisionLog.open(decisionsPath(options.dir));
  const skippedIds = new Set<string>();
  const moderator = options.moderator;
  const host = options.host ?? DEFAULT_HOST;
  const facets = queue.facets();
  let port = options.port ?? DEFAULT_PORT;

  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 64 * 1024, forceCloseConnections: true });

  // Only this page may use the API: the Host header must name this server (no DNS rebinding), and
  // writes must be JSON from this origin (a cross-site form or text/plain post cannot be).
  const hostOk = (req: FastifyRequest) => {
    const h = (req.headers.host ?? '').toLowerCase();
    return [`${host}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(h);
  };
  app.addHook('onRequest', async (req, reply) => {
    if (!hostOk(req)) return reply.code(403).send({ error: 'unexpected Host header' });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const origin = req.headers.origin;
      if (origin && origin !== `http://${req.headers.host}`) return reply.code(403).send({ error: 'cross-origin request refused' });
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return reply.code(415).send({ error: 'send JSON' });
    }
  });
  app.addHook('onSend', async (_req, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Cache-Control', 'no-store');
  });

  const state = (req: FastifyRequest) => {
    const q = req.query as Record<string, string | undefined>;
    const sort = (SORT_ORDERS as readonly string[]).includes(q.sort ?? '') ? (q.sort as SortOrder) : 'uncertain';
    const status = q.status === 'done' || q.status === 'all' ? q.status : 'todo';
    const limit = Math.max(1, Math.min(500, Number(q.limit) || 100));
    const f: QueueFilter = { sort, status, label: str(q.label), article: str(q.article), author: str(q.author), skipped: skippedIds, limit };
    const { total, items } = queue.list(log, f);
    return { total, items: items.map((it) => publicItem(it, log)), skipped: skippedIds.size, stats: reviewStats(queue, log) };
  };

  app.get('/', async (_req, reply: FastifyReply) => {
    const nonce = randomBytes(16).toString('base64');
    reply
      .header('Content-Security-Policy', `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`)
      .type('text/html; charset=utf-8');
    return renderPage(nonce, {
      dir: options.dir,
      moderator,
      labels: LABELS.map((l) => ({ name: l.name, summary: l.summary })),
      thresholds: audit.thresholds,
      facets,
      problems: audit.skipped.length + log.skipped.length,
    });
  });

  app.get('/api/state', async (req) => state(req));

  app.post('/api/decide', async (req, reply) => {
    const body = (req.body ?? {}) as { id?: unknown; labels?: Record<string, unknown> };
    const it = typeof body.id === 'string' ? queue.byId.get(body.id) : undefined;
    if (!it) return reply.code(404).send({ error: 'no such comment' });
    const labels = {} as LabelDecision;
    for (const l of LABEL_NAMES) {
      const v = body.labels?.[l];
      if (typeof v !== 'boolean') return reply.code(400).send({ error: `label "${l}" must be true or false` });
      labels[l as LabelName] = v;
    }
    const d = log.decide({ id: it.id, labels, moderator, text: it.text, article: it.article, author: it.author });
    skippedIds.delete(it.id);
    return { decision: { id: d.id, labels: d.labels, moderator: d.moderator, at: d.at }, stats: reviewStats(queue, log) };
  });

  app.post('/api/undo', async (req) => {
    const body = (req.body ?? {}) as { id?: unknown };
    const undone = log.undo(moderator, typeof body.id === 'string' ? body.id : undefined);
    return { undone: undone ? { id: undone.id, labels: undone.labels } : null, stats: reviewStats(queue, log) };
  });

  app.post('/api/skip', async (req, reply) => {
    const body = (req.body ?? {}) as { id?: unknown; undo?: unknown };
    if (typeof body.id !== 'string' || !queue.byId.has(body.id)) return reply.code(404).send({ error: 'no such comment' });
    if (body.undo === true) skippedIds.delete(body.id);
    else skippedIds.add(body.id);
    return { skipped: skippedIds.size };
  });

  try {
    await app.listen({ port, host });
  } catch (err) {
    log.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new BtlError('E_USAGE', `port ${port} is in use; pick another with --port`);
    throw new BtlError('E_IO', `cannot listen on ${host}:${port}: ${(err as Error).message}`);
  }
  const addr = app.server.address();
  if (addr && typeof addr === 'object') port = addr.port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    skipped: [...audit.skipped, ...log.skipped],
    comments: audit.items.length,
    decided: log.size,
    async close() {
      await app.close();
      log.close();
    },
  };
}
