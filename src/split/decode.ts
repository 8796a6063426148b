import { BtlError } from '../errors';

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
    const utf16 = sniffUtf16(bytes);
    if (utf16) {
      decoded = { text: strict(bytes, utf16, source, 'sniffed'), encoding: utf16, via: 'sniff' };
    } else {
      if (looksBinary(bytes)) throw new BtlError('E_BINARY', 'binary file, not a text or HTML page', { file: source });
      const declared = declaredCharset(bytes);
      if (declared) {
        decoded = { text: lenient(bytes, declared, source), encoding: declared, via: 'meta' };
      } else {
        const utf8 = tryStrict(bytes, 'utf-8');
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

function bomEncoding(b: Uint8Array): { encoding: string; skip: number } | null {
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', skip: 3 };
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', skip: 2 };
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', skip: 2 };
  return null;
}

/** UTF-16 without a BOM: most of the even (BE) or odd (LE) bytes are NUL while the others are not. */
function sniffUtf16(b: Uint8Array): string | null {
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
  try {
    const text = new TextDecoder(enc, { fatal: true }).decode(b);
    return enc === 'windows-1252' ? fix1252(text) : text;
  } catch {
    return null;
  }
}

/** windows-1252 bytes 0x80-0x9F (some Node builds decode them as Latin-1 C1 controls). */
const CP1252_HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function fix1252(text: string): string {
  return text.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
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
    const w = tryStrict(b, 'windows-1252');
    if (w !== null && c1Share(w) < 0.001) return w;
  }
  const text = enc === 'windows-1252' ? fix1252(new TextDecoder(enc).decode(b)) : new TextDecoder(enc).decode(b);
  let bad = 0;
  for (const ch of text) if (ch === '\ufffd') bad++;
  if (bad > Math.max(2, text.length * 0.005)) {
    throw new BtlError('E_DECODE', `cannot decode as declared ${enc}: ${bad} invalid byte sequences`, { file: source });
  }
  return text;
}

function windows1252(b: Uint8Array, source: string): string {
  const t = fix1252(new TextDecoder('windows-1252').decode(b));
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
