import { parseLabelValues, type LabelName } from '../labels';

/** `['hostile=0.7', 'conspiratorial=0.4']` to `{hostile: 0.7, conspiratorial: 0.4}`; E_USAGE on anything else. */
export function parseThresholds(specs: readonly string[] = []): Partial<Record<LabelName, number>> {
  return parseLabelValues('--threshold', specs);
}
