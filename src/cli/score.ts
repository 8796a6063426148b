import { createInterface } from 'node:readline';
import { parseThresholds, scoreFile } from '../audit';
import { BtlError, describeSkipped, EXIT } from '../errors';
import { LABEL_NAMES, LABELS } from '../labels';
import { toJson } from '../score/json';
import type { ScoreOptions, Scored, Scorer } from '../score/types';
import { parseFlags, write, type Command, type Io } from './command';
import { Progress } from './progress';

const OPTIONS = {
  in: { type: 'string' },
  out: { type: 'string' },
  'text-column': { type: 'string' },
  json: { type: 'boolean' },
  model: { type: 'string' },
  threshold: { type: 'string', multiple: true },
} as const;

export type LoadModel = (dir?: string) => Promise<Scorer>;

/** The real loader, required lazily so that `btl --help` never loads the model code. */
const loadDefault: LoadModel = (dir) => (require('../score') as { loadModel: LoadModel }).loadModel(dir);

const HELP = `btl score: score comments for ${LABEL_NAMES.join(' and ')}, with the words that drove each flag

Usage:
  btl score [options] TEXT...            score each TEXT argument
  btl score [options] < comments.txt     score one comment per line of stdin
  btl score --in FILE.csv|FILE.jsonl --out FILE.csv|FILE.jsonl [--text-column text]

Options:
  --in FILE            CSV or JSONL of comments ("-" for stdin)
  --out FILE           where to write them with the scores added (CSV or JSONL by extension);
                       every input column is kept, and ${LABEL_NAMES.join(', ')} (4 decimals),
                       ${LABEL_NAMES.map((l) => `${l}_flag`).join(', ')} (0/1) and reasons are added;
                       a row whose text is blank (empty, spaces, JSON null) is kept with empty
                       score columns, not scored, and listed on stderr as skipped (exit 1);
                       a malformed row (bad CSV quoting, bad JSON) is listed and left out
  --text-column NAME   column holding the comment (default: text)
  --json               one JSON object per comment: text, scores, flags, spans
  --model DIR          model folder (default: the shipped model)
  --threshold L=V      flag label L from probability V (repeatable; a bare V sets every label),
                       e.g. --threshold hostile=0.7

Exit codes: 0 all scored, 1 some records skipped (listed on stderr), 2 usage, 3 bad input, 4 model.

Examples:
  btl score "You are a complete idiot" "Thanks for the article"
  btl score --json --threshold hostile=0.7 < new-comments.txt
  btl score --in comments.csv --out scored.csv
`;

export const command: Command = {
  name: 'score',
  summary: 'score comments (arguments, stdin lines, or a CSV/JSONL file) with flags and reasons',
  help: HELP,
  run: (argv, io) => runScore(argv, io, loadDefault),
};

/** `btl score` with the model loader passed in (tests pass their own). */
export async function runScore(argv: string[], io: Io, load: LoadModel): Promise<number> {
  const { values, positionals } = parseFlags(argv, OPTIONS);
  const options: ScoreOptions = { thresholds: parseThresholds(values.threshold) };
  if (values.in !== undefined || values.out !== undefined) {
    if (!values.in || !values.out) throw new BtlError('E_USAGE', '--in and --out go together');
    if (positionals.length) throw new BtlError('E_USAGE', 'give either TEXT arguments or --in, not both');
    if (values.json) throw new BtlError('E_USAGE', '--json is for TEXT and stdin; with --out, a .jsonl file gives JSON');
    const scorer = await load(values.model);
    const progress = new Progress(io.stderr, io.progress, 'scoring');
    let skipped = 0;
    const result = await scoreFile(scorer, values.in, values.out, {
      ...options,
      textColumn: values['text-column'],
      stdin: io.stdin,
      onSkip: (s) => {
        skipped++;
        progress.done();
        io.stderr.write(`btl score: ${describeSkipped(s)} (skipped)\n`);
      },
      onProgress: (n) => progress.update(n),
    });
    progress.done();
    if (result.replaced.length) io.stderr.write(`btl score: input columns ${result.replaced.join(', ')} were replaced by the scores\n`);
    io.stderr.write(`btl score: ${result.scored.toLocaleString('en')} comment${result.scored === 1 ? '' : 's'} scored to ${values.out}${skipped ? `, ${skipped} record${skipped === 1 ? '' : 's'} skipped` : ''}\n`);
    return skipped ? EXIT.partial : EXIT.ok;
  }
  if (values['text-column']) throw new BtlError('E_USAGE', '--text-column goes with --in');
  const scorer = await load(values.model);
  const print = (s: Scored): void => write(io.stdout, values.json ? JSON.stringify(toJson(s)) : io.tty ? pretty(s) : plain(s));
  if (positionals.length) {
    for (const s of scorer.score(positionals, options)) print(s);
    return EXIT.ok;
  }
  // one comment per line of stdin, scored in batches as they come
  let batch: string[] = [];
  let lines = 0;
  const rl = createInterface({ input: io.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.trim() === '') continue;
    batch.push(line);
    lines++;
    if (batch.length >= 256) {
      for (const s of scorer.score(batch, options)) print(s);
      batch = [];
    }
  }
  if (batch.length) for (const s of scorer.score(batch, options)) print(s);
  if (lines === 0) throw new BtlError('E_EMPTY', 'no comments on stdin (give TEXT arguments, lines on stdin, or --in FILE)', { file: '-' });
  return EXIT.ok;
}

/** Pipes: `flags<TAB>p(label)...<TAB>text`, one line per comment ("-" when nothing is flagged). */
function plain(s: Scored): string {
  return [s.flags.join(',') || '-', ...LABEL_NAMES.map((l) => s.scores[l].toFixed(4)), oneLine(s.text)].join('\t');
}

const COLOURS = ['\x1b[1;31m', '\x1b[1;35m', '\x1b[1;33m', '\x1b[1;36m'];
const RESET = '\x1b[0m';
const DIM = '\x1b[2m';

function colourOf(label: string): string {
  const i = LABELS.findIndex((l) => l.name === label);
  return COLOURS[i % COLOURS.length];
}

/** Terminals: scores, then the text with the words behind each flag in the label's colour. */
function pretty(s: Scored): string {
  const head = LABEL_NAMES.map((l) => {
    const text = `${l} ${s.scores[l].toFixed(2)}`;
    return s.flags.includes(l) ? `${colourOf(l)}${text}${RESET}` : `${DIM}${text}${RESET}`;
  }).join('  ');
  const spans = s.spans.filter((sp) => s.flags.includes(sp.label) && sp.weight > 0).sort((a, b) => a.start - b.start);
  let body = '';
  let at = 0;
  for (const sp of spans) {
    if (sp.start < at) continue; // overlapping span: keep the first
    body += oneLine(s.text.slice(at, sp.start)) + colourOf(sp.label) + '\x1b[4m' + oneLine(s.text.slice(sp.start, sp.end)) + RESET;
    at = sp.end;
  }
  body += oneLine(s.text.slice(at));
  return `${head}  ${body}`;
}

function oneLine(t: string): string {
  // control characters (ANSI escapes included) in user text never reach the terminal
  return t.replace(/[\x00-\x1f\x7f-\x9f]+/g, ' ');
}
