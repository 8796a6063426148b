import type { Scored } from './types';

/**
 * The `btl score --json` object (also what `POST /v1/score` and `/v1/split` return): probabilities
 * rounded to 4 decimals, span weights to 3.
 */
export function toJson(s: Scored): Scored {
  const scores = {} as Scored['scores'];
  for (const l of Object.keys(s.scores) as (keyof Scored['scores'])[]) scores[l] = round(s.scores[l], 4);
  return { text: s.text, scores, flags: s.flags, spans: s.spans.map((sp) => ({ ...sp, weight: round(sp.weight, 3) })) };
}

function round(x: number, d: number): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}
