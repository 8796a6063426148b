import { BtlError } from '../errors';
import { bomEncoding, decodeWindows1252, sniffUtf16, strictUtf8 } from '../encoding';

/** Pages larger than this are refused (a scraped news page is rarely over 2 MB). */
export const MAX_PAGE_BYTES = 50 * 1024 * 1024;

export interface Decoded {
  text: string;
  /** The encoding actually used, as a WHATWG label. */
  encoding: string;
  /** How the encoding was chosen. */
  via: 'bom' | 'meta' | 'sniff' | 'default';
}

const SNIFF_BYTES = 8192;

/**
 * Bytes to text. Order: byte-order mark, then UTF-16 without BOM (NUL pattern), then a declared
 * charset (`<meta charset>`, `http-equiv` content type, `<?xml encoding>`), then strict UTF-8,
 * then windows-1252 (the web's de-facto default for undeclared 8-bit text). Throws BtlError
 * E_EMPTY, E_BINARY, E_DECODE or E_TOO_LARGE naming `source`.
 */
export function decodePage(bytes: Uint8Array, source: string): Decoded {
  if (bytes.length > MAX_PAGE_BYTES) {
    throw new BtlError('E_TOO_LARGE', `page is ${formatMb(bytes.length)}, over the ${formatMb(MAX_PAGE_BYTES)} limit`, { file: source });
  }
  if (bytes.length === 0) throw new BtlError('E_EMPTY', 'empty page (0 bytes)', { file: source });

  let decoded: Decoded;
  const bom = bomEncoding(bytes);
  if (bom) {
    decoded = { text: strict(bytes.subarray(bom.skip), bom.encoding, source, 'byte-order mark'), encoding: bom.encoding, via: 'bom' };
  } else {
    const utf16 = sniffUtf16(bytes, SNIFF_BYTES);
    if (utf16) {
      decoded = { text: strict(bytes, utf16, source, 'sniffed'), encoding: utf16, via: 'sniff' };
    } else {
      if (looksBinary(bytes)) throw new BtlError('E_BINARY', 'binary file, not a text or HTML page', { file: source });
      const declared = declaredCharset(bytes);
      if (declared) {
        decoded = { text: lenient(bytes, declared, source), encoding: declared, via: 'meta' };
      } else {
        const utf8 = strictUtf8(bytes);
        if (utf8 !== null) decoded = { text: utf8, encoding: 'utf-8', via: 'default' };
        else decoded = { text: windows1252(bytes, source), encoding: 'windows-1252', via: 'sniff' };
      }
    }
  }
  if (decoded.text.trim() === '') throw new BtlError('E_EMPTY', 'empty page (only whitespace)', { file: source });
  if (controlShare(decoded.text) > 0.05) throw new BtlError('E_BINARY', `binary content (control characters after decoding as ${decoded.encoding})`, { file: source });
  return decoded;
}

function formatMb(n: number): string {
  return `${(n / 1024 / 1024).toFixed(n >= 10 * 1024 * 1024 ? 0 : 1)} MB`;
}

function looksBinary(b: Uint8Array): boolean {
  const n = Math.min(b.length, SNIFF_BYTES);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i];
    if (c === 0) return true;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x1b) control++;
  }
  return control > n * 0.02;
}

/** `<meta charset=x>`, `<meta http-equiv content="...; charset=x">` or `<?xml ... encoding="x"?>` in the first 4 KB. */
export function declaredCharset(b: Uint8Array): string | null {
  const head = Buffer.from(b.buffer, b.byteOffset, Math.min(b.length, 4096)).toString('latin1');
  const m =
    /<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)/i.exec(head) ?? /^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.\-]+)/i.exec(head);
  if (!m) return null;
  const label = m[1].toLowerCase();
  try {
    // UTF-16 declared in an 8-bit-readable head is a mislabel (the HTML spec says: treat as UTF-8).
    const enc = new TextDecoder(label).encoding;
    return enc.startsWith('utf-16') ? 'utf-8' : enc;
  } catch {
    return null; // unknown label: fall back to sniffing
  }
}

function tryStrict(b: Uint8Array, enc: string): string | null {
  if (enc === 'windows-1252') return decodeWindows1252(b); // every byte decodes
  try {
    return new TextDecoder(enc, { fatal: true }).decode(b);
  } catch {
    return null;
  }
}

function strict(b: Uint8Array, enc: string, source: string, how: string): string {
  const t = tryStrict(b, enc);
  if (t === null) throw new BtlError('E_DECODE', `cannot decode as ${enc} (${how}): invalid byte sequence`, { file: source });
  return t;
}

/**
 * A declared charset is trusted, but real pages often carry a few stray bytes: up to 0.5% of
 * replacement characters are tolerated, more means the declaration is wrong and the page is refused.
 */
function lenient(b: Uint8Array, enc: string, source: string): string {
  const strictText = tryStrict(b, enc);
  if (strictText !== null) return strictText;
  if (enc === 'utf-8') {
    // a page declared UTF-8 that is really windows-1252 is common; accept it when that reads clean
    const w = decodeWindows1252(b);
    if (c1Share(w) < 0.001) return w;
  }
  const text = new TextDecoder(enc).decode(b); // not windows-1252: that never fails strict decoding
  let bad = 0;
  for (const ch of text) if (ch === '\ufffd') bad++;
  if (bad > Math.max(2, text.length * 0.005)) {
    throw new BtlError('E_DECODE', `cannot decode as declared ${enc}: ${bad} invalid byte sequences`, { file: source });
  }
  return text;
}

function windows1252(b: Uint8Array, source: string): string {
  const t = decodeWindows1252(b);
  // bytes windows-1252 leaves undefined decode to C1 controls: many of them means it is not 8-bit text
  if (c1Share(t) > 0.01) throw new BtlError('E_DECODE', 'not valid UTF-8 and not readable as windows-1252', { file: source });
  return t;
}

function c1Share(t: string): number {
  let n = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 0x80 && c <= 0x9f) n++;
  }
  return t.length ? n / t.length : 0;
}

function controlShare(t: string): number {
  const n = Math.min(t.length, SNIFF_BYTES);
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const c = t.charCodeAt(i);
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 0x1b) || c === 0xfffd) bad++;
  }
  return n ? bad / n : 0;
}
