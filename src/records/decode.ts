import { BtlError } from '../errors';

/** Bytes looked at to choose an encoding. */
const SNIFF_BYTES = 64 * 1024;

export type StreamEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/**
 * Turns a byte stream into text chunks. The encoding is chosen from the first bytes: a byte-order
 * mark, then UTF-16 without a BOM (NUL pattern), then strict UTF-8, then windows-1252. A NUL byte
 * in 8-bit text is E_BINARY; invalid UTF-8 after a start that was valid UTF-8 is E_DECODE with the line.
 */
export async function* decodeStream(source: AsyncIterable<Buffer | string>, file: string): AsyncGenerator<string> {
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
      decoder = chooseDecoder(all, file);
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
    decoder = chooseDecoder(all, file);
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

function chooseDecoder(b: Buffer, file: string): ChunkDecoder {
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return textDecoder('utf-8', 3, file);
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return textDecoder('utf-16le', 2, file);
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return textDecoder('utf-16be', 2, file);
  const utf16 = sniffUtf16(b);
  if (utf16) return textDecoder(utf16, 0, file);
  const n = Math.min(b.length, SNIFF_BYTES);
  for (let i = 0; i < n; i++) {
    if (b[i] === 0) throw new BtlError('E_BINARY', 'binary file (NUL bytes), not CSV or JSONL text', { file });
  }
  try {
    // stream: true tolerates a multi-byte character cut at the end of the sniffed bytes
    new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(0, n), { stream: true });
    return textDecoder('utf-8', 0, file);
  } catch {
    return windows1252Decoder();
  }
}

function sniffUtf16(b: Buffer): StreamEncoding | null {
  const n = Math.min(b.length, SNIFF_BYTES) & ~1;
  if (n < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenNul++;
    if (b[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul > pairs * 0.4 && evenNul < pairs * 0.05) return 'utf-16le';
  if (evenNul > pairs * 0.4 && oddNul < pairs * 0.05) return 'utf-16be';
  return null;
}

function textDecoder(encoding: StreamEncoding, skip: number, file: string): ChunkDecoder {
  const d = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  const fail = (line: number, err: unknown): never => {
    throw new BtlError('E_DECODE', `invalid ${encoding} byte sequence (convert the file to UTF-8, e.g. with iconv)`, { file, line }, { cause: err });
  };
  return {
    encoding,
    skip,
    push(b, line) {
      try {
        return d.decode(b, { stream: true });
      } catch (err) {
        // find the line: decode leniently and count line ends before the first replacement character
        const lenient = new TextDecoder(encoding).decode(b);
        const bad = lenient.indexOf('\ufffd');
        let n = 0;
        for (let i = lenient.indexOf('\n'); i !== -1 && i < bad; i = lenient.indexOf('\n', i + 1)) n++;
        return fail(line() + n, err);
      }
    },
    end(line) {
      try {
        return d.decode();
      } catch (err) {
        return fail(line(), err);
      }
    },
  };
}

/** Unicode for windows-1252 bytes 0x80-0x9F (Node's TextDecoder maps them to C1 controls, as latin1). */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/** Decode windows-1252 bytes (each byte one character). */
export function decodeWindows1252(b: Uint8Array): string {
  const s = Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');
  if (!/[\x80-\x9f]/.test(s)) return s;
  return s.replace(/[\x80-\x9f]/g, (c) => String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80]));
}

function windows1252Decoder(): ChunkDecoder {
  return { encoding: 'windows-1252', skip: 0, push: (b) => decodeWindows1252(b), end: () => '' };
}
