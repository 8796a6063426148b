import type { Skipped } from '../errors';
import type { LabelName } from '../labels';
import type { ScoreOptions, Scorer } from '../score/types';

/** One comment to score, with where it came from. */
export interface AuditComment {
  /** File (or "-") the comment came from. */
  source: string;
  /** Physical line of the record in a CSV/JSONL file, or the comment's number on a page. */
  line: number;
  article: string;
  author: string;
  time: string;
  text: string;
}

/** What an input yields, in order: comments, and records or pages that could not be used. */
export type AuditItem = { comment: AuditComment } | { skipped: Skipped } | { page: { source: string; comments: number } };

export interface AuditProgress {
  comments: number;
  flagged: number;
  skipped: number;
  /** Estimated share of the input read (0..1), or undefined when unknown (stdin). */
  fraction?: number;
}

export interface AuditOptions extends ScoreOptions {
  /** Output folder: comments.csv, summary.json, report.html. */
  out: string;
  /** A loaded model; workers load their own copy from `model.dir`. */
  model: Scorer;
  /** Continue an audit that was stopped, from its checkpoint. */
  resume?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: AuditProgress) => void;
  /** Scoring threads (default: the machine's cores less one); 0 scores in the calling thread. */
  workers?: number;
  /** Comments per scoring batch (default 256). */
  batchSize?: number;
  /** Column of the comment text in CSV/JSONL inputs (default "text"). */
  textColumn?: string;
  /** Where "-" reads from (default process.stdin). */
  stdin?: NodeJS.ReadableStream;
  /** How many flagged comments the report lists (the highest scores; all are in comments.csv). Default 2000. */
  reportLimit?: number;
}

export interface AuditResult {
  out: string;
  comments: number;
  flagged: number;
  /** Records, pages and inputs that could not be used. */
  skipped: number;
  /** Pages split (comments found or not). */
  pages: number;
  /** Inputs (as given) that could not be read at all: missing, a folder with nothing to read, unreadable, empty. */
  unreadableInputs: number;
  /** False when stopped by the signal before the end. */
  complete: boolean;
  /** How scoring ran, e.g. "2 worker threads" or "in-process (…)". */
  scoring: string;
  files: { comments: string; summary: string; report: string };
}

export type LabelCounts = Record<LabelName, number>;
