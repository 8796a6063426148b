import type { FastifyInstance } from 'fastify';
import type { ServeContext } from '../context';

/** GET /healthz (liveness and the model in service) and GET /metrics (Prometheus text). */
export function opsRoutes(app: FastifyInstance, ctx: ServeContext): void {
  app.get('/healthz', async () => {
    const s = ctx.holder.current;
    return { status: 'ok', model: s.version, labels: s.labels, thresholds: s.thresholds };
  });
  app.get('/metrics', async (_req, reply) => {
    reply.type('text/plain; version=0.0.4; charset=utf-8');
    return ctx.metrics.render();
  });
}
