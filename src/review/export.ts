import { LABEL_NAMES } from '../labels';
import { csvLine, writeFileAtomic } from '../records';
import type { DecisionLog } from './log';

export function exportColumns(): string[] {
  return ['text', ...LABEL_NAMES, 'article', 'author', 'decided_by', 'decided_at'];
}

/** The decisions in force as training CSV text (text, one 1/0 column per label, then provenance). */
export function decisionsCsv(log: DecisionLog): { csv: string; rows: number } {
  let csv = csvLine(exportColumns());
  const decisions = log.decisions();
  for (const d of decisions) {
    csv += csvLine([d.text, ...LABEL_NAMES.map((l) => (d.labels[l] ? 1 : 0)), d.article, d.author, d.moderator, d.at]);
  }
  return { csv, rows: decisions.length };
}

/** Write the decisions to `file` in the training CSV shape, atomically. Returns the row count. */
export async function exportDecisions(log: DecisionLog, file: string): Promise<number> {
  const { csv, rows } = decisionsCsv(log);
  await writeFileAtomic(file, csv);
  return rows;
}
