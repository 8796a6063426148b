import type { Block } from './blocks';
import { endsSentence, isBoilerplate, isCommentHeading, isCrumb, isFormLine, isNoCommentNotice, isTimeLine, wordCount } from './cues';

/** Lines that are never article text wherever they stand. */
export function isNonArticle(text: string): boolean {
  return isBoilerplate(text) || isFormLine(text) || isNoCommentNotice(text) || isCommentHeading(text) || isCrumb(text);
}

const BIO = /^[\p{Lu}][\p{L}.'’-]+( [\p{Lu}][\p{L}.'’-]+){0,2} (is|was|has been|writes|covers) (a|an|the|our)?\s?.{0,80}\b(writer|journalist|reporter|editor|correspondent|author|columnist|blogger|contributor|freelancer|analyst|student|researcher)\b/u;

/** Headings that open a list after the article (related posts, recent comments, popular): the article never runs past them. */
const TERMINAL = /^(related|related (posts|articles|stories|content|links|news|topics|coverage|reading)|recent(ly)? (comments|posts|articles|entries|stories|in\b.*)|recent|more (from|on|in|stories|news|articles)\b.*|you (may|might) (also )?(like|enjoy|be interested in)|recommended( for you| reading| stories)?|read (more|also|next)|see also|also read|popular( posts| stories| articles)?|most (read|popular|viewed|shared|commented)|trending( now)?|latest (news|posts|stories|articles)|further reading|from around the web|sponsored( content| links| stories)?|promoted( stories)?|around the web|elsewhere|archives?|categories|tags|blogroll|links|about me|about the author|follow us)\s*:?$/i;

function score(b: Block, html: boolean): number {
  const w = wordCount(b.text);
  if (TERMINAL.test(b.text)) return -1000;
  if (isNonArticle(b.text)) return -3;
  const ld = b.text.length ? b.linkChars / b.text.length : 0;
  if (ld > 0.5) return -(2 + w * 0.5);
  const content = w * (1 - ld);
  if (w >= 15) return content;
  if (w >= 8 && endsSentence(b.text)) return content * 0.8;
  if (w >= 8) return content * 0.3;
  if (b.heading) return -0.5;
  // in HTML a short line without links (a list item, a subheading) is cheap; in a text dump it may be navigation
  if (html && b.linkChars === 0) return -1;
  return -1.5;
}

export interface BodyPick {
  title: string | null;
  /** Indexes of the blocks kept as body, in order. */
  keep: number[];
}

/**
 * The article body: the contiguous run of blocks with the most article-like text (maximum-sum
 * subarray over per-block scores: long sentence blocks gain, short and link-heavy lines cost), minus
 * the boilerplate lines inside it; the title is the heading just before it.
 */
export function pickBody(blocks: Block[], titleHint: string | null = null, html = false): BodyPick {
  const scores = blocks.map((b) => score(b, html));
  let best = 0;
  let bestA = -1;
  let bestB = -1;
  let sum = 0;
  let a = 0;
  for (let i = 0; i < scores.length; i++) {
    if (sum <= 0) {
      sum = 0;
      a = i;
    }
    sum += scores[i];
    if (sum > best) {
      best = sum;
      bestA = a;
      bestB = i;
    }
  }
  if (bestA < 0) return { title: titleHint ?? firstTitleLike(blocks, blocks.length), keep: [] };

  // Short heading/date/byline lines right above the first paragraph belong to the article.
  let start = bestA;
  while (start > 0 && bestA - start < 3) {
    const prev = blocks[start - 1];
    if (isNonArticle(prev.text) || wordCount(prev.text) > 30 || (prev.linkChars > prev.text.length * 0.5 && !prev.heading)) break;
    if (!(prev.heading || isTimeLine(prev.text) || /^(by|posted|published|first published|updated)\b/i.test(prev.text) || /\d{4}/.test(prev.text) || wordCount(prev.text) >= 3)) break;
    start--;
  }
  // the heading closest above the article is its title (a post title under a site-wide h1)
  let title = titleHint;
  let titleIdx = -1;
  for (let i = bestA; i >= Math.max(0, bestA - 6); i--) {
    const b = blocks[i];
    if (b.heading && titleLike(b.text) && b.linkChars <= b.text.length * 0.9) {
      title = b.text;
      if (i < start) start = i + 1;
      titleIdx = i;
      break;
    }
  }
  if (titleIdx < 0 && title !== null) {
    for (let i = start; i <= bestA && i < blocks.length; i++) if (sameText(blocks[i].text, title)) titleIdx = i;
  }
  if (titleIdx < 0 && title === null) {
    // a text dump: the title-like line closest above the first paragraph (a site name may come before it)
    for (let i = bestA; i >= start; i--) {
      if (titleLike(blocks[i].text) && i < bestA) {
        title = blocks[i].text;
        titleIdx = i;
        break;
      }
    }
    if (titleIdx < 0 && bestA < blocks.length && titleLike(blocks[bestA].text) && bestA < bestB) {
      title = blocks[bestA].text;
      titleIdx = bestA;
    }
  }
  if (title === null) title = firstTitleLike(blocks, start);

  const keep: number[] = [];
  for (let i = start; i <= bestB; i++) {
    if (i === titleIdx) continue;
    const b = blocks[i];
    if (title !== null && sameText(b.text, title)) continue;
    if (isNonArticle(b.text)) continue;
    if (b.linkChars > b.text.length * 0.5 && wordCount(b.text) < 25) continue;
    // a truncated caption repeated in full on the next line
    if (i + 1 <= bestB && blocks[i + 1].text.length > b.text.length && blocks[i + 1].text.startsWith(b.text) && !endsSentence(b.text)) continue;
    keep.push(i);
  }
  // an author bio closing the article
  while (keep.length > 1 && BIO.test(blocks[keep[keep.length - 1]].text)) keep.pop();
  return { title, keep };
}

function titleLike(s: string): boolean {
  const w = wordCount(s);
  return (
    w >= 3 &&
    w <= 30 &&
    !/[.:,;]$/.test(s) &&
    !isNonArticle(s) &&
    !isTimeLine(s) &&
    !/^(by|posted|published|first published|updated|written by|filed)\b/i.test(s) &&
    !/\b(19|20)\d{2}\b.*\b(by|at)$/i.test(s) &&
    !/\d{1,2}[:.]\d{2}/.test(s)
  );
}

function firstTitleLike(blocks: Block[], before: number): string | null {
  for (let i = Math.min(before, blocks.length) - 1; i >= 0 && before - i <= 4; i--) if (titleLike(blocks[i].text)) return blocks[i].text;
  return null;
}

function sameText(a: string, b: string): boolean {
  const n = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return n(a) === n(b);
}
