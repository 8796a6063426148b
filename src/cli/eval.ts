import { BtlError, describeSkipped, EXIT } from '../errors';
import { parseThresholds } from '../audit/thresholds';
import { evaluate, readLabelled, readModel } from '../model';
import { parseFlags, parseLabelColumns, parsePairs, write, type Command } from './command';
import { evaluationRows, metricsTable } from './train';

const HELP = `Usage: btl eval --data FILE [--data FILE…] [--model DIR] [options]

Measure a model on labelled comments: per label ROC-AUC, PR-AUC, and precision, recall and F1 at
the model's threshold, with the counts.

Options:
  --model DIR            model folder (default: the shipped model)
  --data FILE            labelled CSV or JSONL (repeatable)
  --text-column NAME     column holding the comment (default: text)
  --label NAME=COLUMN    read label NAME from COLUMN (repeatable)
  --where COLUMN=VALUE   use only rows with this value (repeatable)
  --threshold NAME=P     evaluate at this threshold instead of the model's (repeatable)
  --json                 print the metrics as JSON

Example:
  btl eval --data data/eval/news-comments.csv
`;


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
        json: { type: 'boolean' },
      },
      false,
    );
    if (!v.data?.length) throw new BtlError('E_USAGE', 'give at least one --data FILE');
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
    const result = evaluate(model, data.rows, thresholds);
    if (v.json) write(io.stdout, JSON.stringify({ model: model.manifest.name, rows: data.rows.length, skipped: data.skipped.length, metrics: result }, null, 1));
    else write(io.stdout, `${data.rows.length} rows (${data.skipped.length} skipped; ${data.duplicates} repeat an earlier text and are counted as given)\n${metricsTable(evaluationRows(result))}`);
    return data.skipped.length ? EXIT.partial : EXIT.ok;
  },
};
