import { promises as fsp } from 'node:fs';
import { extname } from 'node:path';
import { BtlError, type Skipped } from '../errors';
import { CsvParser } from './csv';
import { decodeStream } from './decode';
import { JsonlParser } from './jsonl';
import { isSkipped, type ReadOptions, type RecordFormat, type RecordItem } from './types';

/** The format a path's extension says, or null when it says nothing. */
export function formatFromPath(path: string): RecordFormat | null {
  const ext = extname(path.endsWith('.gz') ? path.slice(0, -3) : path).toLowerCase();
  if (ext === '.csv' || ext === '.tsv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return 'jsonl';
  return null;
}

/** JSONL when the first non-blank character is '{', else CSV. */
export function formatFromText(text: string): RecordFormat {
  return /^\s*\{/.test(text) ? 'jsonl' : 'csv';
}

/**
 * Reads a CSV or JSONL file (or "-" for stdin) as a stream of records, in order. Malformed records
 * come back as Skipped (with file and line) and reading continues, as does a record holding an
 * invalid byte sequence (E_DECODE, with the line of the bad bytes); problems with the whole input
 * throw BtlError: E_NOT_FOUND, E_IS_DIR, E_BINARY, E_EMPTY, E_COLUMN (a required column
 * missing, naming the columns present). Memory stays bounded by `maxRecordChars` plus one chunk.
 */
export async function* readRecords(path: string, options: ReadOptions = {}): AsyncGenerator<RecordItem> {
  const file = path;
  let format: RecordFormat | null = options.format && options.format !== 'auto' ? options.format : formatFromPath(path);
  const bytes = path === '-' ? (options.stdin ?? process.stdin) : await openFile(path);
  let read = 0;
  const counted = async function* (): AsyncGenerator<Buffer | string> {
    for await (const chunk of bytes as AsyncIterable<Buffer | string>) {
      read += chunk.length;
      yield chunk;
      options.onBytes?.(read);
    }
  };
  let parser: CsvParser | JsonlParser | null = null;
  let items = 0;
  let out: RecordItem[] = [];
  // lines holding an invalid byte sequence: the record over each is skipped (E_DECODE), the rest kept
  const bad: { line: number; encoding: string }[] = [];
  let held: RecordItem | null = null;
  const decodeSkip = (b: { line: number; encoding: string }, start?: number): Skipped => ({
    file,
    line: b.line,
    code: 'E_DECODE',
    message: `invalid ${b.encoding} byte sequence${start !== undefined && start !== b.line ? ` in the record starting at line ${start}` : ''}; skipped (convert the file to UTF-8, e.g. with iconv)`,
  });
  /** Items in order, each held back until the next one's start line bounds its lines. */
  const settle = (items: RecordItem[], final: boolean): RecordItem[] => {
    const result: RecordItem[] = [];
    const release = (next: number): void => {
      const start = held?.line ?? next;
      while (bad.length && bad[0].line < start) result.push(decodeSkip(bad.shift()!));
      if (!held) return;
      const inside: { line: number; encoding: string }[] = [];
      while (bad.length && bad[0].line < next) inside.push(bad.shift()!);
      result.push(inside.length && !isSkipped(held) ? decodeSkip(inside[0], held.line) : held);
    };
    for (const it of items) {
      if (held) release(it.line ?? held.line ?? 0);
      held = it;
    }
    if (final) {
      release(Infinity);
      held = null;
    }
    return result;
  };
  try {
    for await (const text of decodeStream(counted(), file, (line, encoding) => bad.push({ line, encoding }))) {
      if (options.signal?.aborted) return;
      if (!parser) {
        if (!format) {
          if (text.trim() === '') continue; // leading blank text: decide on the next chunk
          format = formatFromText(text);
        }
        parser = makeParser(format, file, options);
      }
      out = settle(parser.push(text, []), false);
      items += out.length;
      yield* out;
    }
    if (!parser) parser = makeParser(format ?? 'csv', file, options);
    out = settle(parser.end([]), true);
    items += out.length;
    yield* out;
  } finally {
    if ('destroy' in bytes && typeof bytes.destroy === 'function' && path !== '-') bytes.destroy();
  }
  if (items === 0) {
    throw new BtlError('E_EMPTY', format === 'csv' || !format ? 'no records (the CSV has a header line only)' : 'no records', { file });
  }
}

function makeParser(format: RecordFormat, file: string, options: ReadOptions): CsvParser | JsonlParser {
  const common = { maxRecordChars: options.maxRecordChars, require: options.require };
  return format === 'csv' ? new CsvParser(file, { ...common, delimiter: options.delimiter }) : new JsonlParser(file, common);
}

async function openFile(path: string): Promise<NodeJS.ReadableStream> {
  let st;
  try {
    st = await fsp.stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new BtlError('E_NOT_FOUND', 'no such file', { file: path });
    throw new BtlError('E_IO', `cannot read: ${(err as Error).message}`, { file: path });
  }
  if (st.isDirectory()) throw new BtlError('E_IS_DIR', 'is a folder, expected a CSV or JSONL file', { file: path });
  if (st.size === 0) throw new BtlError('E_EMPTY', 'empty file (0 bytes)', { file: path });
  try {
    const fh = await fsp.open(path, 'r');
    return fh.createReadStream({ highWaterMark: 256 * 1024 });
  } catch (err) {
    throw new BtlError('E_IO', `cannot read: ${(err as Error).message}`, { file: path });
  }
}

