import type { Skipped } from '../errors';

/** One record of a CSV or JSONL file: its fields as strings, and where it starts. */
export interface RecordRow {
  /** The path given (or "-" for stdin). */
  file: string;
  /** Physical line (1-based) where the record starts. */
  line: number;
  fields: Record<string, string>;
  /** JSONL only: the record's values as written (numbers, booleans, objects), for JSONL output. */
  values?: Record<string, unknown>;
}

export type RecordFormat = 'csv' | 'jsonl';

export interface ReadOptions {
  /** 'auto' (default): by extension (.csv/.tsv, .jsonl/.ndjson/.json), else by the first character. */
  format?: RecordFormat | 'auto';
  /** Columns every record must have. Missing from the CSV header or the first JSONL record: E_COLUMN. */
  require?: readonly string[];
  /** A record (CSV) or line (JSONL) longer than this many characters is skipped. Default 1,000,000. */
  maxRecordChars?: number;
  /** CSV field delimiter; default: tab when the header has tabs and no commas, else comma. */
  delimiter?: string;
  /** Where "-" reads from (default process.stdin). */
  stdin?: NodeJS.ReadableStream;
  /** Called with the bytes read so far, for progress. */
  onBytes?: (bytes: number) => void;
  signal?: AbortSignal;
}

export const DEFAULT_MAX_RECORD_CHARS = 1_000_000;

export type RecordItem = RecordRow | Skipped;

export function isSkipped(x: RecordItem): x is Skipped {
  return (x as Skipped).code !== undefined;
}
