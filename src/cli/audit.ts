import { audit } from '../audit';
import { parseThresholds } from '../audit/thresholds';
import { BtlError, EXIT } from '../errors';
import type { Scorer } from '../score/types';
import { parseFlags, type Command, type Io } from './command';
import { Progress } from './progress';

const OPTIONS = {
  out: { type: 'string', short: 'o' },
  model: { type: 'string' },
  resume: { type: 'boolean' },
  threshold: { type: 'string', multiple: true },
  'text-column': { type: 'string' },
  workers: { type: 'string' },
} as const;

type LoadModel = (dir?: string) => Promise<Scorer>;
const loadDefault: LoadModel = (dir) => (require('../score') as { loadModel: LoadModel }).loadModel(dir);

const HELP = `btl audit: score every comment of a dump and write a report

Usage: btl audit INPUT... --out DIR [--model DIR] [--resume]

INPUT is any mix of: folders of page dumps (text or HTML; each page is split and its comments
scored with the article title), CSV or JSONL files of comments (a text column, and optional
article, author and time columns), or - for CSV/JSONL on stdin.

Writes:
  DIR/comments.csv   one row per comment (source, line, article, author, time, text, scores,
                     flags, reasons, spans), written as it goes
  DIR/summary.json   counts, flagged shares per label, article and author, score histograms,
                     the most flagged articles and authors, and every bad page or row
  DIR/report.html    one self-contained page (opens offline): charts and the flagged comments

Options:
  --out DIR            output folder (created if needed)
  --model DIR          model folder (default: the shipped model)
  --resume             continue a stopped audit in DIR where it stopped (same inputs)
  --threshold L=V      flag label L from probability V (repeatable; a bare V sets every label)
  --text-column NAME   column holding the comment in CSV/JSONL inputs (default: text)
  --workers N          scoring threads (default: cores less one; 0 = this thread)

Exit codes: 0 everything processed; 1 partial: some inputs, pages or rows skipped (see
summary.json) or stopped early; 2 usage; 3 unreadable input: every input missing or unreadable,
so nothing was processed; 4 model problem.

Examples:
  btl audit data/examples/pages --out audit-out
  btl audit dump1.csv dump2.jsonl pages/ --out audit-out --threshold hostile=0.7
  btl audit big-dump.csv --out audit-out --resume
`;

export const command: Command = {
  name: 'audit',
  summary: 'score whole comment dumps (page folders, CSV, JSONL) into comments.csv, summary.json and report.html',
  help: HELP,
  run: (argv, io) => runAudit(argv, io, loadDefault),
};

export async function runAudit(argv: string[], io: Io, load: LoadModel): Promise<number> {
  const { values, positionals } = parseFlags(argv, OPTIONS);
  if (!values.out) throw new BtlError('E_USAGE', '--out DIR is required');
  if (positionals.length === 0) throw new BtlError('E_USAGE', 'give at least one INPUT (folder, CSV, JSONL or -)');
  let workers: number | undefined;
  if (values.workers !== undefined) {
    workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 0) throw new BtlError('E_USAGE', '--workers must be a whole number, 0 or more');
  }
  const thresholds = parseThresholds(values.threshold);
  const model = await load(values.model);
  const progress = new Progress(io.stderr, io.progress, 'auditing');
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let result;
  try {
    result = await audit(positionals, {
      out: values.out,
      model,
      resume: values.resume,
      thresholds,
      workers,
      textColumn: values['text-column'],
      stdin: io.stdin,
      signal: controller.signal,
      onProgress: (p) => {
        const total = p.fraction && p.fraction > 0.001 ? Math.max(p.comments, Math.round(p.comments / p.fraction)) : undefined;
        progress.update(p.comments, total, `${p.flagged.toLocaleString('en')} flagged${p.skipped ? `, ${p.skipped} skipped` : ''}`);
      },
    });
  } finally {
    progress.done();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  const e = io.stderr;
  if (result.scoring.startsWith('in-process (')) e.write(`btl audit: scoring ${result.scoring}\n`);
  e.write(
    `btl audit: ${result.comments.toLocaleString('en')} comments, ${result.flagged.toLocaleString('en')} flagged` +
      `${result.skipped ? `, ${result.skipped.toLocaleString('en')} pages/rows skipped (listed in ${result.files.summary})` : ''}\n`,
  );
  if (!result.complete) e.write(`btl audit: stopped before the end; continue with: btl audit ${positionals.join(' ')} --out ${values.out} --resume\n`);
  io.stdout.write(`${result.files.report}\n`);
  if (result.complete && result.skipped === 0) return EXIT.ok;
  // nothing but whole inputs that could not be read: no comment, no page, no row to show for it
  if (result.complete && result.comments === 0 && result.pages === 0 && result.unreadableInputs > 0 && result.unreadableInputs === result.skipped) {
    e.write(`btl audit: no input could be read (listed in ${result.files.summary})\n`);
    return EXIT.input;
  }
  return EXIT.partial;
}
