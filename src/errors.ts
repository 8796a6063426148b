/**
 * Every error btl raises on purpose. Each has a stable `code`, the process exit code the CLI uses
 * for it, and where known a location (`file`, `line` or record number).
 */
export type ErrorCode =
  | 'E_USAGE' // bad flags or arguments
  | 'E_NOT_FOUND' // a file or folder does not exist
  | 'E_IS_DIR' // a folder where a file was expected
  | 'E_EMPTY' // an empty input
  | 'E_BINARY' // a binary file where text was expected
  | 'E_DECODE' // text that cannot be decoded in its declared or sniffed encoding
  | 'E_TOO_LARGE' // input over a size limit
  | 'E_CSV' // malformed CSV or JSONL
  | 'E_COLUMN' // a required column is missing
  | 'E_MODEL' // a model folder that cannot be read or written
  | 'E_DATA' // training data that cannot be used (no labels, one class only)
  | 'E_IO'; // any other read or write failure

/** Exit codes: 0 all done, 1 some records failed, 2 usage, 3 input unreadable, 4 model problem. */
export const EXIT = { ok: 0, partial: 1, usage: 2, input: 3, model: 4, internal: 70 } as const;

const EXIT_FOR: Record<ErrorCode, number> = {
  E_USAGE: EXIT.usage,
  E_NOT_FOUND: EXIT.input,
  E_IS_DIR: EXIT.input,
  E_EMPTY: EXIT.input,
  E_BINARY: EXIT.input,
  E_DECODE: EXIT.input,
  E_TOO_LARGE: EXIT.input,
  E_CSV: EXIT.input,
  E_COLUMN: EXIT.input,
  E_MODEL: EXIT.model,
  E_DATA: EXIT.input,
  E_IO: EXIT.input,
};

export interface Location {
  file?: string;
  line?: number;
}

export class BtlError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  readonly file?: string;
  readonly line?: number;

  constructor(code: ErrorCode, message: string, where: Location = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BtlError';
    this.code = code;
    this.exitCode = EXIT_FOR[code];
    this.file = where.file;
    this.line = where.line;
  }

  /** `file:line: message`, the one line the CLI prints. */
  describe(): string {
    const at = this.file ? `${this.file}${this.line ? `:${this.line}` : ''}: ` : '';
    return `${at}${this.message}`;
  }
}

/** A record that could not be used: reported and skipped, never silently dropped. */
export interface Skipped {
  file: string;
  line?: number;
  code: ErrorCode;
  message: string;
}

export function skippedFrom(err: unknown, file: string, line?: number): Skipped {
  if (err instanceof BtlError) return { file: err.file ?? file, line: err.line ?? line, code: err.code, message: err.message };
  return { file, line, code: 'E_IO', message: err instanceof Error ? err.message : String(err) };
}

export function describeSkipped(s: Skipped): string {
  return `${s.file}${s.line ? `:${s.line}` : ''}: ${s.message}`;
}
