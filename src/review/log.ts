import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BtlError, type Skipped } from '../errors';
import { LABEL_NAMES } from '../labels';
import type { DecisionEntry, LabelDecision, LogEntry } from './types';

export const REVIEW_FOLDER = 'review';
export const DECISIONS_FILE = 'decisions.jsonl';

export function decisionsPath(auditDir: string): string {
  return join(auditDir, REVIEW_FOLDER, DECISIONS_FILE);
}

/** Check one parsed log line; returns an error message or null. */
function problem(e: Partial<LogEntry> & Record<string, unknown>): string | null {
  if (typeof e.id !== 'string' || !e.id) return 'no "id"';
  if (typeof e.moderator !== 'string') return 'no "moderator"';
  if (typeof e.at !== 'string' || Number.isNaN(Date.parse(e.at))) return 'no valid "at" time';
  if (e.type === 'undo') return typeof e.undoes === 'number' ? null : 'undo without "undoes"';
  if (e.type !== 'decision') return `unknown "type" ${JSON.stringify(e.type)}`;
  const labels = e.labels as Record<string, unknown> | undefined;
  if (!labels || typeof labels !== 'object') return 'no "labels"';
  for (const l of LABEL_NAMES) if (typeof labels[l] !== 'boolean') return `label "${l}" must be true or false`;
  if (typeof e.text !== 'string') return 'no "text"';
  return null;
}

/**
 * The moderators' decisions: an append-only JSONL file, one decision or undo per line, each line
 * written and fsync'd before the call returns. The latest decision per comment that no undo
 * cancelled is the comment's label. A torn last line (a crash mid-write) or any malformed line is
 * reported in `skipped` and ignored; appends then start on a fresh line.
 */
export class DecisionLog {
  private readonly entries: LogEntry[] = [];
  /** Per comment id: its decisions still in force, oldest first. */
  private readonly active = new Map<string, DecisionEntry[]>();
  readonly skipped: Skipped[] = [];
  private fd: number;
  private seq = 0;

  private constructor(readonly path: string) {
    try {
      mkdirSync(dirname(path), { recursive: true });
      this.fd = openSync(path, 'a+');
    } catch (err) {
      throw new BtlError('E_IO', `cannot open the decision log: ${(err as Error).message}`, { file: path });
    }
  }

  static open(path: string): DecisionLog {
    const log = new DecisionLog(path);
    log.load();
    return log;
  }

  private load(): void {
    const text = readFileSync(this.path, 'utf8');
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    lines.forEach((raw, i) => {
      if (!raw.trim()) return;
      let e: LogEntry;
      try {
        e = JSON.parse(raw) as LogEntry;
        const p = problem(e as LogEntry & Record<string, unknown>);
        if (p) throw new Error(p);
      } catch (err) {
        const torn = i === lines.length - 1 && !text.endsWith('\n');
        this.skipped.push({ file: this.path, line: i + 1, code: 'E_CSV', message: torn ? 'torn last line (ignored)' : `malformed decision: ${(err as Error).message}` });
        return;
      }
      this.apply(e);
    });
    // A torn last line: start the next record on a line of its own.
    const size = fstatSync(this.fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(this.fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) this.write('\n');
    }
  }

  private apply(e: LogEntry): void {
    this.seq = Math.max(this.seq, e.seq ?? 0);
    this.entries.push(e);
    const list = this.active.get(e.id) ?? [];
    if (e.type === 'decision') list.push(e);
    else {
      const at = list.findIndex((d) => d.seq === e.undoes);
      if (at >= 0) list.splice(at, 1);
    }
    if (list.length) this.active.set(e.id, list);
    else this.active.delete(e.id);
  }

  private write(text: string): void {
    const buf = Buffer.from(text);
    let off = 0;
    try {
      while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
      fsyncSync(this.fd);
    } catch (err) {
      throw new BtlError('E_IO', `cannot write the decision log: ${(err as Error).message}`, { file: this.path });
    }
  }

  private append(e: LogEntry): void {
    this.write(`${JSON.stringify(e)}\n`);
    this.apply(e);
  }

  /** Record a decision; durable when this returns. */
  decide(d: { id: string; labels: LabelDecision; moderator: string; text: string; article?: string; author?: string; at?: Date }): DecisionEntry {
    const labels = {} as LabelDecision;
    for (const l of LABEL_NAMES) {
      if (typeof d.labels[l] !== 'boolean') throw new BtlError('E_USAGE', `label "${l}" must be true or false`);
      labels[l] = d.labels[l];
    }
    const e: DecisionEntry = {
      type: 'decision',
      seq: ++this.seq,
      id: d.id,
      labels,
      moderator: d.moderator,
      at: (d.at ?? new Date()).toISOString(),
      text: d.text,
      article: d.article ?? '',
      author: d.author ?? '',
    };
    this.append(e);
    return e;
  }

  /**
   * Cancel a decision: comment `id`'s latest one, or without an id the latest one `moderator`
   * made that is still in force. Returns the cancelled decision, or null when there is none.
   */
  undo(moderator: string, id?: string, at = new Date()): DecisionEntry | null {
    let target: DecisionEntry | undefined;
    if (id !== undefined) target = this.active.get(id)?.at(-1);
    else {
      for (let i = this.entries.length - 1; i >= 0 && !target; i--) {
        const e = this.entries[i];
        if (e.type === 'decision' && e.moderator === moderator && this.active.get(e.id)?.includes(e)) target = e;
      }
    }
    if (!target) return null;
    this.append({ type: 'undo', seq: ++this.seq, id: target.id, undoes: target.seq, moderator, at: at.toISOString() });
    return target;
  }

  /** The decision in force for a comment, if any. */
  current(id: string): DecisionEntry | undefined {
    return this.active.get(id)?.at(-1);
  }

  /** Every comment's decision in force, in the order they were made. */
  decisions(): DecisionEntry[] {
    return [...this.active.values()].map((l) => l[l.length - 1]).sort((a, b) => a.seq - b.seq);
  }

  get size(): number {
    return this.active.size;
  }

  close(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }
}
