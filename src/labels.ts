import { BtlError } from './errors';

/** The one registry of labels btl knows. Everything else iterates over this table. */
export interface LabelSpec {
  /** Field name in CSV columns, JSON and the model manifest. */
  name: LabelName;
  /** Attribute name in the Perspective-shaped HTTP API. */
  attribute: string;
  /** One-line definition; the full guide is data/LABELS.md. */
  summary: string;
}

export type LabelName = 'hostile' | 'conspiratorial';

export const LABELS: readonly LabelSpec[] = [
  {
    name: 'hostile',
    attribute: 'HOSTILE',
    summary: 'attacks, insults, demeans or dehumanises a person or group, threatens or wishes harm, or uses slurs',
  },
  {
    name: 'conspiratorial',
    attribute: 'CONSPIRATORIAL',
    summary: 'claims or insinuates that events are secretly staged or controlled by hidden actors for a hidden goal',
  },
];

export const LABEL_NAMES: readonly LabelName[] = LABELS.map((l) => l.name);

export function isLabelName(s: string): s is LabelName {
  return (LABEL_NAMES as readonly string[]).includes(s);
}

/**
 * One `LABEL=VALUE` (or bare `VALUE`) flag value: the labels it sets (every label for a bare value),
 * whether it named one, and the value's text. E_USAGE for an unknown label.
 */
export function labelSpec(flag: string, spec: string): { labels: readonly LabelName[]; named: boolean; value: string } {
  const m = /^(?:([^=]+)=)?(.*)$/s.exec(spec.trim())!;
  const label = m[1];
  if (label !== undefined && !isLabelName(label)) throw new BtlError('E_USAGE', `${flag} ${spec}: unknown label '${label}'. Should be one of: ${LABEL_NAMES.join(', ')}`);
  return { labels: label === undefined ? LABEL_NAMES : [label], named: label !== undefined, value: m[2] };
}

/**
 * `['hostile=0.7', 'conspiratorial=0.4']` to `{hostile: 0.7, conspiratorial: 0.4}`, each value in
 * [0, 1] (or in (0, 1) when `open`); a bare number (`'0.1'`) sets every label not named on its
 * own, whatever the order. E_USAGE otherwise.
 */
export function parseLabelValues(flag: string, specs: readonly string[] = [], open = false): Partial<Record<LabelName, number>> {
  const all: Partial<Record<LabelName, number>> = {};
  const named: Partial<Record<LabelName, number>> = {};
  const range = open ? 'between 0 and 1 (exclusive)' : 'from 0 to 1';
  for (const spec of specs) {
    const s = labelSpec(flag, spec);
    const v = Number(s.value);
    if (!s.value.trim() || !Number.isFinite(v) || !inRange(v, open)) {
      throw new BtlError('E_USAGE', `${flag} ${spec}: expected LABEL=VALUE or a bare VALUE for every label, with a number ${range}, e.g. ${LABEL_NAMES[0]}=${open ? '0.05' : '0.7'}`);
    }
    for (const l of s.labels) (s.named ? named : all)[l] = v;
  }
  return { ...all, ...named };
}

/** Whether `v` is in [0, 1], or in (0, 1) when `open`. */
export function inRange(v: number, open = false): boolean {
  return open ? v > 0 && v < 1 : v >= 0 && v <= 1;
}
