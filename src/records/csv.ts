import { BtlError, type Skipped } from '../errors';
import { DEFAULT_MAX_RECORD_CHARS, type RecordItem } from './types';

export interface CsvOptions {
  delimiter?: string;
  maxRecordChars?: number;
  require?: readonly string[];
}

const NL = 10;
const CR = 13;
const QUOTE = 34;

/** What the parser is dropping after a bad record, until it can start a fresh one. */
interface Skipping {
  /** 'line': to the end of the physical line where the bad record starts; 'record': quote-aware, to the record's end. */
  mode: 'line' | 'record';
  inQuote: boolean;
  line: number;
  message: string;
}

/**
 * A streaming RFC 4180 CSV parser that keeps going after bad records. The first record is the
 * header. Each record comes back as a RecordRow with the physical line where it starts; a bad
 * record comes back as a Skipped with its line, and parsing resumes:
 * - a closing quote followed by something other than a delimiter or line end: the record is
 *   skipped and parsing resumes on the line after the one where it started (so a stray quote
 *   costs one record, not the rest of the file);
 * - a record with the wrong number of columns: skipped;
 * - a record longer than `maxRecordChars` (or an unclosed quote that runs that far): skipped up to
 *   where the record ends, reading on without buffering it.
 * Quotes inside unquoted fields are kept as text. Empty lines are ignored. Blank fields are "".
 */
export class CsvParser {
  private buf = '';
  /** Physical line of buf[0]. */
  private line = 1;
  private header: string[] | null = null;
  private delim: number;
  private readonly max: number;
  private skipping: Skipping | null = null;
  private records = 0;

  constructor(
    private readonly file: string,
    private readonly options: CsvOptions = {},
  ) {
    this.delim = options.delimiter ? options.delimiter.charCodeAt(0) : -1;
    this.max = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  }

  /** The header's column names, once read. */
  get columns(): readonly string[] | null {
    return this.header;
  }

  /** Data records returned so far (not counting the header or skipped ones). */
  get count(): number {
    return this.records;
  }

  push(text: string, out: RecordItem[] = []): RecordItem[] {
    this.buf = this.buf.length ? this.buf + text : text;
    this.drain(false, out);
    return out;
  }

  end(out: RecordItem[] = []): RecordItem[] {
    this.drain(true, out);
    if (!this.header) throw new BtlError('E_EMPTY', 'empty CSV (no header line)', { file: this.file });
    return out;
  }

  private drain(final: boolean, out: RecordItem[]): void {
    const buf = this.buf;
    let pos = 0;
    while (pos < buf.length || (final && this.skipping)) {
      if (this.skipping) {
        const next = this.skip(buf, pos, final, out);
        if (next < 0) {
          pos = buf.length;
          break;
        }
        pos = next;
        continue;
      }
      const r = this.parseRecord(buf, pos, final);
      if (r === null) {
        // incomplete record: keep it, unless it is already too long
        if (buf.length - pos > this.max) {
          this.skipping = { mode: 'record', inQuote: false, line: this.line, message: `record longer than ${this.max.toLocaleString('en')} characters` };
          continue;
        }
        break;
      }
      if (typeof r === 'string') {
        this.skipping = { mode: 'line', inQuote: false, line: this.line, message: r };
        continue;
      }
      const startLine = this.line;
      const recordStart = pos;
      this.line += countNewlines(buf, pos, r.next);
      pos = r.next;
      if (r.next - recordStart > this.max) {
        out.push(this.skipped(startLine, 'E_TOO_LARGE', `record longer than ${this.max.toLocaleString('en')} characters`));
        continue;
      }
      this.accept(r.fields, startLine, out);
    }
    this.buf = pos >= buf.length ? '' : buf.slice(pos);
  }

  /** Drop text while skipping; returns where a fresh record starts, or -1 when all of buf was dropped. */
  private skip(buf: string, pos: number, final: boolean, out: RecordItem[]): number {
    const s = this.skipping!;
    let i = pos;
    if (s.mode === 'line') {
      const nl = buf.indexOf('\n', i);
      if (nl === -1 && !final) {
        this.line += countNewlines(buf, pos, buf.length);
        return -1;
      }
      i = nl === -1 ? buf.length : nl + 1;
    } else {
      let done = false;
      for (; i < buf.length; i++) {
        const c = buf.charCodeAt(i);
        if (c === QUOTE) s.inQuote = !s.inQuote;
        else if (c === NL && !s.inQuote) {
          i++;
          done = true;
          break;
        }
      }
      if (!done && !final) {
        this.line += countNewlines(buf, pos, buf.length);
        return -1;
      }
      if (!done && s.inQuote) s.message += ` (a quote opened on line ${s.line} is never closed; skipped to the end of the file)`;
    }
    this.line += countNewlines(buf, pos, i);
    this.skipping = null;
    out.push(this.skipped(s.line, s.mode === 'record' ? 'E_TOO_LARGE' : 'E_CSV', s.message));
    return i >= buf.length && !final ? -1 : i;
  }

  /** One record from `start`: its fields and where the next one starts; an error message; or null when more text is needed. */
  private parseRecord(buf: string, start: number, final: boolean): { fields: string[]; next: number } | string | null {
    if (this.delim < 0) {
      const nl = buf.indexOf('\n', start);
      if (nl === -1 && !final) return null;
      this.delim = sniffDelimiter(buf.slice(start, nl === -1 ? buf.length : nl));
    }
    const d = this.delim;
    const len = buf.length;
    const fields: string[] = [];
    let i = start;
    for (;;) {
      if (i < len && buf.charCodeAt(i) === QUOTE) {
        let j = i + 1;
        let hasEscapes = false;
        for (;;) {
          const q = buf.indexOf('"', j);
          if (q === -1 || q + 1 >= len) {
            if (!final) return null;
            if (q === -1) return `unclosed quote (the field that starts on line ${this.line} never ends)`;
            fields.push(unescape(buf.slice(i + 1, q), hasEscapes));
            return { fields, next: len };
          }
          const n = buf.charCodeAt(q + 1);
          if (n === QUOTE) {
            hasEscapes = true;
            j = q + 2;
            continue;
          }
          if (n === d || n === NL || (n === CR && (q + 2 >= len ? final : buf.charCodeAt(q + 2) === NL))) {
            fields.push(unescape(buf.slice(i + 1, q), hasEscapes));
            i = q + 1;
            break;
          }
          if (n === CR && q + 2 >= len) return null;
          return `unbalanced quote: a quoted field is followed by ${JSON.stringify(buf[q + 1])} instead of a delimiter or line end`;
        }
        const c = buf.charCodeAt(i);
        if (c === d) {
          i++;
          if (i >= len && !final) return null;
          continue;
        }
        if (c === CR) i++;
        return { fields, next: i + 1 };
      }
      // unquoted field: up to the delimiter or line end
      let j = i;
      while (j < len) {
        const c = buf.charCodeAt(j);
        if (c === d || c === NL) break;
        j++;
      }
      if (j >= len && !final) return null;
      let end = j;
      if (end > i && buf.charCodeAt(end - 1) === CR && (j >= len || buf.charCodeAt(j) === NL)) end--;
      fields.push(buf.slice(i, end));
      if (j >= len) return { fields, next: len };
      if (buf.charCodeAt(j) === NL) return { fields, next: j + 1 };
      i = j + 1;
      if (i >= len && !final) return null;
    }
  }

  private accept(fields: string[], line: number, out: RecordItem[]): void {
    if (fields.length === 1 && fields[0].trim() === '') return; // empty line
    if (!this.header) {
      this.header = fields.map((f) => f.trim());
      const missing = (this.options.require ?? []).filter((c) => !this.header!.includes(c));
      if (missing.length) {
        throw new BtlError(
          'E_COLUMN',
          `no ${missing.map((m) => `'${m}'`).join(', ')} column; the columns are: ${this.header.join(', ') || '(none)'}`,
          { file: this.file, line },
        );
      }
      return;
    }
    if (fields.length !== this.header.length) {
      out.push(this.skipped(line, 'E_CSV', `wrong column count: ${fields.length} fields, the header has ${this.header.length}`));
      return;
    }
    const row: Record<string, string> = {};
    for (let k = 0; k < fields.length; k++) row[this.header[k]] = fields[k];
    this.records++;
    out.push({ file: this.file, line, fields: row });
  }

  private skipped(line: number, code: Skipped['code'], message: string): Skipped {
    return { file: this.file, line, code, message };
  }
}

function unescape(s: string, hasEscapes: boolean): string {
  return hasEscapes ? s.replace(/""/g, '"') : s;
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i !== -1 && i < to; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** Comma unless the header line has none and has tabs or semicolons. */
function sniffDelimiter(headerLine: string): number {
  if (headerLine.includes(',')) return 44;
  if (headerLine.includes('\t')) return 9;
  if (headerLine.includes(';')) return 59;
  return 44;
}
