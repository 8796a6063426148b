import type { LabelName } from '../labels';
import type { Model } from '../model';
import { tokenize, type Token } from '../text';
import type { Span } from './types';

/**
 * A word becomes a span when its push is at least this share of the strongest word's. Chosen on
 * the SemEval-2021 toxic-spans trial set (690 posts; 0.2 -> 0.7 took mean character F1 from 0.40 to
 * 0.49) and reported on its train set by `npm run bench:quality`.
 */
const SPAN_SHARE_OF_TOP = 0.7;

const WORD_CHAR = /[\p{L}\p{N}]/u;
const LOW_SURROGATE = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;
const HIGH_SURROGATE = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;

/**
 * Whether the UTF-16 unit at `i` belongs to a letter or digit: spans are trimmed of what is not
 * ("idiot," -> "idiot"). ASCII is decided by its code, the rest by Unicode property (a surrogate
 * pair as one character).
 */
function isWordChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  if (LOW_SURROGATE(c) && i > 0 && HIGH_SURROGATE(text.charCodeAt(i - 1))) return WORD_CHAR.test(text.slice(i - 1, i + 1));
  if (HIGH_SURROGATE(c)) return WORD_CHAR.test(text.slice(i, i + 2));
  return WORD_CHAR.test(text[i]);
}

/** Scratch arrays reused from text to text (allocating typed arrays per text costs more than filling them). */
const scratch = { word: new Int32Array(256), starts: new Int32Array(256), ends: new Int32Array(256), push: new Float64Array(1024), weights: new Float64Array(512) };

function room<K extends keyof typeof scratch>(key: K, n: number): (typeof scratch)[K] {
  if (scratch[key].length < n) (scratch[key] as Int32Array | Float64Array) = new (scratch[key].constructor as Int32ArrayConstructor | Float64ArrayConstructor)(2 * n);
  return scratch[key];
}

/**
 * The stretches of `text` that pushed each label's score up, from the model's own features: each
 * feature's contribution to the logit (value × weight × calibration slope) is shared among the
 * words it came from (a word pair splits it in two; the word-vector inputs, among the words by
 * their vectors), summed per word, and the strongest words become spans. `tokens`: the text's tokens when the caller already has them.
 */
export function explain(model: Model, text: string, labels: readonly LabelName[], maxSpans = 5, tokens: Token[] = tokenize(text)): Span[] {
  if (!labels.length) return [];
  const { distinct: d, occurrences: occ } = model.featurizer.features(tokens);
  // a "word" is a distinct stretch of text: the tokens of one chunk ("half-wit,/idiot" -> two tokens) share it
  const word = room('word', tokens.length);
  const starts = room('starts', tokens.length);
  const ends = room('ends', tokens.length);
  let nw = 0;
  for (let t = 0; t < tokens.length; t++) {
    const w = nw - 1;
    if (w >= 0 && starts[w] === tokens[t].start && ends[w] === tokens[t].end) word[t] = w;
    else {
      word[t] = nw;
      starts[nw] = tokens[t].start;
      ends[nw++] = tokens[t].end;
    }
  }
  // the weights beside the IDF, as scoring just read them
  const { table, stride } = model.scoringTable();
  const spans: Span[] = [];
  const wanted = labels.filter((label) => model.labels.includes(label));
  const ls = wanted.map((label) => model.labels.indexOf(label));
  const slopes = wanted.map((label) => model.manifest.calibration[label]?.a ?? 1);
  const nl = wanted.length;
  // each distinct feature's push per label (value × weight × slope, shared among its occurrences),
  // then one pass over the occurrences adds it to the words they came from (a pair splits it in two)
  const push = room('push', d.n * nl);
  for (let t = 0; t < d.n; t++) {
    const v = d.value[t] / d.count[t];
    // (the scratch array holds the last text's pushes: every entry is written)
    const o = d.id[t] * stride + 1;
    for (let i = 0; i < nl; i++) push[t * nl + i] = v === 0 ? 0 : v * table[o + ls[i]] * slopes[i];
  }
  const weights = room('weights', nw * nl).fill(0, 0, nw * nl);
  for (let t = 0; t < tokens.length; t++) {
    const wa = word[t] * nl;
    const from = occ.start[t];
    const pairAt = occ.pairs && t + 1 < tokens.length ? from + 1 : -1;
    for (let k = from; k < occ.start[t + 1]; k++) {
      const pk = occ.p[k] * nl;
      if (k !== pairAt) for (let i = 0; i < nl; i++) weights[wa + i] += push[pk + i];
      else {
        const wb = word[t + 1] * nl;
        for (let i = 0; i < nl; i++) {
          const c = push[pk + i] / 2;
          weights[wa + i] += c;
          weights[wb + i] += c;
        }
      }
    }
  }
  // the word-vector inputs' push, word by word (each word's vector's share of them)
  const f = model.featurizer;
  if (f.vectors) for (let t = 0; t < tokens.length; t++) for (let i = 0; i < nl; i++) weights[word[t] * nl + i] += f.vectorPush(t, table, stride, ls[i]) * slopes[i];
  for (let i = 0; i < nl; i++) {
    const label = wanted[i];
    let top = 0;
    for (let w = 0; w < nw; w++) top = Math.max(top, weights[w * nl + i]);
    if (top <= 0) continue;
    // only the words within reach of the strongest are ranked
    const ranked: { start: number; end: number; weight: number }[] = [];
    for (let w = 0; w < nw; w++) {
      const x = weights[w * nl + i];
      if (x >= top * SPAN_SHARE_OF_TOP) ranked.push({ start: starts[w], end: ends[w], weight: x });
    }
    ranked.sort((a, b) => b.weight - a.weight);
    for (const e of ranked.slice(0, maxSpans)) {
      let { start, end } = e;
      while (start < end && !isWordChar(text, start)) start++;
      while (end > start && !isWordChar(text, end - 1)) end--;
      // a push that rounds to 0 (a word whose features barely move the score) is no reason
      const weight = Math.round(e.weight * 1e4) / 1e4;
      if (start === end || weight <= 0) continue;
      spans.push({ start, end, label, weight });
    }
  }
  return spans;
}
