import { userInfo } from 'node:os';
import { BtlError, describeSkipped, EXIT } from '../errors';
import { REVIEW_DEFAULT_HOST as DEFAULT_HOST, REVIEW_DEFAULT_PORT as DEFAULT_PORT, DecisionLog, decisionsPath, exportDecisions, loadAudit, startReview } from '../review';
import { parseFlags, type Command, type Io } from './command';

const OPTIONS = {
  port: { type: 'string', short: 'p' },
  host: { type: 'string' },
  moderator: { type: 'string', short: 'm' },
  export: { type: 'string' },
} as const;

const HELP = `btl review: work through an audit's comments in a local web page and turn decisions into labels

Usage: btl review DIR [--port 8081] [--host 127.0.0.1] [--moderator NAME]
       btl review DIR --export labels.csv

DIR is the folder btl audit wrote (comments.csv, summary.json). The page lists its comments, most
uncertain or most severe first; for each, confirm or correct every label with one key or click.
Every decision is appended to DIR/review/decisions.jsonl (fsync'd) with who decided and when; the
latest decision per comment wins, undo appends an undo record. Stop the server with Ctrl-C.

Options:
  --port N          port to listen on (default ${DEFAULT_PORT}; 0 = any free port)
  --host ADDR       address to listen on (default ${DEFAULT_HOST}). The page is for this machine
                    only: a request whose Host header is not 127.0.0.1, localhost, [::1] or ADDR
                    itself gets 403 (no DNS rebinding), so even with --host 0.0.0.0 a browser on
                    another machine is refused. To review from another machine, keep the default
                    and tunnel: ssh -L 8081:127.0.0.1:8081 HOST, then open http://127.0.0.1:8081/
  --moderator NAME  name recorded with each decision (default: your login name)
  --export FILE     write the decisions as training CSV (text, one 1/0 column per label, article,
                    author, decided_by, decided_at) to FILE, atomically, and exit

Examples:
  btl review audit-out --moderator alice
  btl review audit-out --export labels.csv
  btl train --from models/default --data labels.csv --out models/next
`;

function defaultModerator(): string {
  try {
    return userInfo().username || process.env.USER || 'moderator';
  } catch {
    return process.env.USER || 'moderator';
  }
}

export const command: Command = {
  name: 'review',
  summary: 'review an audit in a local web page; export the decisions as training labels',
  help: HELP,
  run: runReview,
};

export async function runReview(argv: string[], io: Io, signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parseFlags(argv, OPTIONS);
  if (positionals.length !== 1) throw new BtlError('E_USAGE', 'give exactly one DIR (the folder btl audit wrote)');
  const dir = positionals[0];
  if (values.export !== undefined) {
    if (!values.export) throw new BtlError('E_USAGE', '--export wants a file name');
    await loadAudit(dir); // the folder must be an audit
    const log = DecisionLog.open(decisionsPath(dir));
    try {
      for (const s of log.skipped) io.stderr.write(`btl review: skipped ${describeSkipped(s)}\n`);
      const rows = await exportDecisions(log, values.export);
      io.stderr.write(`btl review: ${rows} labelled comment${rows === 1 ? '' : 's'} written\n`);
      io.stdout.write(`${values.export}\n`);
      return log.skipped.length ? EXIT.partial : EXIT.ok;
    } finally {
      log.close();
    }
  }
  let port = DEFAULT_PORT;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new BtlError('E_USAGE', '--port must be a whole number from 0 to 65535');
  }
  const moderator = (values.moderator ?? defaultModerator()).trim();
  if (!moderator) throw new BtlError('E_USAGE', '--moderator must not be empty');
  const server = await startReview({ dir, port, host: values.host ?? DEFAULT_HOST, moderator });
  const shown = server.skipped.slice(0, 20);
  for (const s of shown) io.stderr.write(`btl review: skipped ${describeSkipped(s)}\n`);
  if (server.skipped.length > shown.length) io.stderr.write(`btl review: ${server.skipped.length} unusable rows/lines in all\n`);
  io.stderr.write(`btl review: ${server.comments.toLocaleString('en')} comments, ${server.decided.toLocaleString('en')} decided; reviewing as ${moderator}. Ctrl-C to stop.\n`);
  io.stdout.write(`${server.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (signal?.aborted) stop();
    signal?.addEventListener('abort', stop, { once: true });
  });
  await server.close();
  io.stderr.write('btl review: stopped; every decision is saved\n');
  return EXIT.ok;
}
