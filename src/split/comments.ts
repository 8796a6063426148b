import type { PageComment } from './types';
import type { Block } from './blocks';
import {
  endsSentence,
  headingCount,
  isBoilerplate,
  isCommentHeading,
  isCrumb,
  isFormLine,
  isNameLike,
  isNoCommentNotice,
  isTimeLine,
  splitAuthorLine,
  wordCount,
} from './cues';

type Kind = 'heading' | 'notice' | 'form' | 'crumb' | 'time' | 'author' | 'name' | 'boiler' | 'text';

interface Item {
  kind: Kind;
  /** A comment count inside a longer line ("{ 141 comments… read them below }"). */
  weak?: boolean;
  block: Block;
  author?: string;
  time?: string | null;
}

function classify(b: Block): Item {
  const t = b.text;
  if (isCommentHeading(t)) return { kind: 'heading', block: b };
  if (isWeakHeading(t)) return { kind: 'heading', block: b, weak: true };
  if (isNoCommentNotice(t)) return { kind: 'notice', block: b };
  if (isFormLine(t)) return { kind: 'form', block: b };
  if (isCrumb(t)) return { kind: 'crumb', block: b };
  if (isTimeLine(t)) return { kind: 'time', block: b, time: t };
  const a = splitAuthorLine(t);
  if (a) return { kind: 'author', block: b, author: a.author, time: a.time };
  if (isBoilerplate(t)) return { kind: 'boiler', block: b };
  if (isNameLike(t)) return { kind: 'name', block: b };
  return { kind: 'text', block: b };
}

/** Crumbs such as "Reply" or "Like (12)" that close a comment: the next text starts a new one. */
export interface CommentStart {
  /** Index of the first block of the comment section (the heading or the first comment). */
  index: number;
  /** Why: a heading, or a run of author/time/text. */
  cue: 'heading' | 'run';
  /** True when the page says it has no comments (a 0-count heading or a notice). */
  none: boolean;
}

/** Index where the reader-comment section starts, from the page's own cues, or null. */
export function findCommentStart(blocks: Block[]): CommentStart | null {
  const items = blocks.map(classify);
  // 1. a heading ("12 Comments", "Readers' comments", "Discussion (3)"), confirmed by comment-like lines after it
  let wordsBefore = 0;
  let fallback: CommentStart | null = null;
  for (let i = 1; i < items.length; i++) {
    const kind = items[i].kind;
    if (kind === 'text') wordsBefore += wordCount(items[i].block.text);
    const weak = items[i].weak === true;
    if (kind !== 'heading') continue;
    const n = headingCount(items[i].block.text);
    const after = items.slice(i + 1, i + 16);
    const evidence = after.filter((x) => x.kind === 'author' || x.kind === 'time' || x.kind === 'crumb').length;
    if (n === 0 || (after.length && after.slice(0, 6).every((x) => x.kind === 'notice' || x.kind === 'form' || x.kind === 'boiler' || x.kind === 'crumb' || x.kind === 'heading'))) {
      if (wordsBefore >= 30 && !fallback) fallback = { index: i, cue: 'heading', none: true };
      continue;
    }
    if (evidence >= 2 || (evidence >= 1 && !weak)) {
      if (wordsBefore >= 30 || !items.slice(i + 1).some((x) => x.kind === 'heading')) return { index: i, cue: 'heading', none: false };
    } else if (!weak && wordsBefore >= 30 && after.some((x) => x.kind === 'text' || x.kind === 'name')) {
      fallback = fallback ?? { index: i, cue: 'heading', none: false };
    }
  }
  if (fallback && !fallback.none) return fallback;
  // 2. a run of author / time / text units reaching to the end of the page
  const run = findRun(items);
  if (run !== null) return { index: run, cue: 'run', none: false };
  if (fallback) return fallback;
  for (let i = 1; i < items.length; i++) if (items[i].kind === 'notice') return { index: i, cue: 'heading', none: true };
  return null;
}

/** "{ 141 comments… read them below or add one }", "Posted in X | 12 Comments": a count of comments in a short line. */
function isWeakHeading(t: string): boolean {
  return t.length <= 100 && /\b\d[\d,]*\s+((users?|people|readers?)\s+(responded|commented|replied)|comments?|responses?|replies)\b/i.test(t) && wordCount(t) <= 14;
}

/** First comment unit start: a name or author line followed by a time line or text. */
function unitAt(items: Item[], i: number): { end: number; evidence: number } | null {
  const it = items[i];
  if (!it) return null;
  let j = i;
  let evidence = 0;
  if (it.kind === 'author') {
    evidence += 2;
    j++;
    if (items[j]?.kind === 'time') j++;
  } else if (it.kind === 'name') {
    j++;
    if (items[j]?.kind === 'time') {
      evidence += 2;
      j++;
    } else if (items[j] && items[j].block.gap > 1) return null;
  } else if (it.kind === 'time') {
    evidence += 1;
    j++;
    if (items[j]?.kind === 'name' || items[j]?.kind === 'author') j++;
  } else return null;
  if (items[j]?.kind !== 'text' && items[j]?.kind !== 'name') return null;
  let k = j;
  while (items[k] && items[k].kind === 'text') {
    if (k > j && items[k].block.gap > 1 && it.kind === 'name') break;
    k++;
  }
  while (items[k] && items[k].kind === 'crumb') {
    evidence += 1;
    k++;
  }
  return { end: k, evidence };
}

function findRun(items: Item[]): number | null {
  // article words before each block, and long text blocks after it
  const wordsBefore: number[] = [0];
  for (const x of items) wordsBefore.push(wordsBefore[wordsBefore.length - 1] + (x.kind === 'text' ? wordCount(x.block.text) : 0));
  const longAfter: number[] = new Array(items.length + 1).fill(0);
  for (let k = items.length - 1; k >= 0; k--) longAfter[k] = longAfter[k + 1] + (items[k].kind === 'text' && wordCount(items[k].block.text) >= 8 ? 1 : 0);
  for (let i = 1; i < items.length; i++) {
    if (items[i].kind !== 'name' && items[i].kind !== 'author' && items[i].kind !== 'time') continue;
    let j = i;
    let units = 0;
    let evidence = 0;
    const names = new Map<string, number>();
    let doubleGaps = 0;
    let conversational = 0;
    while (j < items.length) {
      const u = unitAt(items, j);
      if (u) {
        units++;
        evidence += u.evidence;
        const nm = items[j].block.text.toLowerCase();
        names.set(nm, (names.get(nm) ?? 0) + 1);
        if (items[j].block.gap >= 2 && items[j + 1]?.block.gap === 1) doubleGaps++;
        for (let k = j; k < u.end; k++) if (items[k].kind === 'text' && /\b(i|i'm|i’m|you|your|we|my)\b|[?!]|\.\.\.|…/i.test(items[k].block.text)) { conversational++; break; }
        j = u.end;
        continue;
      }
      // an author-less comment in the seeds' shape: a text block after two blank lines
      if (units > 0 && items[j].kind === 'text' && items[j].block.gap >= 2) {
        j++;
        while (items[j] && items[j].kind === 'text' && items[j].block.gap <= 1) j++;
        continue;
      }
      if (items[j].kind === 'crumb') {
        j++;
        continue;
      }
      break;
    }
    if (units < 3) continue;
    // comments follow an article: a run that starts before any article text is the article itself
    if (wordsBefore[i] < 40) continue;
    // the run must reach the end of the page, give or take forms and footer lines
    if (longAfter[j] > 1) {
      i = Math.max(i, j - 1); // a later start inside this run ends at the same place
      continue;
    }
    const repeated = [...names.values()].some((n) => n > 1);
    const strong = evidence >= units || (doubleGaps >= units * 0.6 && (repeated || conversational >= units * 0.5)) || (repeated && conversational >= units * 0.5);
    if (strong) return i;
  }
  return null;
}

/**
 * Comments from the blocks of a comment section. A comment starts at an author line (a name
 * followed by a time line or text, or "Jane says:"), at a time line after text, after a crumb
 * ("Reply"), or after two blank lines; author-less comments are text blocks in that position.
 */
export function parseComments(blocks: Block[]): PageComment[] {
  const items = blocks.map(classify);
  const out: PageComment[] = [];
  let cur: { author: string | null; time: string | null; text: string[]; indent: number } | null = null;
  const minIndent = Math.min(...blocks.map((b) => b.indent), Infinity);
  const indentUnit = guessIndentUnit(blocks.map((b) => b.indent - minIndent));
  // comments that come after a form, a new heading or footer lines, once some comments were found
  const afterClose = new Set<PageComment>();
  let closed = false;
  const close = () => {
    if (cur && cur.text.length) {
      const c = { author: cur.author, time: cur.time, depth: Math.round((cur.indent - minIndent) / indentUnit), text: cur.text.join('\n\n') };
      out.push(c);
      if (closed) afterClose.add(c);
    }
    cur = null;
  };
  let boundary = true; // at the start of a new comment unit
  let timeFirst: boolean | null = null; // does a comment's time come before its text?
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    const b = it.block;
    if (b.gap >= 2) boundary = true;
    switch (it.kind) {
      case 'heading':
      case 'notice':
      case 'form':
      case 'boiler':
        if (cur && (cur as { text: string[] }).text.length) close();
        if (out.length) closed = true;
        boundary = true;
        break;
      case 'crumb':
        close();
        boundary = true;
        break;
      case 'author':
        close();
        cur = { author: it.author ?? null, time: it.time ?? null, text: [], indent: b.indent };
        boundary = false;
        break;
      case 'time': {
        const c = cur as { text: string[]; time: string | null; author: string | null } | null;
        const nx = items[i + 1];
        if (timeFirst === null) timeFirst = !c || (!c.text.length && !c.author);
        if (c && !c.text.length && !c.time) c.time = it.time ?? b.text;
        else if (c && c.text.length && !c.time && !timeFirst && (!nx || nx.kind === 'author' || nx.kind === 'crumb' || nx.kind === 'form' || nx.kind === 'heading' || nx.kind === 'boiler' || nx.block.gap >= 2)) {
          // Blogger-style "Jane said... / text / time": the time closes the comment
          c.time = it.time ?? b.text;
          boundary = true;
          break;
        }
        else {
          close();
          cur = { author: null, time: it.time ?? b.text, text: [], indent: b.indent };
        }
        // "time, then name" layouts
        if (nx && (nx.kind === 'name' || nx.kind === 'author') && items[i + 2] && items[i + 2].kind === 'text' && cur) {
          (cur as { author: string | null }).author = nx.author ?? nx.block.text;
          i++;
        }
        boundary = false;
        break;
      }
      case 'name': {
        const next = items[i + 1];
        const c = cur as { text: string[] } | null;
        const startsUnit = boundary || !c || c.text.length > 0;
        const nextOk = next && (next.kind === 'time' || ((next.kind === 'text' || next.kind === 'name') && next.block.gap <= 1));
        if (startsUnit && nextOk && (boundary || next.kind === 'time' || (c !== null && c.text.length > 0 && endsSentence(c.text[c.text.length - 1]) === true) || b.heading)) {
          close();
          cur = { author: b.text, time: null, text: [], indent: b.indent };
          boundary = false;
          break;
        }
        // otherwise a short comment line
        if (boundary) close();
        if (!cur) cur = { author: null, time: null, text: [], indent: b.indent };
        (cur as { text: string[] }).text.push(b.text);
        boundary = false;
        break;
      }
      case 'text':
        if (boundary) close();
        if (!cur) cur = { author: null, time: null, text: [], indent: b.indent };
        (cur as { text: string[] }).text.push(b.text);
        boundary = false;
        break;
    }
  }
  close();
  // In a section where comments show an author or a time, text after the form or footer that shows
  // neither is the rest of the page (sidebars, widgets), not comments.
  // a section where comments carry times ends with the last timed comment
  const timed = out.filter((c) => c.time !== null).length;
  if (out.length >= 3 && timed >= out.length * 0.6) {
    let last = out.length - 1;
    while (last >= 0 && out[last].time === null) last--;
    out.splice(last + 1);
  }
  if (!afterClose.size) return out;
  const kept = out.filter((c) => !afterClose.has(c));
  if (kept.length && kept.filter((c) => c.time !== null).length >= kept.length * 0.6) {
    return out.filter((c) => !afterClose.has(c) || c.time !== null);
  }
  const structured = out.filter((c) => c.author !== null || c.time !== null).length;
  if (structured >= Math.max(1, out.length / 2)) {
    return out.filter((c) => !afterClose.has(c) || c.author !== null || c.time !== null);
  }
  return out;
}

function guessIndentUnit(indents: number[]): number {
  const pos = indents.filter((n) => n > 0);
  if (!pos.length) return 1;
  return Math.max(1, Math.min(...pos));
}

/** Where the comment section ends: a run of footer lines (copyright, navigation) after it. */
export function commentSectionEnd(blocks: Block[], from: number): number {
  for (let i = from; i < blocks.length; i++) {
    const t = blocks[i].text;
    if (/^(©|\(c\)|copyright\b)/i.test(t) || /all rights reserved/i.test(t)) return i;
    if (/^(related|related (posts|articles|stories)|you (may|might) (also )?like|more (stories|news)|recommended( for you)?|most (read|popular)|popular (posts|stories)|trending( now)?)\s*:?$/i.test(t)) return i;
  }
  return blocks.length;
}
