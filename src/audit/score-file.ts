import { BtlError, type Skipped } from '../errors';
import { LABEL_NAMES } from '../labels';
import { isSkipped, readRecords, RecordWriter, type ReadOptions, type RecordRow } from '../records';
import type { ScoreOptions, Scored, Scorer } from '../score/types';
import { reasonsText } from './reasons';

export interface ScoreFileOptions extends ScoreOptions {
  /** Column holding the comment text (default "text"). */
  textColumn?: string;
  /** Comments scored per call (default 512). */
  batchSize?: number;
  stdin?: ReadOptions['stdin'];
  signal?: AbortSignal;
  onSkip?: (s: Skipped) => void;
  /** Called with the records scored so far. */
  onProgress?: (scored: number) => void;
}

export interface ScoreFileResult {
  scored: number;
  skipped: number;
  /** Input columns replaced by score columns of the same name. */
  replaced: string[];
}

/** The columns score output adds to each record. */
export function scoreColumns(): string[] {
  return [...LABEL_NAMES, ...LABEL_NAMES.map((l) => `${l}_flag`), 'reasons'];
}

/**
 * Every input column plus one probability (4 decimals) and one 0/1 flag per label, and the reasons.
 * `numbers`: probabilities as numbers (JSONL output, where the input's own JSON values are kept).
 */
export function scoredFields(row: Record<string, unknown>, s: Scored, numbers = false): Record<string, unknown> {
  const out: Record<string, unknown> = { ...row };
  for (const l of LABEL_NAMES) out[l] = numbers ? Math.round(s.scores[l] * 1e4) / 1e4 : s.scores[l].toFixed(4);
  for (const l of LABEL_NAMES) out[`${l}_flag`] = s.flags.includes(l) ? 1 : 0;
  out.reasons = reasonsText(s);
  return out;
}

/** A record whose text is blank: every input column, and the score columns empty ("" in CSV, null in JSONL). */
export function unscoredFields(row: Record<string, unknown>, numbers = false): Record<string, unknown> {
  const out: Record<string, unknown> = { ...row };
  for (const c of scoreColumns()) out[c] = numbers ? null : '';
  return out;
}

/**
 * Scores every record of a CSV or JSONL file (or "-") and writes them, with the score columns
 * added, to `output` (CSV or JSONL by extension), atomically. Bad records are reported through
 * onSkip and left out of the output. A record whose text is blank (empty, whitespace, JSON null)
 * is not scored: it is reported through onSkip (E_EMPTY, with file and line) and written with
 * empty score columns, so the output keeps every readable input row in order.
 */
export async function scoreFile(scorer: Scorer, input: string, output: string, options: ScoreFileOptions = {}): Promise<ScoreFileResult> {
  const textColumn = options.textColumn ?? 'text';
  const batchSize = options.batchSize ?? 512;
  const writer = new RecordWriter(output);
  const result: ScoreFileResult = { scored: 0, skipped: 0, replaced: [] };
  let batch: RecordRow[] = [];
  const flush = async (): Promise<void> => {
    if (!batch.length) return;
    const blank = batch.map((r) => isBlank(r.fields[textColumn]));
    const scored = scorer.score(
      batch.filter((_, i) => !blank[i]).map((r) => r.fields[textColumn]),
      options,
    );
    const jsonl = writer.format === 'jsonl';
    let k = 0;
    for (let i = 0; i < batch.length; i++) {
      const row = jsonl ? (batch[i].values ?? batch[i].fields) : batch[i].fields;
      await writer.write(blank[i] ? unscoredFields(row, jsonl) : scoredFields(row, scored[k++], jsonl));
    }
    result.scored += k;
    options.onProgress?.(result.scored);
    batch = [];
  };
  try {
    let first = true;
    for await (const item of readRecords(input, { require: [textColumn], stdin: options.stdin, signal: options.signal })) {
      if (isSkipped(item)) {
        result.skipped++;
        options.onSkip?.(item);
        continue;
      }
      if (first) {
        first = false;
        result.replaced = scoreColumns().filter((c) => c in item.fields);
      }
      if (isBlank(item.fields[textColumn])) {
        result.skipped++;
        options.onSkip?.({ file: item.file, line: item.line, code: 'E_EMPTY', message: `empty '${textColumn}' (row kept, not scored)` });
      }
      batch.push(item);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    if (options.signal?.aborted) throw new BtlError('E_IO', 'interrupted; output not written', { file: output });
    await writer.commit();
  } catch (err) {
    await writer.abort();
    throw err;
  }
  return result;
}

function isBlank(text: string | undefined): boolean {
  return text === undefined || text.trim() === '';
}
