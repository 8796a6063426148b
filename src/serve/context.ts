import type { Scored, Scorer } from '../score/types';
import { ApiError } from './errors';
import type { Metrics } from './metrics';
import type { ModelHolder } from './model-holder';
import type { ServeOptions } from './options';

/** What every route reads: the model in service, the metrics and the limits. Nothing per client. */
export interface ServeContext {
  holder: ModelHolder;
  metrics: Metrics;
  options: ServeOptions;
}

/**
 * Throw E_BATCH_TOO_LARGE / E_TEXT_TOO_LONG for texts over the limits. `list`: the field is an
 * array (errors name the item, `texts[3]`), else one text (`comment.text`).
 */
export function checkTexts(texts: readonly string[], options: ServeOptions, field = 'texts', list = field === 'texts'): void {
  if (texts.length > options.maxBatch) throw new ApiError('E_BATCH_TOO_LARGE', `${field} has ${texts.length} items; at most ${options.maxBatch} per request`);
  texts.forEach((t, i) => {
    if (t.length > options.maxTextLength) {
      const at = texts.length > 1 || list ? `${field}[${i}]` : field;
      throw new ApiError('E_TEXT_TOO_LONG', `${at} is ${t.length} characters; at most ${options.maxTextLength}`);
    }
  });
}

/**
 * Scores without word spans (Perspective and Coral answers do not carry them): thresholds above 1
 * keep the scorer from explaining, then flags are set at the model's own thresholds.
 */
export function scoreOnly(scorer: Scorer, texts: readonly string[]): Scored[] {
  const never = Object.fromEntries(scorer.labels.map((l) => [l, Infinity]));
  return scorer.score(texts, { thresholds: never }).map((s) => ({ ...s, flags: scorer.labels.filter((l) => s.scores[l] >= scorer.thresholds[l]) }));
}
