/** Sentence ranges of a comment, in UTF-16 offsets, for Perspective-style spanScores. */
export interface Range {
  begin: number;
  end: number;
}

const SENTENCE = /[^.!?\n]*(?:[.!?]+["')\]]*|\n|$)/g;

/** Split at sentence ends (. ! ? and line breaks), trimming whitespace; never returns an empty range. */
export function sentences(text: string): Range[] {
  const out: Range[] = [];
  for (const m of text.matchAll(SENTENCE)) {
    if (!m[0]) continue;
    let begin = m.index ?? 0;
    let end = begin + m[0].length;
    while (begin < end && /\s/.test(text[begin])) begin++;
    while (end > begin && /\s/.test(text[end - 1])) end--;
    if (end > begin) out.push({ begin, end });
  }
  return out;
}
