import { BtlError } from '../errors';
import { bomEncoding, decodeWindows1252, sniffUtf16, strictUtf8 } from '../encoding';

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
  const bom = bomEncoding(b);
  if (bom) return textDecoder(bom.encoding, bom.skip, file);
  const utf16 = sniffUtf16(b, SNIFF_BYTES);
  if (utf16) return textDecoder(utf16, 0, file);
  const n = Math.min(b.length, SNIFF_BYTES);
  for (let i = 0; i < n; i++) {
    if (b[i] === 0) throw new BtlError('E_BINARY', 'binary file (NUL bytes), not CSV or JSONL text', { file });
  }
  // cut: tolerate a multi-byte character cut at the end of the sniffed bytes
  return strictUtf8(b.subarray(0, n), true) !== null ? textDecoder('utf-8', 0, file) : windows1252Decoder();
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

function windows1252Decoder(): ChunkDecoder {
  return { encoding: 'windows-1252', skip: 0, push: (b) => decodeWindows1252(b), end: () => '' };
}
