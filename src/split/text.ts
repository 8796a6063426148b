import type { SplitPage } from './types';
import { textBlocks, type Block } from './blocks';
import { pickBody } from './body';
import { commentSectionEnd, findCommentStart, parseComments } from './comments';
import { isFormLine, isNoCommentNotice } from './cues';

/** Split a plain-text page dump (seeds' shape: one paragraph per line, blank lines between blocks). */
export function splitText(text: string, source: string): SplitPage {
  return splitBlocks(textBlocks(text), source, null);
}

/** The text splitter over blocks; the HTML splitter falls back to it when a page has no comment markup. */
export function splitBlocks(blocks: Block[], source: string, titleHint: string | null, html = false): SplitPage {
  const start = findCommentStart(blocks);
  let bodyEnd = start ? start.index : blocks.length;
  // a comment form or "no comments" notice also closes the article
  for (let i = 1; i < bodyEnd; i++) {
    if (isFormLine(blocks[i].text) && /reply|comment|response|published/i.test(blocks[i].text)) {
      if (blocks.slice(i + 1, bodyEnd).filter((b) => b.text.split(' ').length >= 15).length <= 1) {
        bodyEnd = i;
        break;
      }
    }
    if (isNoCommentNotice(blocks[i].text)) {
      bodyEnd = i;
      break;
    }
  }
  const pick = pickBody(blocks.slice(0, bodyEnd), titleHint, html);
  const body = pick.keep.map((i) => blocks[i].text).join('\n\n');
  let comments: SplitPage['comments'] = [];
  if (start && !start.none) {
    const from = start.cue === 'heading' ? start.index + 1 : start.index;
    comments = parseComments(blocks.slice(from, commentSectionEnd(blocks, from)));
  }
  return { source, title: pick.title, body, comments };
}
