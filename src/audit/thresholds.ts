import { BtlError } from '../errors';
import { isLabelName, LABEL_NAMES, type LabelName } from '../labels';

/** `['hostile=0.7', 'conspiratorial=0.4']` to `{hostile: 0.7, conspiratorial: 0.4}`; E_USAGE on anything else. */
export function parseThresholds(specs: readonly string[] = []): Partial<Record<LabelName, number>> {
  const out: Partial<Record<LabelName, number>> = {};
  for (const spec of specs) {
    const m = /^([^=]+)=(.+)$/.exec(spec.trim());
    if (!m) throw new BtlError('E_USAGE', `--threshold ${spec}: expected LABEL=VALUE, e.g. hostile=0.7`);
    const [, label, value] = m;
    if (!isLabelName(label)) throw new BtlError('E_USAGE', `--threshold ${spec}: unknown label '${label}'. Should be one of: ${LABEL_NAMES.join(', ')}`);
    const v = Number(value);
    if (!Number.isFinite(v) || v < 0 || v > 1) throw new BtlError('E_USAGE', `--threshold ${spec}: the value must be a number from 0 to 1`);
    out[label] = v;
  }
  return out;
}
