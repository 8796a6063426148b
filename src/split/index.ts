import { stat, readFile } from 'node:fs/promises';
import { BtlError } from '../errors';
import type { PageFormat, SplitPage } from './types';
import { decodePage, MAX_PAGE_BYTES } from './decode';
import { splitText } from './text';
import { splitHtml } from './html';

export * from './types';
export { decodePage, declaredCharset, MAX_PAGE_BYTES, type Decoded } from './decode';
export { splitText } from './text';
export { splitHtml } from './html';
export { htmlToText } from './render';
export { MAX_HTML_DEPTH } from './dom';

export interface SplitOptions {
  format?: PageFormat;
  /** Name used in errors and in the result's `source` (default "-"). */
  source?: string;
}

/** True when the text looks like an HTML document rather than a plain-text dump. */
export function looksLikeHtml(text: string, source = ''): boolean {
  if (/\.x?html?$/i.test(source)) return true;
  const head = text.slice(0, 4096).replace(/^\ufeff/, '');
  if (/^\s*(<!--[\s\S]*?-->\s*)*<(!doctype\s+html|html|head|body|meta|\?xml)\b/i.test(head)) return true;
  const tags = (text.slice(0, 65536).match(/<\/?(p|div|br|span|a|li|h[1-6]|table|td|article|section)\b[^>]*>/gi) ?? []).length;
  return tags >= 10;
}

/** Split one page (text or bytes) into title, body and reader comments. */
export function split(input: string | Buffer, opts: SplitOptions = {}): SplitPage {
  const source = opts.source ?? '-';
  let text: string;
  if (typeof input === 'string') {
    if (Buffer.byteLength(input) > MAX_PAGE_BYTES) throw new BtlError('E_TOO_LARGE', `page is over the ${MAX_PAGE_BYTES / 1024 / 1024} MB limit`, { file: source });
    if (input.trim() === '') throw new BtlError('E_EMPTY', 'empty page', { file: source });
    text = input.replace(/^\ufeff/, '');
  } else {
    text = decodePage(input, source).text;
  }
  const format = opts.format ?? 'auto';
  const html = format === 'html' || (format === 'auto' && looksLikeHtml(text, source));
  return html ? splitHtml(text, source) : splitText(text, source);
}

/** Read and split a page file. Throws BtlError naming the file for missing, folder, empty, binary, undecodable or oversized input. */
export async function splitFile(path: string, opts: Omit<SplitOptions, 'source'> & { source?: string } = {}): Promise<SplitPage> {
  const source = opts.source ?? path;
  let st;
  try {
    st = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new BtlError('E_NOT_FOUND', 'no such file', { file: source });
    throw new BtlError('E_IO', `cannot read: ${(err as Error).message}`, { file: source });
  }
  if (st.isDirectory()) throw new BtlError('E_IS_DIR', 'is a folder, not a page file', { file: source });
  if (st.size > MAX_PAGE_BYTES) throw new BtlError('E_TOO_LARGE', `page is ${(st.size / 1024 / 1024).toFixed(0)} MB, over the ${MAX_PAGE_BYTES / 1024 / 1024} MB limit`, { file: source });
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new BtlError('E_IO', `cannot read: ${(err as Error).message}`, { file: source });
  }
  return split(bytes, { ...opts, source });
}
