import { BtlError, EXIT } from '../errors';
import { isLabelName, LABEL_NAMES, type LabelName } from '../labels';
import { parseFlags, type Command, type Io } from './command';

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  model: { type: 'string' },
  'body-limit': { type: 'string' },
  'page-limit': { type: 'string' },
  'max-text-length': { type: 'string' },
  'max-batch': { type: 'string' },
  'request-timeout': { type: 'string' },
  'coral-reject': { type: 'string' },
  'coral-hold-margin': { type: 'string' },
  'log-requests': { type: 'boolean' },
} as const;

const HELP = `btl serve: a local moderation HTTP API (Perspective-shaped, plus Coral Talk moderation)

Usage: btl serve [--port 8080] [--host 127.0.0.1] [--model DIR] [limits]

Routes:
  POST /v1/comments:analyze   Perspective AnalyzeComment (attributes ${LABEL_NAMES.map((l) => l.toUpperCase()).join(', ')})
  POST /v1/score              {"texts": [...]} -> {"results": [...]} as btl score --json
  POST /v1/split              a page (JSON {"page", "format"} or raw text/html) -> body and scored comments
  POST /v1/coral              Coral Talk external moderation phase (reject or hold, with a reason)
  GET  /healthz, GET /metrics (Prometheus)

Options:
  --port N                 port (default 8080; 0 picks a free one)
  --host H                 address to bind (default 127.0.0.1; 0.0.0.0 for every interface)
  --model DIR              model folder (default: the shipped model); SIGHUP reloads it
  --body-limit BYTES       largest JSON body (default 1048576)
  --page-limit BYTES       largest page for /v1/split (default 10485760)
  --max-text-length N      longest comment in characters (default 20000)
  --max-batch N            most texts per /v1/score request (default 1000)
  --request-timeout MS     time a client has to send its request (default 10000)
  --coral-reject L,...     labels that reject in /v1/coral; other flags hold (default hostile)
  --coral-hold-margin P    hold when a label is this close below its threshold (default 0.1)
  --log-requests           log every request (JSON lines on stderr)

Logs go to stderr. SIGHUP reloads the model without downtime; SIGTERM drains and exits.

Examples:
  btl serve --port 8080
  curl -s localhost:8080/v1/comments:analyze -H 'content-type: application/json' \\
    -d '{"comment":{"text":"you absolute idiot"},"requestedAttributes":{"HOSTILE":{}}}'
  kill -HUP $(pgrep -f 'btl serve')    # after replacing the model folder
`;

function int(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new BtlError('E_USAGE', `--${name} must be a whole number >= ${min}, got '${v}'`);
  return n;
}

function labels(v: string | undefined): LabelName[] | undefined {
  if (v === undefined) return undefined;
  const out = v.split(',').map((s) => s.trim()).filter(Boolean);
  for (const l of out) if (!isLabelName(l)) throw new BtlError('E_USAGE', `unknown label '${l}' in --coral-reject. Should be one of: ${LABEL_NAMES.join(', ')}`);
  return out as LabelName[];
}

export const command: Command = {
  name: 'serve',
  summary: 'run the moderation HTTP API (Perspective-shaped, Coral Talk endpoint, metrics)',
  help: HELP,
  async run(argv: string[], io: Io): Promise<number> {
    const { values } = parseFlags(argv, OPTIONS, false);
    const margin = values['coral-hold-margin'] === undefined ? undefined : Number(values['coral-hold-margin']);
    if (margin !== undefined && !(margin >= 0 && margin <= 1)) throw new BtlError('E_USAGE', `--coral-hold-margin must be between 0 and 1, got '${values['coral-hold-margin']}'`);
    const port = int('port', values.port, 0);
    if (port !== undefined && port > 65535) throw new BtlError('E_USAGE', `--port must be at most 65535, got '${values.port}'`);
    const { serve } = require('../serve') as typeof import('../serve');
    const s = await serve({
      model: values.model,
      port,
      host: values.host,
      bodyLimit: int('body-limit', values['body-limit'], 1),
      pageLimit: int('page-limit', values['page-limit'], 1),
      maxTextLength: int('max-text-length', values['max-text-length'], 1),
      maxBatch: int('max-batch', values['max-batch'], 1),
      requestTimeout: int('request-timeout', values['request-timeout'], 1),
      coralReject: labels(values['coral-reject']),
      coralHoldMargin: margin,
      logRequests: values['log-requests'],
    });
    const health = (await s.app.inject({ method: 'GET', url: '/healthz' })).json() as { model: string };
    io.stderr.write(`btl serve: listening on ${s.url} (model ${health.model}, pid ${process.pid})\n`);
    await s.closed;
    io.stderr.write('btl serve: stopped\n');
    return EXIT.ok;
  },
};
