import { foldChars, foldLeet, joinSeparatedLetters } from './normalize';
// natural's tokenizers, imported directly: `require('natural')` would load database clients and dotenv.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const AggressiveTokenizer = require('natural/lib/natural/tokenizers/aggressive_tokenizer.js');

/** A normalised word and the stretch of the original text it came from. */
export interface Token {
  text: string;
  start: number;
  end: number;
}

export const URL_TOKEN = '__url__';
export const MENTION_TOKEN = '__mention__';

const tokenizer: { tokenize(s: string): string[] } = new AggressiveTokenizer();
const URL_RE = /^(?:[("'<]*)(?:https?:\/\/|www\.)\S+$/i;
const MENTION_RE = /^@[\p{L}\p{N}_.]{2,}/u;
const EDGE_PUNCT = /^[-'/]+|[-'/]+$/g;

/**
 * Split a comment into normalised word tokens with their offsets in the original text.
 * Pronouns and other stop words are kept: "you" and "they" carry much of the signal here.
 */
export function tokenize(text: string): Token[] {
  // the runs of non-space characters (as /\S+/g finds them, by a scan)
  const chunks: Token[] = [];
  for (let i = 0; i < text.length; ) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    const start = i;
    while (i < text.length && !isSpace(text.charCodeAt(i))) i++;
    if (i > start) chunks.push({ text: text.slice(start, i), start, end: i });
  }
  const merged = mergeSpacedLetters(chunks);
  const out: Token[] = [];
  for (const c of merged) {
    if (URL_RE.test(c.text)) {
      out.push({ text: URL_TOKEN, start: c.start, end: c.end });
      continue;
    }
    const word = plainWord(c.text);
    if (word) {
      out.push({ text: word, start: c.start, end: c.end });
      continue;
    }
    if (MENTION_RE.test(c.text)) {
      out.push({ text: MENTION_TOKEN, start: c.start, end: c.end });
      continue;
    }
    // censored words ("f***ing", "b*tch") keep one form, "f-ing", instead of falling apart
    const folded = foldLeet(joinSeparatedLetters(foldChars(c.text))).replace(/(?<=\p{L})\*+(?=\p{L})/gu, '-');
    for (const w of tokenizer.tokenize(folded)) {
      const word = w.replace(EDGE_PUNCT, '');
      if (word) out.push({ text: word, start: c.start, end: c.end });
    }
  }
  return out;
}

/** Whether a UTF-16 unit is white space as `\s` in a regular expression reads it. */
function isSpace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** "s t u p i d" (three or more single letters in a row) becomes one chunk "stupid". */
function mergeSpacedLetters(chunks: Token[]): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < chunks.length) {
    let j = i;
    while (j < chunks.length && isSingleLetter(chunks[j].text)) j++;
    if (j - i >= 3) {
      out.push({ text: chunks.slice(i, j).map((c) => c.text).join(''), start: chunks[i].start, end: chunks[j - 1].end });
      i = j;
    } else {
      out.push(chunks[i]);
      i++;
    }
  }
  return out;
}

function isSingleLetter(s: string): boolean {
  return s.length === 1 ? /\p{L}/u.test(s) : s.length === 2 && /^\p{L}[.,*!?]$/u.test(s);
}

const isLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const QUOTE = 34;
const OPEN = 40;
/** Sentence punctuation after a word: . , ; : ? " ) */
const AFTER = new Set([46, 44, 59, 58, 63, 34, 41]);

/**
 * A plain ASCII word with at most some quotes, brackets and sentence punctuation around it
 * (`"(Word),`), as its letters in lower case; else null. Every folding step leaves such a chunk as
 * it is and the word tokeniser keeps only its letters, so this is its one token: the common case,
 * taken with a scan of its characters instead of the regular expressions.
 */
function plainWord(s: string): string | null {
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) === QUOTE || s.charCodeAt(i) === OPEN)) i++;
  const start = i;
  let upper = false;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isLetter(c)) break;
    if (c < 97) upper = true;
  }
  const end = i;
  if (end === start) return null;
  for (; i < s.length; i++) if (!AFTER.has(s.charCodeAt(i))) return null;
  const word = start === 0 && end === s.length ? s : s.slice(start, end);
  return upper ? word.toLowerCase() : word;
}
