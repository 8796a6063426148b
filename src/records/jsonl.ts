import { BtlError, type Skipped } from '../errors';
import { DEFAULT_MAX_RECORD_CHARS, type RecordItem } from './types';

export interface JsonlOptions {
  maxRecordChars?: number;
  require?: readonly string[];
}

/**
 * A streaming JSON Lines parser: one JSON object per line. Blank lines are ignored. A line that is
 * not a JSON object, or longer than `maxRecordChars` (dropped without buffering it), comes back as
 * a Skipped with its line number. Field values become strings: null as "", numbers and booleans
 * as written, arrays and objects as JSON. The first record must have the required fields
 * (E_COLUMN); a later record without them is skipped.
 */
export class JsonlParser {
  private buf = '';
  private line = 1;
  /** Characters dropped from an over-long line so far (-1: not dropping). */
  private dropping = -1;
  private first = true;
  private nonBlank = 0;
  private readonly max: number;

  constructor(
    private readonly file: string,
    private readonly options: JsonlOptions = {},
  ) {
    this.max = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  }

  push(text: string, out: RecordItem[] = []): RecordItem[] {
    let start = 0;
    if (this.dropping >= 0) {
      const nl = text.indexOf('\n');
      if (nl === -1) {
        this.dropping += text.length;
        return out;
      }
      out.push(this.tooLong(this.dropping + nl));
      this.dropping = -1;
      this.line++;
      start = nl + 1;
    }
    const buf = this.buf.length ? this.buf + text.slice(start) : text.slice(start);
    let pos = 0;
    for (let nl = buf.indexOf('\n'); nl !== -1; nl = buf.indexOf('\n', pos)) {
      this.handle(buf.slice(pos, nl), out);
      pos = nl + 1;
    }
    this.buf = buf.slice(pos);
    if (this.buf.length > this.max) {
      this.dropping = this.buf.length;
      this.buf = '';
    }
    return out;
  }

  end(out: RecordItem[] = []): RecordItem[] {
    if (this.dropping >= 0) out.push(this.tooLong(this.dropping));
    else if (this.buf.length) this.handle(this.buf, out);
    this.buf = '';
    if (this.nonBlank === 0) throw new BtlError('E_EMPTY', 'empty JSONL (no records)', { file: this.file });
    return out;
  }

  private tooLong(chars: number, line = this.line): Skipped {
    this.nonBlank++;
    return { file: this.file, line, code: 'E_TOO_LARGE', message: `line longer than ${this.max.toLocaleString('en')} characters (${chars.toLocaleString('en')})` };
  }

  private handle(raw: string, out: RecordItem[]): void {
    const line = this.line++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() === '') return;
    this.nonBlank++;
    if (text.length > this.max) {
      out.push(this.tooLong(text.length, line));
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      out.push({ file: this.file, line, code: 'E_CSV', message: `invalid JSON: ${(err as Error).message}` });
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      out.push({ file: this.file, line, code: 'E_CSV', message: `not a JSON object (found ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value})` });
      return;
    }
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      fields[k] = v === null || v === undefined ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
    const missing = (this.options.require ?? []).filter((c) => !(c in fields));
    if (missing.length) {
      const msg = `no ${missing.map((m) => `'${m}'`).join(', ')} field; the fields are: ${Object.keys(fields).join(', ') || '(none)'}`;
      if (this.first) throw new BtlError('E_COLUMN', msg, { file: this.file, line });
      out.push({ file: this.file, line, code: 'E_COLUMN', message: msg });
      return;
    }
    this.first = false;
    out.push({ file: this.file, line, fields, values: value as Record<string, unknown> });
  }
}
