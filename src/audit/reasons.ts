import { LABELS, type LabelName } from '../labels';
import type { Scored, Span } from '../score/types';

/** The words that drove each flagged label, strongest first: `{hostile: ['idiot', 'scum']}`. */
export function reasonWords(s: Scored, perLabel = 3): Partial<Record<LabelName, string[]>> {
  const out: Partial<Record<LabelName, string[]>> = {};
  for (const label of s.flags) {
    const words: string[] = [];
    for (const sp of s.spans) {
      if (sp.label !== label || sp.weight <= 0) continue;
      const w = s.text.slice(sp.start, sp.end).trim().replace(/\s+/g, ' ').toLowerCase();
      if (w && !words.includes(w)) words.push(w);
      if (words.length >= perLabel) break;
    }
    out[label] = words;
  }
  return out;
}

/** `hostile: idiot, scum; conspiratorial: staged` (flagged labels in registry order), or "". */
export function reasonsText(s: Scored, perLabel = 3): string {
  const words = reasonWords(s, perLabel);
  return LABELS.filter((l) => words[l.name])
    .map((l) => `${l.name}: ${words[l.name]!.join(', ')}`)
    .join('; ');
}

/** Spans as compact text for a CSV cell: `5-11:hostile:0.41 20-26:conspiratorial:0.2`. */
export function spansText(spans: readonly Span[]): string {
  return spans.map((s) => `${s.start}-${s.end}:${s.label}:${+s.weight.toFixed(3)}`).join(' ');
}

/** Inverse of spansText; malformed parts are ignored. */
export function parseSpans(text: string): Span[] {
  const out: Span[] = [];
  for (const part of text.split(' ')) {
    const m = /^(\d+)-(\d+):([a-z_]+):(-?[\d.e+-]+)$/.exec(part);
    if (m) out.push({ start: +m[1], end: +m[2], label: m[3] as LabelName, weight: +m[4] });
  }
  return out;
}
