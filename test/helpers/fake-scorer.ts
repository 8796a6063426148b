import type { LabelName } from '../../src/labels';
import type { ScoreOptions, Scored, Scorer, Span } from '../../src/score/types';

/**
 * A hand-written stand-in for the real model, for unit tests of aggregation, resume and reports:
 * each label has a few cue words; every cue found adds to the label's score and becomes a span.
 */
const CUES: Record<LabelName, string[]> = {
  hostile: ['idiot', 'moron', 'scum', 'vermin'],
  conspiratorial: ['staged', 'cover-up', 'puppets', 'hoax'],
};

export function fakeScorer(dir = '/fake/model'): Scorer & { calls: number } {
  const thresholds = { hostile: 0.5, conspiratorial: 0.5 };
  const scorer = {
    dir,
    version: 'fake-1',
    labels: ['hostile', 'conspiratorial'] as LabelName[],
    thresholds,
    calls: 0,
    score(texts: readonly string[], options: ScoreOptions = {}): Scored[] {
      scorer.calls++;
      return texts.map((text) => {
        const lower = text.toLowerCase();
        const scores = {} as Record<LabelName, number>;
        const found: Span[] = [];
        for (const label of scorer.labels) {
          let hits = 0;
          for (const cue of CUES[label]) {
            for (let i = lower.indexOf(cue); i !== -1; i = lower.indexOf(cue, i + 1)) {
              hits++;
              found.push({ start: i, end: i + cue.length, label, weight: 1 + cue.length / 10 });
            }
          }
          scores[label] = 0.05 + 0.9 * (1 - 0.4 ** hits) * (hits ? 1 : 0);
        }
        const th = { ...thresholds, ...options.thresholds };
        const flags = scorer.labels.filter((l) => scores[l] >= th[l]);
        const spans = found.filter((s) => options.allSpans || flags.includes(s.label)).sort((a, b) => b.weight - a.weight);
        return { text, scores, flags, spans };
      });
    },
  };
  return scorer;
}
