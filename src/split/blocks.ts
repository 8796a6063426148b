/** A page as a sequence of text blocks: the common shape the text and HTML splitters work on. */
export interface Block {
  text: string;
  /** Blank lines before this block in a text dump (HTML blocks: 1). */
  gap: number;
  /** Leading indentation in columns (text) or nesting of reply lists (HTML). */
  indent: number;
  /** Characters of the text that sit inside links (HTML only; 0 for text). */
  linkChars: number;
  /** h1-h6 in HTML, or a heading-like line in text. */
  heading: boolean;
}

/** Plain text into one block per non-empty line, keeping the blank-line gaps and indentation. */
export function textBlocks(text: string): Block[] {
  const out: Block[] = [];
  let gap = 0;
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.replace(/[\u00a0\u2000-\u200b\u202f\u205f\u3000]/g, ' ').replace(/\t/g, '    ').replace(/\s+$/, '');
    if (line.trim() === '') {
      gap++;
      continue;
    }
    const indent = line.length - line.trimStart().length;
    out.push({ text: line.trim().replace(/\s+/g, ' '), gap: out.length ? gap : 0, indent, linkChars: 0, heading: false });
    gap = 0;
  }
  return out;
}
