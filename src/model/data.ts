import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { BtlError, type Skipped } from '../errors';
import { LABEL_NAMES, type LabelName } from '../labels';
import { isSkipped, readRecords } from '../records';

/** One labelled comment: `labels[l]` is 1, 0 or -1 (not labelled), in `LABEL_NAMES` order. */
export interface LabelledRow {
  text: string;
  labels: Int8Array;
  /** Index into the sources list. */
  source: number;
  line: number;
}

export interface DataOptions {
  /** Column holding the comment (default "text"). */
  textColumn?: string;
  /** Label name -> column (default: the label's own name). */
  labelColumns?: Partial<Record<LabelName, string>>;
  /** Make the first malformed row fatal instead of reporting and skipping it. */
  strict?: boolean;
  /** Keep repeated texts (evaluation measures a file as given); they are still counted. */
  keepDuplicates?: boolean;
  /** Keep only rows whose columns have these values (e.g. { split: 'train' }); a file without the column is used whole. */
  where?: Record<string, string>;
  onSkip?: (s: Skipped) => void;
}

export interface LabelledData {
  rows: LabelledRow[];
  sources: { file: string; sha256: string; rows: number; skipped: number; labels: Record<string, [number, number]> }[];
  skipped: Skipped[];
  /**
   * Rows whose normalised text was already seen (in any file): counted; the later copy is dropped
   * (unless keepDuplicates), its labels for labels the first copy lacks joining the first copy.
   */
  duplicates: number;
}

function labelCell(v: string | undefined, file: string, line: number, column: string): number {
  const s = (v ?? '').trim();
  if (s === '') return -1;
  if (s === '1' || s === '1.0' || s.toLowerCase() === 'true') return 1;
  if (s === '0' || s === '0.0' || s.toLowerCase() === 'false') return 0;
  throw new BtlError('E_CSV', `label column "${column}" must be 1, 0 or empty, got "${s.slice(0, 20)}"`, { file, line });
}

async function fileSha256(file: string): Promise<string> {
  if (file === '-') return '';
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Paths as recorded in a manifest: relative to the working folder, so they mean the same on every machine. */
function displayPath(file: string): string {
  if (file === '-') return file;
  const rel = relative(process.cwd(), file);
  return rel && !isAbsolute(rel) ? rel : file;
}

/** Two texts are the same comment when they are equal in lower case with white space squeezed. */
export function dedupKey(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Read labelled comments from CSV or JSONL files: a text column and one column per label, a cell
 * being 1, 0 or empty ("not labelled"). A file may label only some labels (its other columns may
 * be absent). Malformed rows are reported and skipped (or fatal with `strict`); duplicates across
 * and within files are counted and kept once.
 */
export async function readLabelled(files: readonly string[], options: DataOptions = {}): Promise<LabelledData> {
  const textColumn = options.textColumn ?? 'text';
  const out: LabelledData = { rows: [], sources: [], skipped: [], duplicates: 0 };
  const seen = new Map<string, LabelledRow>();
  const skip = (s: Skipped) => {
    if (options.strict) throw new BtlError(s.code, s.message, { file: s.file, line: s.line });
    out.skipped.push(s);
    options.onSkip?.(s);
  };
  for (const file of files) {
    const source = out.sources.length;
    const info = { file: displayPath(file), sha256: '', rows: 0, skipped: 0, labels: {} as Record<string, [number, number]> };
    out.sources.push(info);
    const cols = LABEL_NAMES.map((l) => options.labelColumns?.[l] ?? l);
    const counts = LABEL_NAMES.map((): [number, number] => [0, 0]);
    let checked = false;
    for await (const item of readRecords(file, { require: [textColumn] })) {
      if (isSkipped(item)) {
        info.skipped++;
        skip(item);
        continue;
      }
      if (options.where && Object.entries(options.where).some(([c, v]) => c in item.fields && item.fields[c] !== v)) continue;
      // CSV rows all have the header's columns; a JSONL row may leave a label out (= not labelled)
      const present = cols.map((c) => c in item.fields);
      if (!checked && present.every((p) => !p)) {
        throw new BtlError('E_COLUMN', `no label column: expected one of ${cols.map((c) => `"${c}"`).join(', ')} (map others with --label name=column); columns are ${Object.keys(item.fields).join(', ')}`, { file, line: item.line });
      }
      checked = true;
      const text = item.fields[textColumn] ?? '';
      let labels: Int8Array;
      try {
        if (!text.trim()) throw new BtlError('E_CSV', `empty "${textColumn}"`, { file, line: item.line });
        labels = Int8Array.from(cols.map((c, i) => (present[i] ? labelCell(item.fields[c], file, item.line, c) : -1)));
      } catch (err) {
        info.skipped++;
        skip({ file, line: item.line, code: (err as BtlError).code ?? 'E_CSV', message: (err as Error).message });
        continue;
      }
      if (labels.every((v) => v < 0)) continue; // nothing labelled: nothing to learn from
      const key = dedupKey(text);
      const first = seen.get(key);
      if (first) {
        out.duplicates++;
        if (!options.keepDuplicates) {
          // the same comment labelled for another label elsewhere: its labels join the first copy's
          labels.forEach((v, i) => {
            if (v >= 0 && first.labels[i] < 0) {
              first.labels[i] = v;
              counts[i][v]++;
            }
          });
          continue;
        }
      }
      labels.forEach((v, i) => v >= 0 && counts[i][v]++);
      const row = { text, labels, source, line: item.line };
      if (!first) seen.set(key, row);
      out.rows.push(row);
      info.rows++;
    }
    LABEL_NAMES.forEach((l, i) => (info.labels[l] = counts[i]));
    // after reading: a missing or unreadable file has been reported by readRecords with its reason
    info.sha256 = await fileSha256(file);
  }
  return out;
}
