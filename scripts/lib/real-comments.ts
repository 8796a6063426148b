/**
 * The project's labels on real reader comments: the comments of the Dragnet pages in
 * ../shared/corpus/pages-dragnet, labelled by the project (data/eval/real/dragnet.labels.csv).
 * The labels file holds no text, only a key per comment (sha256 of page id and text) and its
 * labels; the text is read from ../shared at run time and split into comments by btl's splitter,
 * the way the labellers saw it. Pages are AGPLv3: used here to measure, never trained on, never
 * bundled.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { LABEL_NAMES } from '../../src/labels';
import { splitText } from '../../src/split';
import { csvLine } from '../../src/records/write';
import { CORPUS, ROOT } from './shared';

export const REAL_LABELS = path.join(ROOT, 'data', 'eval', 'real', 'dragnet.labels.csv');
const PAGES = path.join(CORPUS, 'pages-dragnet');

/** A comment's key: the first 16 hex digits of sha256 over its page id, a newline and its text. */
function commentKey(page: string, text: string): string {
  return createHash('sha256').update(`${page}\n${text}`).digest('hex').slice(0, 16);
}

/** Every reader comment of the Dragnet pages with gold comments, split the way the labellers saw them. */
function dragnetComments(): { page: string; key: string; text: string }[] {
  const manifest = JSON.parse(readFileSync(path.join(PAGES, 'manifest.json'), 'utf8')) as { id: string; has_comments: boolean }[];
  const out: { page: string; key: string; text: string }[] = [];
  for (const { id } of manifest.filter((m) => m.has_comments)) {
    const gold = JSON.parse(readFileSync(path.join(PAGES, `${id}.gold.json`), 'utf8')) as { body?: string; comments: string };
    // the gold comments follow the gold body under a comment-count heading, as on a page
    const page = splitText(`${gold.body ?? ''}\n\n${gold.comments.length} Comments\n\n${gold.comments}`, id);
    for (const c of page.comments) out.push({ page: id, key: commentKey(id, c.text), text: c.text });
  }
  return out;
}

interface RealLabel {
  key: string;
  /** Per label of LABEL_NAMES, 0 or 1. */
  labels: number[];
  /** A second labeller's labels, on a sample (null elsewhere). */
  second: number[] | null;
}

const HEADER = 'key,page,hostile,conspiratorial,unsure,second_hostile,second_conspiratorial';

function readLabels(): RealLabel[] {
  const lines = readFileSync(REAL_LABELS, 'utf8').trim().split('\n');
  if (lines[0] !== HEADER) throw new Error(`${REAL_LABELS}:1: header should be ${HEADER}, got ${lines[0]}`);
  return lines.slice(1).map((line, i) => {
    const [key, , hostile, conspiratorial, unsure, h2, c2] = line.split(',');
    const ok = /^[0-9a-f]{16}$/.test(key) && [hostile, conspiratorial, unsure].every((v) => /^[01]$/.test(v)) && [h2, c2].every((v) => /^[01]?$/.test(v));
    if (!ok) throw new Error(`${REAL_LABELS}:${i + 2}: malformed row: ${line}`);
    return { key, labels: [Number(hostile), Number(conspiratorial)], second: h2 && c2 ? [Number(h2), Number(c2)] : null };
  });
}

/** Per label, Cohen's kappa between the two labellers on the comments both labelled, and the 2×2 counts (first labeller's class, then second's). */
export function agreement(): { label: string; n: number; kappa: number; counts: number[][] }[] {
  const both = readLabels().filter((r) => r.second);
  return LABEL_NAMES.map((label, l) => {
    const counts = [[0, 0], [0, 0]];
    for (const r of both) counts[r.labels[l]][r.second![l]]++;
    const n = both.length;
    const po = (counts[0][0] + counts[1][1]) / n;
    const pa = (counts[1][0] + counts[1][1]) / n;
    const pb = (counts[0][1] + counts[1][1]) / n;
    const pe = pa * pb + (1 - pa) * (1 - pb);
    return { label, n, kappa: (po - pe) / (1 - pe), counts };
  });
}

/**
 * Writes the labelled real comments as a CSV (id,text,hostile,conspiratorial) to `out` and says how
 * many labelled keys it found; null when the labels file or the pages are absent. Each key counts
 * once (a page can repeat a comment word for word).
 */
export function writeRealComments(out: string): { rows: number; missing: number; hostile: number; conspiratorial: number } | null {
  if (!existsSync(REAL_LABELS) || !existsSync(path.join(PAGES, 'manifest.json'))) return null;
  const labels = new Map(readLabels().map((r) => [r.key, r.labels]));
  let text = csvLine(['id', 'text', 'hostile', 'conspiratorial']);
  const seen = new Set<string>();
  const counts = { rows: 0, missing: 0, hostile: 0, conspiratorial: 0 };
  for (const c of dragnetComments()) {
    const l = labels.get(c.key);
    if (!l || seen.has(c.key)) continue;
    seen.add(c.key);
    text += csvLine([c.key, c.text, l[0], l[1]]);
    counts.rows++;
    counts.hostile += l[0];
    counts.conspiratorial += l[1];
  }
  counts.missing = labels.size - seen.size;
  writeFileSync(out, text);
  return counts;
}
