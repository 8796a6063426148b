import { BtlError } from '../errors';
import { bomEncoding, decodeWindows1252, sniffUtf16, strictUtf8 } from '../encoding';

/** Bytes looked at to choose an encoding. */
const SNIFF_BYTES = 64 * 1024;

export type StreamEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/**
 * Turns a byte stream into text chunks. The encoding is chosen from the first bytes: a byte-order
 * mark, then UTF-16 without a BOM (NUL pattern), then strict UTF-8, then windows-1252. A NUL byte
 * in 8-bit text is E_BINARY. An invalid sequence after a start that was valid does not stop the
 * stream: its line is decoded with replacement characters and reported to `onInvalid` (with its
 * line number), and every other line comes through as it is.
 */
export async function* decodeStream(
  source: AsyncIterable<Buffer | string>,
  file: string,
  onInvalid?: (line: number, encoding: StreamEncoding) => void,
): AsyncGenerator<string> {
  let head: Buffer[] = [];
  let headLen = 0;
  let decoder: ChunkDecoder | null = null;
  let line = 1;
  const emit = (text: string): string => {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) line++;
    return text;
  };
  for await (const raw of source) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    if (!decoder) {
      head.push(chunk);
      headLen += chunk.length;
      if (headLen < SNIFF_BYTES) continue;
      const all = Buffer.concat(head);
      head = [];
      decoder = chooseDecoder(all, file, onInvalid);
      const t = decoder.push(decoder.skip ? all.subarray(decoder.skip) : all, () => line);
      if (t) yield emit(t);
      continue;
    }
    const t = decoder.push(chunk, () => line);
    if (t) yield emit(t);
  }
  if (!decoder) {
    const all = Buffer.concat(head);
    if (all.length === 0) return;
    decoder = chooseDecoder(all, file, onInvalid);
    const t = decoder.push(decoder.skip ? all.subarray(decoder.skip) : all, () => line);
    if (t) yield emit(t);
  }
  const tail = decoder.end(() => line);
  if (tail) yield emit(tail);
}

interface ChunkDecoder {
  encoding: StreamEncoding;
  /** Bytes of byte-order mark to drop. */
  skip: number;
  push(b: Buffer, line: () => number): string;
  end(line: () => number): string;
}

function chooseDecoder(b: Buffer, file: string, onInvalid?: (line: number, encoding: StreamEncoding) => void): ChunkDecoder {
  const report = (encoding: StreamEncoding) => (line: number) => onInvalid?.(line, encoding);
  const bom = bomEncoding(b);
  if (bom) return textDecoder(bom.encoding, bom.skip, report(bom.encoding));
  const utf16 = sniffUtf16(b, SNIFF_BYTES);
  if (utf16) return textDecoder(utf16, 0, report(utf16));
  const n = Math.min(b.length, SNIFF_BYTES);
  for (let i = 0; i < n; i++) {
    if (b[i] === 0) throw new BtlError('E_BINARY', 'binary file (NUL bytes), not CSV or JSONL text', { file });
  }
  // cut: tolerate a multi-byte character cut at the end of the sniffed bytes
  return strictUtf8(b.subarray(0, n), true) !== null ? textDecoder('utf-8', 0, report('utf-8')) : windows1252Decoder();
}

function textDecoder(encoding: StreamEncoding, skip: number, onInvalid?: (line: number) => void): ChunkDecoder {
  const fatal = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  const lenient = new TextDecoder(encoding, { ignoreBOM: true });
  /** Bytes of a character cut at the end of the last chunk. */
  let carry = Buffer.alloc(0);
  const decode = (b: Buffer, first: number): string => {
    if (b.length === 0) return '';
    try {
      return fatal.decode(b);
    } catch {
      // keep every good line: decode line by line, the bad ones with replacement characters
      return decodeLines(b, encoding, first, fatal, lenient, (n) => onInvalid?.(n));
    }
  };
  return {
    encoding,
    skip,
    push(b, line) {
      const all = carry.length ? Buffer.concat([carry, b]) : b;
      const cut = encoding === 'utf-8' ? utf8Cut(all) : utf16Cut(all, encoding === 'utf-16le');
      carry = Buffer.from(all.subarray(cut));
      return decode(all.subarray(0, cut), line());
    },
    end(line) {
      const rest = carry;
      carry = Buffer.alloc(0);
      return decode(rest, line());
    },
  };
}

type Decoder = { decode(b: Uint8Array): string };

/** Decodes bytes holding an invalid sequence, reporting (by line number) each line that holds one. */
function decodeLines(b: Buffer, encoding: StreamEncoding, first: number, fatal: Decoder, lenient: Decoder, bad: (line: number) => void): string {
  if (encoding === 'utf-8') {
    let out = '';
    let n = first;
    for (let start = 0; start < b.length; n++) {
      const nl = b.indexOf(0x0a, start);
      const end = nl === -1 ? b.length : nl + 1;
      const part = b.subarray(start, end);
      try {
        out += fatal.decode(part);
      } catch {
        bad(n);
        out += lenient.decode(part);
      }
      start = end;
    }
    return out;
  }
  // UTF-16: an invalid sequence is a lone surrogate, decoded as U+FFFD
  const text = lenient.decode(b);
  let n = first;
  for (let pos = 0; pos <= text.length; n++) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl;
    if (text.slice(pos, end).includes('\ufffd')) bad(n);
    if (nl === -1) break;
    pos = nl + 1;
  }
  return text;
}

/** Where a UTF-8 chunk ends on a whole character (bytes after it wait for the next chunk). */
function utf8Cut(b: Buffer): number {
  for (let k = 1; k <= Math.min(4, b.length); k++) {
    const c = b[b.length - k];
    if (c < 0x80) return b.length;
    if (c >= 0xc0) {
      const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
      return k < need ? b.length - k : b.length;
    }
  }
  return b.length;
}

/** Where a UTF-16 chunk ends on a whole code unit, not after a high surrogate. */
function utf16Cut(b: Buffer, le: boolean): number {
  let cut = b.length - (b.length % 2);
  if (cut >= 2) {
    const unit = le ? b[cut - 2] | (b[cut - 1] << 8) : (b[cut - 2] << 8) | b[cut - 1];
    if (unit >= 0xd800 && unit <= 0xdbff) cut -= 2;
  }
  return cut;
}

function windows1252Decoder(): ChunkDecoder {
  return { encoding: 'windows-1252', skip: 0, push: (b) => decodeWindows1252(b), end: () => '' };
}
