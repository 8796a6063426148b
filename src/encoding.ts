/**
 * Byte-to-text decoding shared by the page reader (src/split) and the record reader (src/records):
 * byte-order marks, UTF-16 without a BOM, strict UTF-8, windows-1252. Each caller keeps its own
 * order of checks and errors (pages also look at a declared charset; records decode a stream).
 */

export type UnicodeEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** The encoding a byte-order mark names, and how many bytes the mark takes; null without one. */
export function bomEncoding(b: Uint8Array): { encoding: UnicodeEncoding; skip: number } | null {
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', skip: 3 };
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', skip: 2 };
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', skip: 2 };
  return null;
}

/**
 * UTF-16 without a BOM, from the first `sniffBytes` bytes: most of the even (BE) or odd (LE)
 * bytes are NUL while the others are not.
 */
export function sniffUtf16(b: Uint8Array, sniffBytes: number): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(b.length, sniffBytes) & ~1;
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

/**
 * The bytes as text when they are valid UTF-8, else null. With `cut`, a multi-byte character cut
 * off at the end is tolerated (for a prefix of a longer stream). A BOM is not stripped here.
 */
export function strictUtf8(b: Uint8Array, cut = false): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b, { stream: cut });
  } catch {
    return null;
  }
}

/** Unicode for windows-1252 bytes 0x80-0x9F (Node's TextDecoder maps them to C1 controls, as latin1). */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/**
 * Decode windows-1252 bytes (each byte one character; never fails). The five bytes windows-1252
 * leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) become the C1 controls U+0081 etc., as in WHATWG.
 */
export function decodeWindows1252(b: Uint8Array): string {
  const s = Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');
  if (!/[\x80-\x9f]/.test(s)) return s;
  return s.replace(/[\x80-\x9f]/g, (c) => String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80]));
}
