import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli/main';

/** Run the CLI in-process, as `btl argv…`, and collect what it prints. */
export async function runCli(argv: string[], opts: { stdin?: string; cwd?: string } = {}): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const code = await main(argv, {
    stdout,
    stderr,
    stdin: Readable.from([Buffer.from(opts.stdin ?? '')]),
    progress: false,
    tty: false,
    cwd: opts.cwd ?? process.cwd(),
  });
  return { code, out, err };
}
