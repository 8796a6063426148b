import { createWriteStream, promises as fsp, type WriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BtlError } from '../errors';
import { formatFromPath } from './read';
import type { RecordFormat } from './types';

export type FieldValue = string | number | null | undefined;

/** One CSV line (RFC 4180 quoting where needed), with its line end. */
export function csvLine(values: readonly FieldValue[]): string {
  let s = '';
  for (let i = 0; i < values.length; i++) {
    if (i) s += ',';
    const v = values[i];
    const t = v === null || v === undefined ? '' : String(v);
    s += /[",\r\n]/.test(t) || (t.length > 0 && (t[0] === ' ' || t[t.length - 1] === ' ')) ? `"${t.replace(/"/g, '""')}"` : t;
  }
  return `${s}\n`;
}

/** A temporary file beside `path` (same folder, so the final rename is atomic). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
}

/** Write `text` to `path` atomically: a temporary file beside it, then rename. */
export async function writeFileAtomic(path: string, text: string | Uint8Array): Promise<void> {
  const tmp = tempPathFor(path);
  try {
    await fsp.writeFile(tmp, text);
    await fsp.rename(tmp, path);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw new BtlError('E_IO', `cannot write: ${(err as Error).message}`, { file: path });
  }
}

/**
 * Writes records as CSV or JSONL to a temporary file, renamed over `path` on commit(): readers
 * never see a half-written output, and a failed run leaves any earlier file in place.
 * CSV columns are fixed by the first record (or `columns`).
 */
export class RecordWriter {
  private readonly stream: WriteStream;
  private readonly tmp: string;
  private columns: string[] | null;
  private failed: Error | null = null;

  constructor(
    readonly path: string,
    readonly format: RecordFormat = formatFromPath(path) ?? 'csv',
    columns?: readonly string[],
  ) {
    this.tmp = tempPathFor(path);
    this.columns = columns ? [...columns] : null;
    this.stream = createWriteStream(this.tmp);
    this.stream.on('error', (e) => (this.failed = e));
  }

  /** Writes one record; resolves when the stream can take more. */
  /** Writes one record (JSONL keeps any JSON value; CSV takes strings and numbers). */
  async write(row: Record<string, FieldValue> | Record<string, unknown>): Promise<void> {
    let text: string;
    if (this.format === 'jsonl') {
      text = `${JSON.stringify(row)}\n`;
    } else {
      if (!this.columns) {
        this.columns = Object.keys(row);
        text = csvLine(this.columns) + csvLine(this.columns.map((c) => row[c] as FieldValue));
      } else {
        text = csvLine(this.columns.map((c) => row[c] as FieldValue));
      }
    }
    if (this.failed) throw this.ioError(this.failed);
    if (!this.stream.write(text)) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }

  async commit(): Promise<void> {
    if (this.format === 'csv' && !this.columns) this.columns = [];
    await new Promise<void>((resolve, reject) => this.stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
    if (this.failed) {
      await this.abort();
      throw this.ioError(this.failed);
    }
    await fsp.rename(this.tmp, this.path).catch(async (err: Error) => {
      await this.abort();
      throw this.ioError(err);
    });
  }

  async abort(): Promise<void> {
    if (!this.stream.closed) await new Promise<void>((resolve) => this.stream.end(() => resolve()));
    await fsp.rm(this.tmp, { force: true });
  }

  private ioError(err: Error): BtlError {
    return new BtlError('E_IO', `cannot write: ${err.message}`, { file: this.path });
  }
}
