import { isLabelName } from '../labels';
import type { DecisionLog } from './log';
import type { QueueFilter, ReviewItem, SortOrder } from './types';

/** The audit's comments in both review orders, sorted once. */
export class ReviewQueue {
  readonly byId = new Map<string, ReviewItem>();
  private readonly orders: Record<SortOrder, ReviewItem[]>;

  constructor(readonly items: readonly ReviewItem[]) {
    for (const it of items) this.byId.set(it.id, it);
    this.orders = {
      // closest to a threshold first; among equals, the more severe
      uncertain: [...items].sort((a, b) => a.margin - b.margin || b.severity - a.severity || a.index - b.index),
      // highest score first
      severe: [...items].sort((a, b) => b.severity - a.severity || a.margin - b.margin || a.index - b.index),
    };
  }

  /** Items matching the filter, in the chosen order (skipped ones last), and how many match in all. */
  list(log: DecisionLog, f: QueueFilter = {}): { total: number; items: ReviewItem[] } {
    const order = this.orders[f.sort ?? 'uncertain'] ?? this.orders.uncertain;
    const status = f.status ?? 'todo';
    const limit = f.limit ?? 100;
    const label = f.label ?? '';
    const match = (it: ReviewItem): boolean => {
      if (f.article && it.article !== f.article) return false;
      if (f.author && it.author !== f.author) return false;
      if (label === 'any' && it.flags.length === 0) return false;
      if (label === 'none' && it.flags.length > 0) return false;
      if (isLabelName(label) && !it.flags.includes(label)) return false;
      const decided = log.current(it.id) !== undefined;
      if (status === 'todo' && decided) return false;
      if (status === 'done' && !decided) return false;
      return true;
    };
    const first: ReviewItem[] = [];
    const later: ReviewItem[] = [];
    let total = 0;
    for (const it of order) {
      if (!match(it)) continue;
      total++;
      if (f.skipped?.has(it.id)) {
        if (first.length + later.length < limit) later.push(it);
      } else if (first.length < limit) first.push(it);
    }
    return { total, items: [...first, ...later].slice(0, limit) };
  }

  /** Articles and authors with their comment counts, most comments first (at most `limit` each). */
  facets(limit = 500): { articles: [string, number][]; authors: [string, number][] } {
    const count = (key: 'article' | 'author') => {
      const m = new Map<string, number>();
      for (const it of this.items) if (it[key]) m.set(it[key], (m.get(it[key]) ?? 0) + 1);
      return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, limit);
    };
    return { articles: count('article'), authors: count('author') };
  }
}
