import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { BtlError, type Skipped } from '../errors';
import { LABEL_NAMES, isLabelName, type LabelName } from '../labels';
import { isSkipped, readRecords } from '../records';
import { parseSpans } from '../audit/reasons';
import { COMMENTS_FILE, SUMMARY_FILE } from '../audit/output';
import type { ReviewItem } from './types';

export const DEFAULT_THRESHOLD = 0.5;

export function commentId(source: string, line: number | string, text: string): string {
  return createHash('sha1').update(`${source}\0${line}\0${text}`).digest('hex').slice(0, 16);
}

/** The audit's thresholds from summary.json; 0.5 for a label it does not name (or no summary). */
export async function readThresholds(dir: string): Promise<Record<LabelName, number>> {
  const out = Object.fromEntries(LABEL_NAMES.map((l) => [l, DEFAULT_THRESHOLD])) as Record<LabelName, number>;
  const file = join(dir, SUMMARY_FILE);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch {
    return out;
  }
  try {
    const t = (JSON.parse(text) as { model?: { thresholds?: Record<string, unknown> } }).model?.thresholds ?? {};
    for (const l of LABEL_NAMES) if (typeof t[l] === 'number' && Number.isFinite(t[l])) out[l] = t[l] as number;
  } catch (err) {
    throw new BtlError('E_IO', `unreadable audit summary: ${(err as Error).message}`, { file });
  }
  return out;
}

export interface LoadedAudit {
  dir: string;
  items: ReviewItem[];
  thresholds: Record<LabelName, number>;
  /** comments.csv rows that could not be used. */
  skipped: Skipped[];
}

/** Read an audit folder's comments.csv (and thresholds from summary.json) into review items. */
export async function loadAudit(dir: string): Promise<LoadedAudit> {
  let st;
  try {
    st = await fsp.stat(dir);
  } catch {
    throw new BtlError('E_NOT_FOUND', 'no such audit folder (run btl audit … --out DIR first)', { file: dir });
  }
  if (!st.isDirectory()) throw new BtlError('E_USAGE', 'expected the folder btl audit wrote (with comments.csv), got a file', { file: dir });
  const file = join(dir, COMMENTS_FILE);
  try {
    await fsp.access(file);
  } catch {
    throw new BtlError('E_NOT_FOUND', `no ${COMMENTS_FILE} in the audit folder (run btl audit … --out ${dir} first)`, { file: dir });
  }
  const thresholds = await readThresholds(dir);
  const items: ReviewItem[] = [];
  const skipped: Skipped[] = [];
  for await (const rec of readRecords(file, { format: 'csv', require: ['text', ...LABEL_NAMES] })) {
    if (isSkipped(rec)) {
      skipped.push(rec);
      continue;
    }
    const f = rec.fields;
    const scores = {} as Record<LabelName, number>;
    let bad = '';
    for (const l of LABEL_NAMES) {
      const v = Number(f[l]);
      if (f[l] === undefined || f[l].trim() === '' || !Number.isFinite(v) || v < 0 || v > 1) bad ||= `score "${l}" must be a number from 0 to 1, got "${(f[l] ?? '').slice(0, 20)}"`;
      scores[l] = v;
    }
    if (bad) {
      skipped.push({ file, line: rec.line, code: 'E_CSV', message: bad });
      continue;
    }
    const flags = LABEL_NAMES.filter((l) => scores[l] >= thresholds[l]);
    const listed = (f.flags ?? '').split(';').filter(isLabelName);
    items.push({
      id: commentId(f.source ?? '', f.line ?? rec.line, f.text),
      index: items.length,
      source: f.source ?? '',
      line: Number(f.line ?? rec.line),
      article: f.article ?? '',
      author: f.author ?? '',
      time: f.time ?? '',
      text: f.text,
      scores,
      flags: f.flags === undefined ? flags : LABEL_NAMES.filter((l) => listed.includes(l)),
      spans: parseSpans(f.spans ?? '').filter((s) => s.end <= f.text.length && s.start < s.end),
      margin: Math.min(...LABEL_NAMES.map((l) => Math.abs(scores[l] - thresholds[l]))),
      severity: Math.max(...LABEL_NAMES.map((l) => scores[l])),
    });
  }
  return { dir, items, thresholds, skipped };
}
