import type { Skipped } from '../errors';
import { LABEL_NAMES, type LabelName } from '../labels';
import type { Span } from '../score/types';
import type { AuditComment, LabelCounts } from './types';

/** One scored comment as comments.csv holds it. */
export interface CommentRow extends AuditComment {
  scores: Record<LabelName, number>;
  flags: LabelName[];
  reasons: string;
  spans: Span[];
}

export interface GroupStats {
  name: string;
  comments: number;
  flagged: number;
  /** Flagged share of this group's comments. */
  share: number;
  byLabel: LabelCounts;
}

export interface Histogram {
  /** Lower edges of equal-width bins over [0, 1]. */
  edges: number[];
  counts: number[];
}

export interface Summary {
  format: 'btl-audit-summary';
  version: 1;
  complete: boolean;
  model: { version: string; dir: string; thresholds: Record<LabelName, number>; scoring: string };
  inputs: string[];
  startedAt: string;
  finishedAt: string;
  counts: { comments: number; flagged: number; byLabel: LabelCounts; pages: number; pagesWithoutComments: number; skipped: number; articles: number; authors: number };
  /** Share of comments flagged: any label, and per label. */
  flaggedShare: { any: number } & Record<LabelName, number>;
  histograms: Record<LabelName, Histogram>;
  /** Groups with the most flagged comments first (at most GROUP_LIMIT listed; `truncated` when some were left out or merged). */
  perArticle: { listed: number; truncated: boolean; groups: GroupStats[] };
  perAuthor: { listed: number; truncated: boolean; groups: GroupStats[] };
  mostFlagged: { articles: GroupStats[]; authors: GroupStats[] };
  /** Records, pages and inputs that could not be used: file:line and why (the first SKIP_LIMIT). */
  bad: { total: number; listed: Skipped[] };
}

const BINS = 20;
/** Groups (articles, authors) tracked exactly; beyond this the smallest are dropped and the list is marked truncated. */
const GROUP_CAP = 20_000;
const GROUP_LIMIT = 1000;
const SKIP_LIMIT = 1000;
const TOP = 10;

/**
 * A copy of `s` that does not share memory with the string it was cut from. Parsers hand out
 * fields as slices of the chunk they read, and a slice keeps its whole chunk alive: the few rows
 * and names kept for the whole audit must not pin thousands of chunks.
 */
export function ownString(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

const zeroCounts = (): LabelCounts => Object.fromEntries(LABEL_NAMES.map((l) => [l, 0])) as LabelCounts;

interface Group {
  comments: number;
  flagged: number;
  byLabel: LabelCounts;
}

/** Counts per article or author in bounded memory: past `cap` groups, the smaller half is dropped. */
class Groups {
  readonly map = new Map<string, Group>();
  truncated = false;
  constructor(private readonly cap = GROUP_CAP) {}

  add(key: string, flags: readonly LabelName[]): void {
    let g = this.map.get(key);
    if (!g) {
      if (this.map.size >= this.cap) this.prune();
      g = { comments: 0, flagged: 0, byLabel: zeroCounts() };
      this.map.set(ownString(key), g);
    }
    g.comments++;
    if (flags.length) g.flagged++;
    for (const l of flags) g.byLabel[l]++;
  }

  private prune(): void {
    const sorted = [...this.map.entries()].sort((a, b) => b[1].flagged - a[1].flagged || b[1].comments - a[1].comments);
    this.map.clear();
    for (const [k, v] of sorted.slice(0, this.cap >> 1)) this.map.set(k, v);
    this.truncated = true;
  }

  list(limit: number): GroupStats[] {
    return [...this.map.entries()]
      .map(([name, g]) => ({ name, comments: g.comments, flagged: g.flagged, share: round(g.flagged / g.comments), byLabel: g.byLabel }))
      .sort((a, b) => b.flagged - a.flagged || b.share - a.share || b.comments - a.comments || (a.name < b.name ? -1 : 1))
      .slice(0, limit);
  }
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Running totals over the scored comments, in bounded memory, plus the flagged comments the report shows. */
export class Aggregator {
  comments = 0;
  flagged = 0;
  pages = 0;
  pagesWithoutComments = 0;
  readonly byLabel = zeroCounts();
  readonly hist: Record<LabelName, number[]> = Object.fromEntries(LABEL_NAMES.map((l) => [l, new Array(BINS).fill(0)])) as Record<LabelName, number[]>;
  readonly articles = new Groups();
  readonly authors = new Groups();
  skippedTotal = 0;
  readonly skipped: Skipped[] = [];
  /** Flagged comments with the highest scores (at most `reportLimit`). */
  private top: { row: CommentRow; strength: number }[] = [];
  /** Once the list is full, a flagged comment must score above this to enter it. */
  private topFloor = -1;

  constructor(private readonly reportLimit = 2000) {}

  add(row: CommentRow): void {
    this.comments++;
    for (const l of LABEL_NAMES) {
      const p = row.scores[l];
      this.hist[l][Math.min(BINS - 1, Math.max(0, Math.floor(p * BINS)))]++;
    }
    if (row.flags.length) {
      this.flagged++;
      for (const l of row.flags) this.byLabel[l]++;
      let strength = 0;
      for (const l of row.flags) if (row.scores[l] > strength) strength = row.scores[l];
      if (strength > this.topFloor || this.top.length < this.reportLimit) {
        const kept: CommentRow = { ...row, source: ownString(row.source), article: ownString(row.article), author: ownString(row.author), time: ownString(row.time), text: ownString(row.text), reasons: ownString(row.reasons) };
        this.top.push({ row: kept, strength });
        if (this.top.length >= this.reportLimit * 2) this.trimTop();
      }
    }
    this.articles.add(row.article || '(no article)', row.flags);
    if (row.author) this.authors.add(row.author, row.flags);
  }

  skip(s: Skipped): void {
    this.skippedTotal++;
    if (this.skipped.length < SKIP_LIMIT) this.skipped.push(s);
  }

  private trimTop(): void {
    this.top.sort((a, b) => b.strength - a.strength);
    if (this.top.length >= this.reportLimit) {
      this.top.length = this.reportLimit;
      this.topFloor = this.top[this.top.length - 1].strength;
    }
  }

  topFlagged(): CommentRow[] {
    this.trimTop();
    return this.top.map((t) => t.row);
  }

  summary(meta: Pick<Summary, 'complete' | 'model' | 'inputs' | 'startedAt' | 'finishedAt'>): Summary {
    const share = { any: this.comments ? round(this.flagged / this.comments) : 0 } as Summary['flaggedShare'];
    for (const l of LABEL_NAMES) share[l] = this.comments ? round(this.byLabel[l] / this.comments) : 0;
    const histograms = {} as Summary['histograms'];
    for (const l of LABEL_NAMES) histograms[l] = { edges: this.hist[l].map((_, i) => i / BINS), counts: [...this.hist[l]] };
    const articles = this.articles.list(GROUP_LIMIT);
    const authors = this.authors.list(GROUP_LIMIT);
    return {
      format: 'btl-audit-summary',
      version: 1,
      ...meta,
      counts: {
        comments: this.comments,
        flagged: this.flagged,
        byLabel: { ...this.byLabel },
        pages: this.pages,
        pagesWithoutComments: this.pagesWithoutComments,
        skipped: this.skippedTotal,
        articles: this.articles.map.size,
        authors: this.authors.map.size,
      },
      flaggedShare: share,
      histograms,
      perArticle: { listed: articles.length, truncated: this.articles.truncated || this.articles.map.size > GROUP_LIMIT, groups: articles },
      perAuthor: { listed: authors.length, truncated: this.authors.truncated || this.authors.map.size > GROUP_LIMIT, groups: authors },
      mostFlagged: { articles: articles.filter((g) => g.flagged > 0).slice(0, TOP), authors: authors.filter((g) => g.flagged > 0).slice(0, TOP) },
      bad: { total: this.skippedTotal, listed: [...this.skipped] },
    };
  }
}
