import { findOne, parseHtml, renderBlocks } from './dom';

/**
 * A plain-text rendering of an HTML page, as a scraper's text dump would show it: every block of
 * visible text on its own line, blank lines between blocks, no markup, scripts or styles. Useful for
 * `btl split --format text` on dumps made this way, and for measuring the text splitter.
 * Throws BtlError E_TOO_LARGE (naming `source`) for markup nested deeper than MAX_HTML_DEPTH elements.
 */
export function htmlToText(html: string, source = '-'): string {
  const doc = parseHtml(html, source);
  const body = findOne((e) => e.name === 'body', doc.children) ?? doc;
  return renderBlocks(body).map((b) => b.text).join('\n\n') + '\n';
}
