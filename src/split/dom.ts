import { Parser } from 'htmlparser2';
import type { AnyNode, Document, Element } from 'domhandler';
import { DomHandler, isTag, isText } from 'domhandler';
import { getAttributeValue } from 'domutils';
import { BtlError } from '../errors';
import type { Block } from './blocks';

export type { AnyNode, Document, Element };

/** Deepest element nesting a page may have; real pages stay far below (tens of levels). */
export const MAX_HTML_DEPTH = 2000;

const PARSE_OPTIONS = { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true };

/**
 * A DOM builder that refuses to nest elements deeper than MAX_HTML_DEPTH. It stops the parse as
 * soon as the limit is crossed: htmlparser2's own open-element stack costs time linear in its
 * depth per tag, so a megabyte of unclosed tags would otherwise take minutes before any check.
 */
class BoundedHandler extends DomHandler {
  constructor(private readonly source: string) {
    super();
  }

  override onopentag(name: string, attribs: { [key: string]: string }): void {
    // tagStack holds the document root plus every open element.
    if (this.tagStack.length > MAX_HTML_DEPTH) {
      throw new BtlError('E_TOO_LARGE', `HTML nested deeper than ${MAX_HTML_DEPTH} elements`, { file: this.source });
    }
    super.onopentag(name, attribs);
  }
}

/** Parse HTML into a DOM. Throws BtlError E_TOO_LARGE (naming `source`) when elements nest deeper than MAX_HTML_DEPTH. */
export function parseHtml(html: string, source = '-'): Document {
  const handler = new BoundedHandler(source);
  new Parser(handler, PARSE_OPTIONS).end(html);
  return handler.root;
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
  // Iterative walk (explicit stack, no recursion) so that deeply nested markup cannot overflow the
  // call stack. An 'enter' frame visits a node; an 'exit' frame does what follows its children.
  type Frame =
    | { exit: false; node: AnyNode; inLink: boolean; level: number }
    | { exit: true; name: string; block: boolean; level: number };
  const stack: Frame[] = [];
  const pushChildren = (children: AnyNode[], inLink: boolean, level: number) => {
    for (let i = children.length - 1; i >= 0; i--) stack.push({ exit: false, node: children[i], inLink, level });
  };
  const roots = Array.isArray(root) ? root : [root];
  pushChildren(roots, false, 0);
  while (stack.length) {
    const f = stack.pop()!;
    if (f.exit) {
      if (f.block) {
        if (/^h[1-6]$/.test(f.name)) heading = true;
        flush();
        indent = f.level;
      } else if (f.name === 'td' || f.name === 'th' || f.name === 'span' || f.name === 'label') {
        buf += ' ';
      }
      continue;
    }
    const { node, inLink, level } = f;
    if (isText(node)) {
      buf += node.data;
      if (inLink) links += node.data.replace(/\s+/g, ' ').trim().length;
      continue;
    }
    if (!isTag(node)) {
      if ('children' in node) pushChildren((node as Document).children, inLink, level);
      continue;
    }
    const name = node.name;
    if (SKIP_ALWAYS.has(name)) continue;
    if ((opts.skip && opts.skip(node)) || isHidden(node)) {
      if (BLOCK.has(name)) flush();
      continue;
    }
    if (name === 'br') {
      flush();
      continue;
    }
    if (name === 'img') {
      continue;
    }
    const block = BLOCK.has(name);
    const lvl = opts.nest && opts.nest(node) ? level + 1 : level;
    if (block) {
      flush();
      indent = lvl;
      if (/^h[1-6]$/.test(name)) heading = true;
    }
    stack.push({ exit: true, name, block, level });
    pushChildren(node.children, inLink || name === 'a', lvl);
  }
  flush();
  return out;
}

function childrenOf(node: AnyNode): AnyNode[] | null {
  return 'children' in node ? (node as Document).children : null;
}

/** Every node under `nodes` in document order (pre-order), with an explicit stack instead of recursion. */
function* walk(nodes: AnyNode[] | AnyNode): Generator<AnyNode> {
  const stack: AnyNode[] = [];
  const list = Array.isArray(nodes) ? nodes : [nodes];
  for (let i = list.length - 1; i >= 0; i--) stack.push(list[i]);
  while (stack.length) {
    const node = stack.pop()!;
    yield node;
    const kids = childrenOf(node);
    if (kids) for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
}

/** First element passing `test` in document order, like domutils' findOne but iterative. */
export function findOne(test: (el: Element) => boolean, nodes: AnyNode[] | AnyNode): Element | null {
  for (const node of walk(nodes)) if (isTag(node) && test(node)) return node;
  return null;
}

/** Every element passing `test`, in document order, like domutils' findAll but iterative and linear. */
export function findAll(test: (el: Element) => boolean, nodes: AnyNode[] | AnyNode): Element[] {
  const out: Element[] = [];
  for (const node of walk(nodes)) if (isTag(node) && test(node)) out.push(node);
  return out;
}

/** Concatenated text of all text nodes under `node` (comments excluded), like domutils' textContent, iteratively. */
export function textContent(node: AnyNode | AnyNode[]): string {
  const parts: string[] = [];
  for (const n of walk(node)) if (isText(n)) parts.push(n.data);
  return parts.join('');
}
