import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commentColumns } from '../../src/audit/output';
import { csvLine } from '../../src/records';

/** One comment row of an audit's comments.csv, written by hand (no model needed). */
export interface FixtureComment {
  article: string;
  author: string;
  text: string;
  hostile: number;
  conspiratorial: number;
  /** Spans as [word in text, label, weight]. */
  spans?: [string, string, number][];
}

/** Invented comments in the shape btl audit writes; the first line carries markup to check escaping. */
export const FIXTURE_COMMENTS: FixtureComment[] = [
  { article: 'Harbour wall vote', author: '<b>mallory</b>', text: '<script>window.pwned=1</script> you absolute muppet, <img src=x onerror="window.pwned=2">', hostile: 0.55, conspiratorial: 0.1, spans: [['muppet', 'hostile', 0.4]] },
  { article: 'Harbour wall vote', author: 'ann', text: 'The council staged the whole flood to sell the land, wake up', hostile: 0.2, conspiratorial: 0.92, spans: [['staged', 'conspiratorial', 0.6], ['wake up', 'conspiratorial', 0.3]] },
  { article: 'Budget night', author: 'bob', text: 'Sensible budget for once, the bus money is overdue.', hostile: 0.03, conspiratorial: 0.02 },
  { article: 'Budget night', author: 'ann', text: 'Only a clown would vote for this, total vermin the lot of them', hostile: 0.97, conspiratorial: 0.05, spans: [['clown', 'hostile', 0.3], ['vermin', 'hostile', 0.7]] },
  { article: 'School meals', author: 'cara', text: 'Funny how the report vanished the day before the vote. Who benefits?', hostile: 0.1, conspiratorial: 0.48, spans: [['vanished', 'conspiratorial', 0.2]] },
  { article: 'School meals', author: 'dev', text: 'My kids love the new menu, thanks to the cooks.', hostile: 0.01, conspiratorial: 0.01 },
];

/** Write an audit folder (comments.csv in the audit's exact columns, summary.json thresholds). */
export function writeAuditFixture(dir: string, comments: FixtureComment[] = FIXTURE_COMMENTS, thresholds = { hostile: 0.5, conspiratorial: 0.5 }): string {
  mkdirSync(dir, { recursive: true });
  let csv = csvLine(commentColumns());
  comments.forEach((c, i) => {
    const flags = (['hostile', 'conspiratorial'] as const).filter((l) => c[l] >= thresholds[l]);
    const spans = (c.spans ?? []).map(([w, l, wt]) => {
      const s = c.text.indexOf(w);
      if (s < 0) throw new Error(`fixture span "${w}" not in text`);
      return `${s}-${s + w.length}:${l}:${wt}`;
    });
    csv += csvLine(['dump.csv', i + 2, c.article, c.author, '2024-05-0' + ((i % 9) + 1), c.text, c.hostile.toFixed(4), c.conspiratorial.toFixed(4), flags.join(';'), '', spans.join(' ')]);
  });
  writeFileSync(join(dir, 'comments.csv'), csv);
  writeFileSync(join(dir, 'summary.json'), JSON.stringify({ format: 'btl-audit-summary', version: 1, model: { version: 'fixture', dir: '/fixture', thresholds, scoring: 'none' } }));
  return dir;
}
