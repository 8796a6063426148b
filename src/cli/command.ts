import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BtlError } from '../errors';
import { isLabelName, LABEL_NAMES, type LabelName } from '../labels';

/** Where a command reads and writes. Tests pass their own; the entry point passes the process's. */
export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  /** True when stderr is a terminal: progress bars are drawn only then. */
  progress: boolean;
  /** True when stdout is a terminal: human-readable output with colour. */
  tty: boolean;
  cwd: string;
}

export interface Command {
  name: string;
  summary: string;
  /** Full help text, including at least one example. */
  help: string;
  /** Returns the exit code. Throws BtlError for expected failures. */
  run(argv: string[], io: Io): Promise<number>;
}

export type Options = NonNullable<ParseArgsConfig['options']>;

type FlagValue<T> = T extends { type: 'boolean' }
  ? T extends { multiple: true } ? boolean[] : boolean
  : T extends { multiple: true } ? string[] : string;

export interface Parsed<O extends Options> {
  values: { [K in keyof O]?: FlagValue<O[K]> } & { help?: boolean };
  positionals: string[];
}

/** Parse flags with node:util, turning its errors into E_USAGE. `--help` is added to every command. */
export function parseFlags<O extends Options>(argv: string[], options: O, allowPositionals = true): Parsed<O> {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true }) as unknown as Parsed<O>;
  } catch (err) {
    throw new BtlError('E_USAGE', (err as Error).message.replace(/\. To specify.*$/s, ''));
  }
}

export function write(stream: NodeJS.WritableStream, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** `--flag NAME=VALUE` values as pairs; E_USAGE naming the flag when one has no "=". */
export function parsePairs(list: string[] | undefined, flag: string): [string, string][] {
  return (list ?? []).map((s) => {
    const i = s.indexOf('=');
    if (i <= 0) throw new BtlError('E_USAGE', `${flag} wants NAME=VALUE, got "${s}"`);
    return [s.slice(0, i), s.slice(i + 1)];
  });
}

/** `--label NAME=COLUMN` flags as the label -> column map the data readers take. */
export function parseLabelColumns(list: string[] | undefined): Partial<Record<LabelName, string>> {
  const out: Partial<Record<LabelName, string>> = {};
  for (const [name, col] of parsePairs(list, '--label')) {
    if (!isLabelName(name)) throw new BtlError('E_USAGE', `unknown label "${name}". Should be one of: ${LABEL_NAMES.join(', ')}`);
    out[name] = col;
  }
  return out;
}
