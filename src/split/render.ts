import { parseHtml, renderBlocks } from './dom';
import { findOne } from 'domutils';

/**
 * A plain-text rendering of an HTML page, as a scraper's text dump would show it: every block of
 * visible text on its own line, blank lines between blocks, no markup, scripts or styles. Useful for
 * `btl split --format text` on dumps made this way, and for measuring the text splitter.
 */
export function htmlToText(html: string): string {
  const doc = parseHtml(html);
  const body = findOne((e) => e.name === 'body', doc.children) ?? doc;
  return renderBlocks(body).map((b) => b.text).join('\n\n') + '\n';
}
