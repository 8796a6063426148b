import { BtlError, describeSkipped, EXIT } from '../errors';
import { parseThresholds } from '../audit/thresholds';
import { evaluate, MIN_ROWS_PER_CLASS, readLabelled, readModel, scoreRows, sweepThresholds, type Counts, type ThresholdSweep } from '../model';
import { parseFlags, parseLabelColumns, parsePairs, write, type Command } from './command';
import { evaluationRows, metricsTable, targetPrecision } from './train';

const HELP = `Usage: btl eval --data FILE [--data FILE…] [--model DIR] [options]

Measure a model on labelled comments: per label ROC-AUC, PR-AUC, and precision, recall and F1 at
the model's threshold, with the counts. With --sweep, choose a threshold for your own comment
section: label a sample of it, then see what each threshold would flag.

Options:
  --model DIR            model folder (default: the shipped model)
  --data FILE            labelled CSV or JSONL (repeatable)
  --text-column NAME     column holding the comment (default: text)
  --label NAME=COLUMN    read label NAME from COLUMN (repeatable)
  --where COLUMN=VALUE   use only rows with this value (repeatable)
  --threshold NAME=P     evaluate at this threshold instead of the model's (repeatable)
  --sweep                also show each label's precision, recall, F1 and share flagged over a
                         range of thresholds, and the thresholds these comments favour (best F1;
                         the lowest reaching --target-precision), as --threshold flags to use
  --target-precision P   the precision --sweep looks for (default 0.9)
  --json                 print the metrics as JSON

Examples:
  btl eval --data data/eval/news-comments.csv
  btl eval --data my-labelled-comments.csv --sweep --target-precision 0.95
`;

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** One label's sweep as a table, then the thresholds it suggests. */
function sweepTable(label: string, s: ThresholdSweep): string {
  const flagged = (m: Counts) => (m.tp + m.fp) / m.n;
  const ofNegatives = (m: Counts) => (m.fp + m.tn ? m.fp / (m.fp + m.tn) : 0);
  const figures = (m: Counts) => `${m.precision.toFixed(3).padStart(9)} ${m.recall.toFixed(3).padStart(7)} ${m.f1.toFixed(3).padStart(7)} ${pct(flagged(m)).padStart(8)} ${pct(ofNegatives(m)).padStart(13)}`;
  const row = (m: Counts, mark: string) => `${(String(Number(m.threshold.toFixed(4))) + mark).padStart(10)} ${figures(m)}`;
  // a suggestion shows its threshold exactly as the flag gives it
  const suggest = (m: Counts) => `${String(m.threshold).padEnd(8)} ${figures(m).trim()}  -> --threshold ${label}=${m.threshold}`;
  const first = s.points[0];
  const few = Math.min(first.positives, first.n - first.positives) < MIN_ROWS_PER_CLASS;
  const lines = [
    `${label}: ${first.n} rows, ${first.positives} positive; * = the threshold in use (the model's, or --threshold)`,
    ` threshold precision  recall      F1  flagged  of negatives`,
    ...s.points.map((m) => row(m, m.threshold === s.current ? '*' : ' ')),
    `  best F1 on these rows: ${suggest(s.bestF1)}`,
    s.forPrecision ? `  lowest reaching precision ${s.targetPrecision}: ${suggest(s.forPrecision)}` : `  no threshold reaches precision ${s.targetPrecision} on these rows`,
    ...(few ? [`  few rows: with under ${MIN_ROWS_PER_CLASS} positives or negatives these figures move a lot from one sample to the next; label more`] : []),
  ];
  return lines.join('\n');
}

export const command: Command = {
  name: 'eval',
  summary: 'measure a model on labelled comments',
  help: HELP,
  async run(argv, io) {
    const { values: v } = parseFlags(
      argv,
      {
        model: { type: 'string' },
        data: { type: 'string', multiple: true },
        'text-column': { type: 'string' },
        label: { type: 'string', multiple: true },
        where: { type: 'string', multiple: true },
        threshold: { type: 'string', multiple: true },
        sweep: { type: 'boolean' },
        'target-precision': { type: 'string' },
        json: { type: 'boolean' },
      },
      false,
    );
    if (!v.data?.length) throw new BtlError('E_USAGE', 'give at least one --data FILE');
    const target = targetPrecision(v['target-precision']);
    if (target !== undefined && !v.sweep) throw new BtlError('E_USAGE', '--target-precision goes with --sweep');
    const labelColumns = parseLabelColumns(v.label);
    const model = await readModel(v.model);
    const thresholds = { ...model.manifest.thresholds, ...parseThresholds(v.threshold) };
    const data = await readLabelled(v.data, {
      textColumn: v['text-column'],
      labelColumns,
      where: Object.fromEntries(parsePairs(v.where, '--where')),
      keepDuplicates: true,
      onSkip: (s) => io.stderr.write(`btl eval: skipped ${describeSkipped(s)}\n`),
    });
    const scored = scoreRows(model, data.rows);
    const result = evaluate(model, scored, thresholds);
    const sweep = v.sweep ? sweepThresholds(model, scored, { targetPrecision: target, thresholds }) : undefined;
    if (v.json) write(io.stdout, JSON.stringify({ model: model.manifest.name, rows: data.rows.length, skipped: data.skipped.length, metrics: result, ...(sweep ? { sweep } : {}) }, null, 1));
    else {
      const sweeps = Object.entries(sweep ?? {}).map(([label, sw]) => (sw ? sweepTable(label, sw) : `${label}: not swept (it needs rows labelled with both classes, and a model that has the label)`));
      write(io.stdout, [`${data.rows.length} rows (${data.skipped.length} skipped; ${data.duplicates} repeat an earlier text and are counted as given)\n${metricsTable(evaluationRows(result))}`, ...sweeps].join('\n\n'));
    }
    return data.skipped.length ? EXIT.partial : EXIT.ok;
  },
};
