import type { LabelName } from '../labels';
import type { Model } from '../model';
import type { Span } from './types';

/** Leading and trailing characters that are not part of a word ("idiot," -> "idiot"). */
const EDGE = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

/**
 * The stretches of `text` that pushed each label's score up, from the model's own features: each
 * feature's contribution to the logit (value × weight × calibration slope) is shared among the
 * words it came from (a word pair splits it in two), summed per word, and the strongest words
 * become spans.
 */
export function explain(model: Model, text: string, labels: readonly LabelName[], maxSpans = 5): Span[] {
  if (!labels.length) return [];
  const { tokens, occurrences } = model.featurizer.explain(text);
  const L = model.labels.length;
  const W = model.weights.W;
  const spans: Span[] = [];
  for (const label of labels) {
    const l = model.labels.indexOf(label);
    if (l < 0) continue;
    const slope = model.manifest.calibration[label]?.a ?? 1;
    const byWord = new Map<string, { start: number; end: number; weight: number }>();
    for (const occ of occurrences) {
      const c = (occ.value * W[occ.id * L + l] * slope) / occ.tokens.length;
      for (const t of occ.tokens) {
        const tok = tokens[t];
        const key = `${tok.start}:${tok.end}`;
        const e = byWord.get(key);
        if (e) e.weight += c;
        else byWord.set(key, { start: tok.start, end: tok.end, weight: c });
      }
    }
    const ranked = [...byWord.values()].filter((e) => e.weight > 0).sort((a, b) => b.weight - a.weight);
    const top = ranked[0]?.weight ?? 0;
    for (const e of ranked.slice(0, maxSpans)) {
      if (e.weight < top * 0.2) break;
      const raw = text.slice(e.start, e.end);
      const lead = raw.length - raw.replace(/^[^\p{L}\p{N}]+/u, '').length;
      const trimmed = raw.replace(EDGE, '');
      if (!trimmed) continue;
      spans.push({ start: e.start + lead, end: e.start + lead + trimmed.length, label, weight: Math.round(e.weight * 1e4) / 1e4 });
    }
  }
  return spans;
}
