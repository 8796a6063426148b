#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { BtlError, EXIT } from '../errors';
import type { Command, Io } from './command';

/** Commands load lazily so that `btl split` never pays for TensorFlow.js. */
const COMMANDS: Record<string, () => Command> = {
  split: () => require('./split').command,
  train: () => require('./train').command,
  eval: () => require('./eval').command,
  score: () => require('./score').command,
  audit: () => require('./audit').command,
  serve: () => require('./serve').command,
  review: () => require('./review').command,
};

function available(): Command[] {
  const out: Command[] = [];
  for (const load of Object.values(COMMANDS)) {
    try {
      out.push(load());
    } catch {
      // a command not built yet is simply not listed
    }
  }
  return out;
}

export function mainHelp(): string {
  const cmds = available()
    .map((c) => `  ${c.name.padEnd(8)} ${c.summary}`)
    .join('\n');
  return `btl: below-the-line comment moderation

Usage: btl <command> [options]    (btl <command> --help for each)

Commands:
${cmds}

Example:
  btl split data/examples/pages/*.txt
`;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(mainHelp());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version' || name === '-v') {
    // src/cli under jest, dist/src/cli when built
    const pkg = [path.join(__dirname, '..', '..', 'package.json'), path.join(__dirname, '..', '..', '..', 'package.json')].find((p) => existsSync(p));
    io.stdout.write(`${pkg ? JSON.parse(readFileSync(pkg, 'utf8')).version : 'unknown'}\n`);
    return EXIT.ok;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr.write(`btl: unknown command '${name}'. Should be one of: ${Object.keys(COMMANDS).join(', ')}\n`);
    return EXIT.usage;
  }
  const cmd = load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(cmd.help.endsWith('\n') ? cmd.help : `${cmd.help}\n`);
    return EXIT.ok;
  }
  try {
    return await cmd.run(rest, io);
  } catch (err) {
    if (err instanceof BtlError) {
      io.stderr.write(`btl ${name}: ${err.describe()}\n`);
      if (err.code === 'E_USAGE') io.stderr.write(`Try 'btl ${name} --help'.\n`);
      return err.exitCode;
    }
    io.stderr.write(`btl ${name}: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    return EXIT.internal;
  }
}

export function processIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    progress: Boolean(process.stderr.isTTY),
    tty: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
  };
}

if (require.main === module) {
  // A closed pipe (btl split … | head) is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  main(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`btl: ${(err as Error)?.stack ?? err}\n`);
      process.exitCode = EXIT.internal;
    },
  );
}
