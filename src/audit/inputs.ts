import { promises as fsp } from 'node:fs';
import { extname, join } from 'node:path';
import { BtlError, skippedFrom, type Skipped } from '../errors';
import { formatFromPath, isSkipped, readRecords } from '../records';
import { splitFile } from '../split';
import type { AuditItem } from './types';

const PAGE_EXTENSIONS = new Set(['', '.txt', '.text', '.htm', '.html', '.xhtml', '.shtml']);
/** Optional columns of comment files, by the names they commonly go by. */
const ARTICLE_COLUMNS = ['article', 'title', 'article_title', 'url'];
const AUTHOR_COLUMNS = ['author', 'user', 'username', 'name'];
const TIME_COLUMNS = ['time', 'date', 'timestamp', 'created_at', 'created'];

export interface InputOptions {
  textColumn?: string;
  stdin?: NodeJS.ReadableStream;
  signal?: AbortSignal;
  /** Bytes (files) read so far in this input, for progress. */
  onBytes?: (bytes: number) => void;
}

/** The size of an input, for progress: bytes of a file, or of all files under a folder; undefined for stdin. */
export async function inputSize(input: string): Promise<number | undefined> {
  if (input === '-') return undefined;
  try {
    const st = await fsp.stat(input);
    if (!st.isDirectory()) return st.size;
    let total = 0;
    for (const f of await listFiles(input)) total += (await fsp.stat(f)).size;
    return total;
  } catch {
    return undefined;
  }
}

/** Files under a folder that btl reads (pages, CSV, JSONL), recursively, in a stable order; hidden files are left out. */
export async function listFiles(dir: string): Promise<string[]> {
  return (await listEntries(dir)).filter((e): e is string => typeof e === 'string');
}

/**
 * Like listFiles, with what cannot be read in its place: symbolic links are followed (to files
 * and folders), a broken link or a link back to a folder already read (a loop) comes back once as
 * a Skipped, never followed again.
 */
export async function listEntries(dir: string): Promise<(string | Skipped)[]> {
  const out: (string | Skipped)[] = [];
  const seen = new Set<string>();
  try {
    seen.add(await fsp.realpath(dir));
  } catch {
    // reported by the readdir below
  }
  await walk(dir, seen, out);
  return out;
}

async function walk(dir: string, seen: Set<string>, out: (string | Skipped)[]): Promise<void> {
  const entries = (await fsp.readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      try {
        const st = await fsp.stat(p);
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const why = code === 'ELOOP' ? 'symbolic link loop' : code === 'ENOENT' ? 'broken symbolic link (its target does not exist)' : `cannot follow symbolic link: ${(err as Error).message}`;
        out.push({ file: p, code: code === 'ENOENT' ? 'E_NOT_FOUND' : 'E_IO', message: why });
        continue;
      }
    }
    if (isDir) {
      let real: string;
      try {
        real = await fsp.realpath(p);
      } catch (err) {
        out.push({ file: p, code: 'E_IO', message: `cannot read folder: ${(err as Error).message}` });
        continue;
      }
      if (seen.has(real)) {
        out.push({ file: p, code: 'E_IO', message: `symbolic link to a folder already read (${real}): a loop or a second link, not followed` });
        continue;
      }
      seen.add(real);
      try {
        await walk(p, seen, out);
      } catch (err) {
        out.push({ file: p, code: 'E_IO', message: `cannot read folder: ${(err as Error).message}` });
      }
    } else if (isFile && (PAGE_EXTENSIONS.has(extname(e.name).toLowerCase()) || formatFromPath(e.name))) out.push(p);
  }
}

/**
 * The comments of one input, in a stable order (so that a resumed audit can skip what is done):
 * a folder's files sorted by name, each page split (its comments carry the article title), each
 * CSV/JSONL file read record by record. Anything unusable comes back as `skipped`, never dropped.
 */
export async function* inputItems(input: string, options: InputOptions = {}): AsyncGenerator<AuditItem> {
  let st;
  if (input !== '-') {
    try {
      st = await fsp.stat(input);
    } catch {
      yield { skipped: { file: input, code: 'E_NOT_FOUND', message: 'no such file or folder' } };
      return;
    }
  }
  if (st?.isDirectory()) {
    let done = 0;
    const entries = await listEntries(input);
    if (!entries.some((e) => typeof e === 'string')) yield { skipped: { file: input, code: 'E_EMPTY', message: 'folder has no page, CSV or JSONL files' } };
    for (const f of entries) {
      if (options.signal?.aborted) return;
      if (typeof f !== 'string') {
        yield { skipped: f };
        continue;
      }
      if (formatFromPath(f)) yield* recordItems(f, options, (b) => options.onBytes?.(done + b));
      else yield* pageItems(f);
      done += (await fsp.stat(f).catch(() => ({ size: 0 }))).size;
      options.onBytes?.(done);
    }
    return;
  }
  yield* recordItems(input, options, options.onBytes);
}

async function* pageItems(file: string): AsyncGenerator<AuditItem> {
  let page;
  try {
    page = await splitFile(file);
  } catch (err) {
    yield { skipped: skippedFrom(err, file) };
    return;
  }
  const article = page.title ?? '';
  yield { page: { source: file, comments: page.comments.length } };
  let n = 0;
  for (const c of page.comments) {
    n++;
    if (c.text.trim() === '') {
      yield { skipped: { file, line: n, code: 'E_EMPTY', message: `comment ${n} of the page has no text${c.author ? ` (by ${c.author})` : ''}` } };
      continue;
    }
    yield { comment: { source: file, line: n, article, author: c.author ?? '', time: c.time ?? '', text: c.text } };
  }
}

async function* recordItems(file: string, options: InputOptions, onBytes?: (b: number) => void): AsyncGenerator<AuditItem> {
  const textColumn = options.textColumn ?? 'text';
  try {
    for await (const r of readRecords(file, { require: [textColumn], stdin: options.stdin, signal: options.signal, onBytes })) {
      if (isSkipped(r)) {
        yield { skipped: r };
        continue;
      }
      const f = r.fields;
      const text = f[textColumn];
      if (text.trim() === '') {
        yield { skipped: { file, line: r.line, code: 'E_EMPTY', message: `empty '${textColumn}'` } };
        continue;
      }
      yield { comment: { source: file, line: r.line, article: pick(f, ARTICLE_COLUMNS), author: pick(f, AUTHOR_COLUMNS), time: pick(f, TIME_COLUMNS), text } };
    }
  } catch (err) {
    if (!(err instanceof BtlError)) throw err;
    yield { skipped: skippedFrom(err, file) };
  }
}

function pick(fields: Record<string, string>, names: readonly string[]): string {
  for (const n of names) if (fields[n] !== undefined) return fields[n];
  return '';
}
