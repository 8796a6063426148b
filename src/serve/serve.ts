import type { FastifyInstance } from 'fastify';
import { buildServer, type BuildOptions } from './server';

export interface Serving {
  app: FastifyInstance;
  /** The address it listens on, e.g. http://127.0.0.1:8080. */
  url: string;
  close(): Promise<void>;
  /** Settles when the server has closed (close(), SIGTERM or SIGINT). */
  closed: Promise<void>;
}

/**
 * Build the server and listen. SIGHUP reloads the model without downtime (requests in flight
 * finish on the old model, new ones get the new one; a failed reload keeps the old model and logs
 * why). SIGTERM/SIGINT stop taking connections, finish requests in flight and close.
 */
export async function serve(options: BuildOptions = {}): Promise<Serving> {
  const app = await buildServer(options);
  const url = await app.listen({ port: options.port ?? 8080, host: options.host ?? '127.0.0.1' });
  const onHup = (): void => {
    void app.reloadModel();
  };
  const onStop = (): void => {
    void close();
  };
  process.on('SIGHUP', onHup);
  process.once('SIGTERM', onStop);
  process.once('SIGINT', onStop);
  let closing: Promise<void> | null = null;
  let done!: () => void;
  const closed = new Promise<void>((resolve) => (done = resolve));
  const close = (): Promise<void> => {
    if (!closing) {
      process.off('SIGHUP', onHup);
      process.off('SIGTERM', onStop);
      process.off('SIGINT', onStop);
      closing = app.close().finally(done);
    }
    return closing;
  };
  return { app, url, close, closed };
}
