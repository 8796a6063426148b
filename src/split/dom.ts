import { parseDocument } from 'htmlparser2';
import type { AnyNode, Document, Element } from 'domhandler';
import { isTag, isText } from 'domhandler';
import { getAttributeValue } from 'domutils';
import type { Block } from './blocks';

export type { AnyNode, Document, Element };

export function parseHtml(html: string): Document {
  return parseDocument(html, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
}

/** id and class of an element, lower-cased, for the class/id cues. */
export function idClass(el: Element): string {
  return `${getAttributeValue(el, 'id') ?? ''} ${getAttributeValue(el, 'class') ?? ''}`.toLowerCase().trim();
}

export function attr(el: Element, name: string): string {
  return getAttributeValue(el, name) ?? '';
}

const SKIP_ALWAYS = new Set(['script', 'style', 'noscript', 'template', 'svg', 'iframe', 'object', 'embed', 'select', 'option', 'textarea', 'input', 'button', 'head', 'link', 'meta', 'canvas', 'map', 'audio', 'video']);

const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'center', 'dd', 'details', 'dialog', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'html', 'legend', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul', 'caption', 'frameset', 'frame', 'noframes', 'menu', 'dir',
]);

export interface RenderOptions {
  /** Return true to leave an element (and everything in it) out. */
  skip?: (el: Element) => boolean;
  /** Indentation added per nesting level of elements for which this returns true. */
  nest?: (el: Element) => boolean;
}

/** Not shown to a reader: the `hidden` attribute or an inline display:none / visibility:hidden. */
export function isHidden(el: Element): boolean {
  if (el.attribs.hidden !== undefined || el.attribs['aria-hidden'] === 'true') return true;
  const style = el.attribs.style;
  return !!style && /(display\s*:\s*none|visibility\s*:\s*hidden)/i.test(style);
}

/** Render a subtree as text blocks: one block per block-level element run, links counted. */
export function renderBlocks(root: AnyNode | AnyNode[], opts: RenderOptions = {}): Block[] {
  const out: Block[] = [];
  let buf = '';
  let links = 0;
  let heading = false;
  let indent = 0;
  const flush = () => {
    const text = buf.replace(/[\s\u00a0\u200b]+/g, ' ').trim();
    if (text) out.push({ text, gap: out.length ? 1 : 0, indent, linkChars: Math.min(links, text.length), heading });
    buf = '';
    links = 0;
    heading = false;
  };
  const walk = (node: AnyNode, inLink: boolean, level: number) => {
    if (isText(node)) {
      buf += node.data;
      if (inLink) links += node.data.replace(/\s+/g, ' ').trim().length;
      return;
    }
    if (!isTag(node)) {
      if ('children' in node) for (const c of (node as Document).children) walk(c, inLink, level);
      return;
    }
    const name = node.name;
    if (SKIP_ALWAYS.has(name)) return;
    if ((opts.skip && opts.skip(node)) || isHidden(node)) {
      if (BLOCK.has(name)) flush();
      return;
    }
    if (name === 'br') {
      flush();
      return;
    }
    if (name === 'img') {
      return;
    }
    const block = BLOCK.has(name);
    const lvl = opts.nest && opts.nest(node) ? level + 1 : level;
    if (block) {
      flush();
      indent = lvl;
      if (/^h[1-6]$/.test(name)) heading = true;
    }
    for (const c of node.children) walk(c, inLink || name === 'a', lvl);
    if (block) {
      if (/^h[1-6]$/.test(name)) heading = true;
      flush();
      indent = level;
    } else if (name === 'td' || name === 'th' || name === 'span' || name === 'label') {
      buf += ' ';
    }
  };
  for (const n of Array.isArray(root) ? root : [root]) walk(n, false, 0);
  flush();
  return out;
}
