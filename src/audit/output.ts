import { closeSync, fdatasyncSync, ftruncateSync, fstatSync, openSync, promises as fsp, writeSync } from 'node:fs';
import { join } from 'node:path';
import { BtlError, type Skipped } from '../errors';
import { LABEL_NAMES, isLabelName } from '../labels';
import { csvLine, writeFileAtomic } from '../records';
import type { CommentRow } from './aggregate';
import { parseSpans, spansText } from './reasons';

export const COMMENTS_FILE = 'comments.csv';
export const SUMMARY_FILE = 'summary.json';
export const REPORT_FILE = 'report.html';
export const CHECKPOINT_FILE = '.audit-checkpoint.json';

export function commentColumns(): string[] {
  return ['source', 'line', 'article', 'author', 'time', 'text', ...LABEL_NAMES, 'flags', 'reasons', 'spans'];
}

export function rowToCsv(r: CommentRow): string {
  return csvLine([r.source, r.line, r.article, r.author, r.time, r.text, ...LABEL_NAMES.map((l) => r.scores[l].toFixed(4)), r.flags.join(';'), r.reasons, spansText(r.spans)]);
}

/** A comments.csv record back to a row (for rebuilding totals on resume). */
export function rowFromFields(f: Record<string, string>): CommentRow {
  const scores = {} as CommentRow['scores'];
  for (const l of LABEL_NAMES) scores[l] = Number(f[l]);
  return {
    source: f.source,
    line: Number(f.line),
    article: f.article,
    author: f.author,
    time: f.time,
    text: f.text,
    scores,
    flags: (f.flags ?? '').split(';').filter(isLabelName),
    reasons: f.reasons,
    spans: parseSpans(f.spans ?? ''),
  };
}

/**
 * comments.csv, appended batch by batch with plain write calls (a killed process leaves complete
 * rows, plus at most one torn row after the last checkpoint, which resume truncates away).
 */
export class CommentsFile {
  private fd: number;
  /** Bytes written so far. */
  bytes: number;

  private constructor(
    readonly path: string,
    fd: number,
    bytes: number,
  ) {
    this.fd = fd;
    this.bytes = bytes;
  }

  /** A new file with the header, or (resume) the existing one cut back to `keepBytes`. */
  static open(dir: string, keepBytes?: number): CommentsFile {
    const path = join(dir, COMMENTS_FILE);
    try {
      if (keepBytes === undefined) {
        const fd = openSync(path, 'w');
        const header = csvLine(commentColumns());
        writeSync(fd, header);
        return new CommentsFile(path, fd, Buffer.byteLength(header));
      }
      const fd = openSync(path, 'r+');
      const size = fstatSync(fd).size;
      if (size < keepBytes) throw new BtlError('E_IO', `shorter (${size} bytes) than its checkpoint says (${keepBytes}); cannot resume, run without --resume`, { file: path });
      ftruncateSync(fd, keepBytes);
      return new CommentsFile(path, fd, keepBytes);
    } catch (err) {
      if (err instanceof BtlError) throw err;
      throw new BtlError('E_IO', `cannot write: ${(err as Error).message}`, { file: path });
    }
  }

  append(text: string): void {
    const buf = Buffer.from(text);
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off, this.bytes + off);
    this.bytes += buf.length;
  }

  /** Make what is written durable before a checkpoint refers to it. */
  sync(): void {
    fdatasyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** What a stopped audit needs to continue without repeating or losing anything. */
export interface Checkpoint {
  format: 'btl-audit-checkpoint';
  version: 1;
  inputs: string[];
  model: string;
  startedAt: string;
  /** Inputs before `input` are done; of input `input`, the first `items` items are. */
  input: number;
  items: number;
  /** comments.csv length covering exactly those items. */
  commentsBytes: number;
  pages: number;
  pagesWithoutComments: number;
  skippedTotal: number;
  skipped: Skipped[];
  complete: boolean;
}

export async function readCheckpoint(dir: string): Promise<Checkpoint | null> {
  const path = join(dir, CHECKPOINT_FILE);
  let text: string;
  try {
    text = await fsp.readFile(path, 'utf8');
  } catch {
    return null;
  }
  try {
    const c = JSON.parse(text) as Checkpoint;
    if (c.format !== 'btl-audit-checkpoint' || c.version !== 1) throw new Error('not a btl audit checkpoint');
    return c;
  } catch (err) {
    throw new BtlError('E_IO', `unreadable checkpoint (${(err as Error).message}); run without --resume to start over`, { file: path });
  }
}

/** Removes the checkpoint (a fresh audit starts here), so that it can never describe a new comments.csv. */
export async function removeCheckpoint(dir: string): Promise<void> {
  const path = join(dir, CHECKPOINT_FILE);
  try {
    await fsp.rm(path, { force: true });
  } catch (err) {
    throw new BtlError('E_IO', `cannot remove the old checkpoint: ${(err as Error).message}`, { file: path });
  }
}

export function writeCheckpoint(dir: string, c: Checkpoint): Promise<void> {
  return writeFileAtomic(join(dir, CHECKPOINT_FILE), JSON.stringify(c));
}
