import { PassThrough, Readable } from 'node:stream';
import type { Io } from '../../src/cli/command';
import { main } from '../../src/cli/main';

export interface IoOptions {
  /** What the command reads on stdin (default: nothing). */
  stdin?: string;
  cwd?: string;
  /** Pretend stdout is a terminal (default false). Progress is always off. */
  tty?: boolean;
}

/** An Io for running a command in-process: stdin from a string, stdout and stderr collected. */
export function captureIo(opts: IoOptions = {}): Io & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  return {
    stdout,
    stderr,
    stdin: Readable.from([Buffer.from(opts.stdin ?? '')]),
    progress: false,
    tty: opts.tty ?? false,
    cwd: opts.cwd ?? process.cwd(),
    out: () => out,
    err: () => err,
  };
}

/** Run the CLI in-process, as `btl argv…`, and collect what it prints. */
export async function runCli(argv: string[], opts: IoOptions = {}): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo(opts);
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}
