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
