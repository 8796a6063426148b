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

/** Leading and trailing characters that are not part of a word ("idiot," -> "idiot"). */
const EDGE = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

/**
 * The stretches of `text` that pushed each label's score up, from the model's own features: each
 * feature's contribution to the logit (value × weight × calibration slope) is shared among the
 * words it came from (a word pair splits it in two), summed per word, and the strongest words
 * become spans. `tokens`: the text's tokens when the caller already has them.
 */
export function explain(model: Model, text: string, labels: readonly LabelName[], maxSpans = 5, tokens: Token[] = tokenize(text)): Span[] {
  if (!labels.length) return [];
  const occ = model.featurizer.occurrences(tokens);
  // a "word" is a distinct stretch of text: the tokens of one chunk ("half-wit,/idiot" -> two tokens) share it
  const word = new Int32Array(tokens.length);
  const starts: number[] = [];
  const ends: number[] = [];
  for (let t = 0; t < tokens.length; t++) {
    const w = starts.length - 1;
    if (w >= 0 && starts[w] === tokens[t].start && ends[w] === tokens[t].end) word[t] = w;
    else {
      word[t] = starts.length;
      starts.push(tokens[t].start);
      ends.push(tokens[t].end);
    }
  }
  const L = model.labels.length;
  const W = model.weights.W;
  const spans: Span[] = [];
  const wanted = labels.filter((label) => model.labels.includes(label));
  const ls = wanted.map((label) => model.labels.indexOf(label));
  const slopes = wanted.map((label) => model.manifest.calibration[label]?.a ?? 1);
  const nl = wanted.length;
  // one pass over the features for every label asked for (a feature's weights per label sit together)
  const weights = new Float64Array(starts.length * nl);
  for (let k = 0; k < occ.n; k++) {
    const b = occ.b[k];
    const v = occ.value[k];
    const o = occ.id[k] * L;
    const div = b < 0 ? 1 : 2;
    const wa = word[occ.a[k]] * nl;
    const wb = b < 0 ? -1 : word[b] * nl;
    for (let i = 0; i < nl; i++) {
      const c = (v * W[o + ls[i]] * slopes[i]) / div;
      weights[wa + i] += c;
      if (wb >= 0) weights[wb + i] += c;
    }
  }
  for (let i = 0; i < nl; i++) {
    const label = wanted[i];
    const weight = (w: number): number => weights[w * nl + i];
    const ranked: { start: number; end: number; weight: number }[] = [];
    for (let w = 0; w < starts.length; w++) if (weight(w) > 0) ranked.push({ start: starts[w], end: ends[w], weight: weight(w) });
    ranked.sort((a, b) => b.weight - a.weight);
    const top = ranked[0]?.weight ?? 0;
    for (const e of ranked.slice(0, maxSpans)) {
      if (e.weight < top * SPAN_SHARE_OF_TOP) break;
      const raw = text.slice(e.start, e.end);
      const lead = raw.length - raw.replace(/^[^\p{L}\p{N}]+/u, '').length;
      const trimmed = raw.replace(EDGE, '');
      if (!trimmed) continue;
      spans.push({ start: e.start + lead, end: e.start + lead + trimmed.length, label, weight: Math.round(e.weight * 1e4) / 1e4 });
    }
  }
  return spans;
}
