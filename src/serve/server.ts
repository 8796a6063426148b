import { BtlError } from '../errors';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Scorer } from '../score/types';
import { ApiError, errorBody } from './errors';
import { Metrics } from './metrics';
import { ModelHolder, type LoadScorer, type ReloadResult } from './model-holder';
import { SERVE_DEFAULTS, type ServeOptions } from './options';
import { analyzeRoute } from './routes/analyze';
import { coralRoute } from './routes/coral';
import { opsRoutes } from './routes/ops';
import { scoreRoute } from './routes/score';
import { splitRoute } from './routes/split';

export interface BuildOptions extends Partial<ServeOptions> {
  /** A scorer already loaded (tests); else `load(model)`. */
  scorer?: Scorer;
  /** The model loader (default: loadModel from src/score). Used at start and on reload. */
  load?: LoadScorer;
  /** Fastify's logger option (default: pino to stderr, warnings and errors; requests with logRequests). */
  logger?: FastifyServerOptions['logger'];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Load the model again from its folder and swap it in; on failure the old one stays. */
    reloadModel(): Promise<ReloadResult>;
  }
  interface FastifyContextConfig {
    /** The route takes raw text bodies (text/plain, text/html) as well as JSON. */
    raw?: boolean;
  }
}

const defaultLoad: LoadScorer = (dir) => (require('../score') as { loadModel: LoadScorer }).loadModel(dir);

/** Map fastify's own errors (parsing, validation, limits) and ours to the API error table. */
function toApiError(err: FastifyError): ApiError {
  if (err instanceof ApiError) return err;
  // the library's own errors about the input (e.g. HTML nested too deep to parse safely)
  if (err instanceof BtlError) return err.code === 'E_TOO_LARGE' ? new ApiError('E_BODY_TOO_LARGE', err.message) : new ApiError('E_INVALID', err.message);
  if (err.validation) return new ApiError('E_INVALID', err.message);
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError('E_BODY_TOO_LARGE', 'request body is over the size limit');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError('E_MEDIA_TYPE', 'unsupported Content-Type; send application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError('E_BAD_JSON', 'the JSON body is empty');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError('E_BAD_JSON', `the body is not valid JSON: ${err.message}`);
  }
  if (err instanceof SyntaxError || /JSON/.test(err.message)) {
    if ((err.statusCode ?? 400) === 400) return new ApiError('E_BAD_JSON', `the body is not valid JSON: ${err.message}`);
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return new ApiError('E_INVALID', err.message);
  return new ApiError('E_INTERNAL', 'internal error');
}

/**
 * The btl HTTP API as a fastify instance, routes registered, not listening: tests call
 * `app.inject()`, `serve()` calls `app.listen()`. Stateless apart from counters for /metrics.
 */
export async function buildServer(input: BuildOptions = {}): Promise<FastifyInstance> {
  const { scorer: given, load = defaultLoad, logger, ...rest } = input;
  const options: ServeOptions = { ...SERVE_DEFAULTS, ...stripUndefined(rest) };
  const scorer = given ?? (await load(options.model));
  const metrics = new Metrics();
  metrics.setModel(scorer.version, scorer.dir);
  const holder = new ModelHolder(scorer, load, options.model ?? scorer.dir, (s) => metrics.setModel(s.version, s.dir));

  const app = Fastify({
    // request lines are logged at info level, so they appear only with logRequests
    logger: logger ?? { level: options.logRequests ? 'info' : 'warn', stream: process.stderr },
    bodyLimit: options.bodyLimit,
    requestTimeout: options.requestTimeout,
    return503OnClosing: true,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  });

  app.addContentTypeParser('text/html', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.decorate('reloadModel', async () => {
    const r = await holder.reload();
    metrics.reloaded(r.ok);
    if (r.ok) app.log.warn({ model: r.version }, 'model reloaded');
    else app.log.error({ err: r.error, model: r.version }, 'model reload failed; still serving the old model');
    return r;
  });

  // JSON routes take JSON only; the split route also takes raw text pages.
  app.addHook('preValidation', async (req) => {
    if (typeof req.body === 'string' && !req.routeOptions.config?.raw) {
      throw new ApiError('E_MEDIA_TYPE', 'this route takes application/json');
    }
  });

  app.addHook('onResponse', async (req, reply) => {
    metrics.observe(req.method, req.routeOptions.url?.replace('::', ':') ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const e = toApiError(err);
    if (e.code === 'E_INTERNAL') req.log.error({ err }, 'internal error');
    reply.code(e.status).send(errorBody(e.code === 'E_INTERNAL' ? new ApiError('E_INTERNAL', `internal error (request ${req.id})`) : e));
  });

  app.setNotFoundHandler((req, reply) => {
    const e = new ApiError('E_NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0].slice(0, 200)}`);
    reply.code(e.status).send(errorBody(e));
  });

  const ctx = { holder, metrics, options };
  analyzeRoute(app, ctx);
  scoreRoute(app, ctx);
  splitRoute(app, ctx);
  coralRoute(app, ctx);
  opsRoutes(app, ctx);
  return app;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
