import { isTag } from 'domhandler';
import type { PageComment, SplitPage } from './types';
import type { Block } from './blocks';
import { attr, findAll, findOne, idClass, parseHtml, renderBlocks, textContent, type AnyNode, type Document, type Element } from './dom';
import { pickBody } from './body';
import { splitBlocks } from './text';
import { isCrumb, isFormLine, isNoCommentNotice, isTimeLine, isCommentHeading, splitAuthorLine } from './cues';
import { parseComments } from './comments';

/** Comment-section containers by id or class: WordPress, Disqus, generic "comments" areas. */
const REGION = /(^|[\s_-])(comments?|commentlist|comment-?list|comments?-?(area|section|wrap|wrapper|container|list|block|box|thread|holder|content|body|main|panel|module|stream|root|widget)|disqus_thread|dsq-content|discussion|reader-?comments|user-?comments|talkback|responses)([\s_]|$)/i;
/** Comment-related classes that are not the comments themselves: forms, counters, links. */
const NOT_REGION = /(comment|reply)[-_]?(form|respond|reply-title|count|counts|counter|link|links|num|number|icon|bubble|button|btn|tab|rss|feed|policy|guidelines|closed|nav|navigation|pagination|meta|author|date|time|share|tools|login|notice|status|disabled)|no-?comments?|commentform|comment-?respond|add-?comment|post-?comment|write-?comment|leave-?comment|comments?-?(link|count|number|num|icon|closed|off|disabled|rss)|respond/i;
/** Elements that are chrome, not article: navigation, sharing, related lists, newsletter prompts, ads, captions, bios. */
const CHROME = /(^|[\s_-])(nav|navbar|navigation|menu|menus|breadcrumbs?|sidebar|side-bar|widget|widgets|footer|site-footer|masthead|site-header|topbar|top-bar|share|sharing|sharedaddy|social|socials|sociable|addthis|share-?buttons|related|related-?posts|yarpp|jp-relatedposts|newsletter|subscribe|subscription|signup|promo|advert|advertisement|ads|ad-?slot|ad-?container|banner|sponsor|sponsored|outbrain|taboola|popular|most-?read|trending|author-?bio|author-?box|about-?author|byline-?bio|wp-caption-text|caption|credit|cookie|tags|tag-?list|post-?tags|categories|pagination|pager|print|login|search|skip-?link|screen-?reader-?text|hidden|sr-only)([\s_-]|$)/i;

function isRegion(el: Element): boolean {
  const ic = idClass(el);
  if (!ic || !REGION.test(ic) || NOT_REGION.test(ic)) return false;
  return true;
}

function isItemMarked(el: Element): boolean {
  const type = attr(el, 'itemtype');
  if (/schema\.org\/(Comment|UserComments)$/i.test(type)) return true;
  if (/^comment$/i.test(attr(el, 'itemprop'))) return true;
  const id = attr(el, 'id');
  if (/^(comment|li-comment|div-comment|comment-item|dsq-comment|post|reply|cmt|c)[-_]?\d+$/i.test(id)) return true;
  const cls = attr(el, 'class').toLowerCase().split(/\s+/);
  return cls.some((c) => /^(comment|comments-item|comment-item|commentitem|comment_item|comment-entry|single-comment|comment-wrap|comment-container|dsq-comment|js-comment|c-comment|post|reply|cmt)$/.test(c));
}

/** Item markup that means "a comment" even outside a comments container. */
function isStrongItem(el: Element): boolean {
  return /schema\.org\/Comment$/i.test(attr(el, 'itemtype')) || /^comment$/i.test(attr(el, 'itemprop')) || /^(li-)?comment-\d+$/i.test(attr(el, 'id'));
}

function isListish(el: Element): boolean {
  return el.name === 'ol' || el.name === 'ul' || /(^|[\s_-])(children|replies|reply-?list|sub-?comments?|nested|comment-?replies|thread-?children)([\s_-]|$)/i.test(idClass(el));
}

function ancestors(el: AnyNode, stop: AnyNode | null): Element[] {
  const out: Element[] = [];
  let p = el.parent;
  while (p && p !== stop && isTag(p)) {
    out.push(p);
    p = p.parent;
  }
  return out;
}

function contains(a: AnyNode, b: AnyNode): boolean {
  let p: AnyNode | null = b.parent;
  while (p) {
    if (p === a) return true;
    p = p.parent;
  }
  return false;
}

interface Item {
  el: Element;
  depth: number;
}

/** Comment items in a region, nested replies given depth, wrapper-in-wrapper duplicates merged. */
function commentItems(region: Element): Item[] {
  const marked = findAll((e) => e !== region && isItemMarked(e), region.children);
  const items: Item[] = [];
  const depthOf = new Map<Element, number>();
  for (const el of marked) {
    // the nearest real item containing this one
    const anc = ancestors(el, region);
    const parentItem = anc.find((a) => depthOf.has(a));
    if (!parentItem) {
      if (items.some((it) => contains(it.el, el))) continue;
      depthOf.set(el, 0);
      items.push({ el, depth: 0 });
      continue;
    }
    const between = anc.slice(0, anc.indexOf(parentItem));
    if (between.some(isListish)) {
      const d = (depthOf.get(parentItem) ?? 0) + 1;
      depthOf.set(el, d);
      items.push({ el, depth: d });
    }
    // else: a wrapper inside the same comment (li.comment > article.comment-body)
  }
  // keep only items with some text of their own
  return items;
}

const AUTHOR_CLASS = /(^|[\s_-])(comment-?author|author|authorname|author-?name|fn|username|user-?name|nickname|nick|commenter|commenter-?name|comment-?user|poster|name|dsq-commenter|publisher-anchor-color|user)([\s_-]|$)/i;
const TIME_CLASS = /(^|[\s_-])(date|time|timestamp|published|time-?ago|comment-?date|comment-?time|datetime|posted|post-?date|when)([\s_-]|$)/i;
const TEXT_CLASS = /(^|[\s_-])(comment-?content|comment-?text|comment-?body-?text|commenttext|comment-?message|post-?message|message|comment-?entry|text|content|body)([\s_-]|$)/i;
const ITEM_CHROME = /(^|[\s_-])(reply|comment-?reply-?link|actions?|comment-?actions|tools|controls|vote|votes|voting|rating|like|likes|share|flag|report|avatar|comment-?avatar|photo|badge|comment-?footer|links|permalink|edit-?link|says|moderation|meta-?links)([\s_-]|$)/i;

function nodeText(n: AnyNode): string {
  return textContent(n).replace(/[\s\u00a0]+/g, ' ').trim();
}

function extractComment(item: Item, nested: Set<Element>): PageComment | null {
  const el = item.el;
  const inOwn = (n: Element) => !ancestors(n, el).some((a) => nested.has(a)) && !nested.has(n);
  let author: string | null = null;
  let authorEl: Element | null = null;
  const byProp = findOne((e) => inOwn(e) && /^(author|creator)$/i.test(attr(e, 'itemprop')), el.children);
  if (byProp) {
    const nm = findOne((e) => /^name$/i.test(attr(e, 'itemprop')), byProp.children);
    authorEl = byProp;
    author = nodeText(nm ?? byProp);
  }
  if (!author) {
    const cands = findAll((e) => inOwn(e) && AUTHOR_CLASS.test(idClass(e)) && !TEXT_CLASS.test(idClass(e).replace(/author/g, '')), el.children);
    for (const c of cands) {
      // prefer the innermost name-like node (cite.fn inside div.comment-author)
      const inner = findOne((e) => /(^|\s)(fn|url|name|username)(\s|$)/i.test(idClass(e)), c.children) ?? c;
      const t = nodeText(inner).replace(/\s*(says|said|wrote)\s*:?\s*$/i, '');
      if (t && t.length <= 80) {
        author = t;
        authorEl = c;
        break;
      }
    }
  }
  let time: string | null = null;
  let timeEl: Element | null = null;
  const timeTag = findOne((e) => inOwn(e) && (e.name === 'time' || /^(datecreated|datepublished|commenttime|datemodified)$/i.test(attr(e, 'itemprop'))), el.children);
  if (timeTag && nodeText(timeTag)) {
    time = nodeText(timeTag);
    timeEl = timeTag;
  } else {
    const tc = findOne((e) => inOwn(e) && e !== authorEl && TIME_CLASS.test(idClass(e)) && nodeText(e).length > 0 && nodeText(e).length <= 80, el.children);
    if (tc) {
      time = nodeText(tc);
      timeEl = tc;
    }
  }
  if (authorEl && timeEl && contains(authorEl, timeEl)) {
    // "Jane on March 3, 2021 at 6:14 pm" in one node
    const a = splitAuthorLine(nodeText(authorEl));
    if (a) author = a.author;
  }
  const textEl = findOne((e) => inOwn(e) && (/^(text|commenttext|description)$/i.test(attr(e, 'itemprop')) || (TEXT_CLASS.test(idClass(e)) && !AUTHOR_CLASS.test(idClass(e)) && !TIME_CLASS.test(idClass(e)))), el.children);
  const skip = (e: Element) =>
    nested.has(e) || e === authorEl || e === timeEl || (e !== textEl && ITEM_CHROME.test(idClass(e)) && !(textEl && contains(e, textEl))) || e.name === 'form';
  let blocks = renderBlocks(textEl && nodeText(textEl) ? textEl : el, { skip });
  blocks = blocks.filter((b) => !isCrumb(b.text) && !isFormLine(b.text) && !(author && b.text === author) && !(time && b.text === time));
  if (!textEl) {
    // meta lines left in a bare item: a time line, "Jane says:"
    blocks = blocks.filter((b) => {
      if (isTimeLine(b.text)) {
        time = time ?? b.text;
        return false;
      }
      const a = splitAuthorLine(b.text);
      if (a && !author) {
        author = a.author;
        time = time ?? a.time;
        return false;
      }
      return true;
    });
  }
  const text = blocks.map((b) => b.text).join('\n\n').trim();
  if (!text) return null;
  return { author: author || null, time: time || null, depth: item.depth, text };
}

/** The page title: og:title, else <title> without the site-name suffix, checked against an h1. */
function pageTitle(doc: Document): string | null {
  const og = findOne((e) => e.name === 'meta' && /^(og:title|twitter:title)$/i.test(attr(e, 'property') || attr(e, 'name')), doc.children);
  const h1 = findOne((e) => e.name === 'h1', doc.children);
  const tEl = findOne((e) => e.name === 'title', doc.children);
  const t = og ? attr(og, 'content').trim() : tEl ? nodeText(tEl) : '';
  const h = h1 ? nodeText(h1) : '';
  if (h && t && t.toLowerCase().includes(h.toLowerCase())) return h;
  if (t) return t.split(/\s+[|–—·»:-]\s+/).sort((a, b) => b.length - a.length)[0] || null;
  return h || null;
}

/** Split an HTML page: comments from comment markup, body by block scoring on the rest. */
export function splitHtml(html: string, source: string): SplitPage {
  const doc = parseHtml(html, source);
  const title = pageTitle(doc);
  const candidates = findAll((e) => isRegion(e) && !findOne((x) => x.name === 'h1' || /articlebody/i.test(attr(x, 'itemprop')), e.children), doc.children);
  const regions = candidates.filter((e) => !candidates.some((o) => o !== e && contains(o, e)));
  // comment items marked up outside any comments container (schema.org Comment, id="comment-12"): their parent is the region
  const strays = findAll((e) => isStrongItem(e) && !regions.some((r) => contains(r, e)), doc.children);
  for (const e of strays) {
    const parent = e.parent;
    if (parent && isTag(parent) && !strays.some((o) => o !== e && contains(o, e)) && !regions.includes(parent)) regions.push(parent);
  }
  const comments: PageComment[] = [];
  const regionSet = new Set<Element>();
  for (const region of regions) {
    const items = commentItems(region);
    const nested = new Set(items.map((i) => i.el));
    let found: PageComment[] = [];
    if (items.length) {
      for (const it of items) {
        const others = new Set([...nested].filter((n) => n !== it.el && contains(it.el, n)));
        const c = extractComment(it, others);
        if (c) found.push(c);
      }
    } else {
      // no item markup: read the region as text, with the text splitter's cues
      const blocks = renderBlocks(region, { skip: (e) => e.name === 'form' || /comment-?form|commentform|respond|reply-title|comment-?policy/i.test(idClass(e)) });
      const start = blocks.findIndex((b) => !isCommentHeading(b.text) && !isFormLine(b.text) && !isNoCommentNotice(b.text));
      if (!blocks.some((b) => isNoCommentNotice(b.text)) || blocks.length > 4) found = start >= 0 ? parseComments(blocks.slice(start)) : [];
    }
    // a region that yields nothing stays in the page, for the text cues to read
    if (found.length) regionSet.add(region);
    comments.push(...found);
  }
  const bodyDom = findOne((e) => e.name === 'body', doc.children) ?? doc;
  const total = textContent(bodyDom).length;
  // chrome by class/id, unless it holds the article (Blogger's "blog1 widget" wraps the posts)
  const isChrome = (e: Element) =>
    CHROME.test(idClass(e)) &&
    !/article|content|post|entry|story|main/i.test(idClass(e).replace(CHROME, '')) &&
    !findOne((x) => x.name === 'article' || /articlebody/i.test(attr(x, 'itemprop')) || /(^|\s)(entry-content|post-body|article-body|story-body)(\s|$)/i.test(idClass(x)), e.children) &&
    textContent(e).length < total * 0.4;
  const skipChrome = (e: Element) =>
    regionSet.has(e) || e.name === 'nav' || e.name === 'figcaption' || (e.name === 'aside' && textContent(e).length < total * 0.4) || isChrome(e) || (e.name === 'form' && /comment|reply|respond|search|subscribe|newsletter|login/i.test(idClass(e)));
  const blocks: Block[] = renderBlocks(bodyDom, { skip: skipChrome });
  if (regions.length === 0 || comments.length === 0) {
    // no comment markup: the page's text cues decide (headings, author/time runs)
    const page = splitBlocks(blocks, source, title, true);
    if (comments.length === 0 || page.comments.length) return page;
  }
  const pick = pickBody(blocks, title, true);
  return { source, title: pick.title, body: pick.keep.map((i) => blocks[i].text).join('\n\n'), comments };
}
