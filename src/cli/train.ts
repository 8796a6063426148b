import { BtlError, describeSkipped, EXIT } from '../errors';
import { LABEL_NAMES, labelSpec, parseLabelValues, type LabelName } from '../labels';
import { TRAIN_DEFAULTS, train, type BinaryMetrics, type Evaluation } from '../model';
import { parseFlags, parseLabelColumns, parsePairs, write, type Command } from './command';
import { formatDuration, Progress } from './progress';

const HELP = `Usage: btl train --data FILE [--data FILE…] --out DIR [options]

Train a hostile / conspiratorial classifier on labelled comments (CSV or JSONL: a text column and
one column per label, each cell 1, 0 or empty for "not labelled"), or continue one with --from.

Options:
  --data FILE            labelled comments (repeatable)
  --out DIR              where to write the model (written atomically)
  --from DIR             start from this model: keep its featuriser, continue from its weights
  --replay FILE          earlier training data to mix in when retraining (repeatable); rows are
                         then held out from the fresh --data only, if that gives 30 of each class
  --replay-rows N        at most N replay rows, sampled (default 20000)
  --eval FILE            labelled file to report metrics on, before and after (repeatable)
  --text-column NAME     column holding the comment (default: text)
  --label NAME=COLUMN    read label NAME from COLUMN (repeatable; labels: ${LABEL_NAMES.join(', ')})
  --where COLUMN=VALUE   use only rows with this value (repeatable), e.g. --where split=train
  --target-precision P   threshold = lowest reaching precision P (default: best F1)
  --prevalence L=SHARE   the share of label L's positives in the comments you will score, e.g.
                         hostile=0.05 (repeatable; a bare SHARE sets every label): probabilities
                         and thresholds are then those of that share, not of the training rows'.
                         A retrained model keeps its starting model's unless given;
                         L=none drops it
  --epochs N  --batch-size N  --learning-rate X  --l2 X  --seed N  --name NAME
  --no-nb                plain TF-IDF features: no naive Bayes scale per label (a new model has one)
  --vectors PATH         word vectors for a new model: a vectors.bin, or a model folder holding
                         one (default: the shipped model's; a retrained model keeps its own)
  --no-vectors           a new model without word vectors: hashed n-grams only
  --vector-weight X      length of the word-vector inputs beside the n-grams (default ${TRAIN_DEFAULTS.vectorWeight})
  --strict               stop at the first malformed row instead of skipping it
  --json                 print the result as JSON

Examples:
  btl train --data data/comments/hostile.csv --data data/comments/conspiratorial.csv --out models/mine
  btl train --data data/comments/hostile.csv --prevalence hostile=0.05 --out models/rare
  btl train --from models/default --data fresh.csv --replay data/comments/hostile.csv --eval data/eval/news-comments.csv --out models/next
`;


/** A numeric flag: `count` wants a whole number >= 1, `seed` a whole number >= 0, `positive` any number >= 0. */
function num(v: string | undefined, flag: string, kind: 'count' | 'positive' | 'seed' = 'positive'): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  const ok = kind === 'count' ? Number.isInteger(n) && n >= 1 : kind === 'seed' ? Number.isInteger(n) && n >= 0 : Number.isFinite(n) && n >= 0;
  const want = kind === 'count' ? 'a whole number of at least 1' : kind === 'seed' ? 'a whole number' : 'a number of at least 0';
  if (!ok) throw new BtlError('E_USAGE', `${flag} wants ${want}, got "${v}"`);
  return n;
}

/** --target-precision: a precision in (0, 1]; undefined when not given. */
export function targetPrecision(v: string | undefined): number | undefined {
  const tp = num(v, '--target-precision');
  if (tp !== undefined && (tp <= 0 || tp > 1)) throw new BtlError('E_USAGE', '--target-precision must be in (0, 1]');
  return tp;
}

/** --prevalence specs: LABEL=SHARE or a bare SHARE; LABEL=none (or a bare none) drops the share a starting model was calibrated for. */
function parsePrevalence(specs: readonly string[] = []): Partial<Record<LabelName, number | null>> {
  const dropped: Partial<Record<LabelName, null>> = {};
  const shares: string[] = [];
  for (const spec of specs) {
    const s = labelSpec('--prevalence', spec);
    if (s.value.trim() === 'none') for (const l of s.labels) dropped[l] = null;
    else shares.push(spec);
  }
  return { ...dropped, ...parseLabelValues('--prevalence', shares, true) };
}

const pct = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '   -  ' : x.toFixed(4));

export function metricsTable(rows: [string, BinaryMetrics | null][]): string {
  const head = `${'label'.padEnd(16)} ${'ROC-AUC'.padStart(7)} ${'PR-AUC'.padStart(7)} ${'prec'.padStart(7)} ${'recall'.padStart(7)} ${'F1'.padStart(7)} ${'thresh'.padStart(7)}   n (pos)`;
  const lines = rows.map(([name, m]) =>
    m
      ? `${name.padEnd(16)} ${pct(m.rocAuc).padStart(7)} ${pct(m.prAuc).padStart(7)} ${pct(m.precision).padStart(7)} ${pct(m.recall).padStart(7)} ${pct(m.f1).padStart(7)} ${m.threshold.toFixed(3).padStart(7)}   ${m.n} (${m.positives})`
      : `${name.padEnd(16)} (not measured: needs both classes)`,
  );
  return [head, ...lines].join('\n');
}

export function evaluationRows(e: Evaluation, prefix = ''): [string, BinaryMetrics | null][] {
  return LABEL_NAMES.map((l) => [`${prefix}${l}`, e[l] ?? null]);
}

export const command: Command = {
  name: 'train',
  summary: 'train or retrain the classifier on labelled comments',
  help: HELP,
  async run(argv, io) {
    const { values: v } = parseFlags(
      argv,
      {
        data: { type: 'string', multiple: true },
        out: { type: 'string' },
        from: { type: 'string' },
        replay: { type: 'string', multiple: true },
        'replay-rows': { type: 'string' },
        eval: { type: 'string', multiple: true },
        'text-column': { type: 'string' },
        label: { type: 'string', multiple: true },
        where: { type: 'string', multiple: true },
        'target-precision': { type: 'string' },
        prevalence: { type: 'string', multiple: true },
        epochs: { type: 'string' },
        'batch-size': { type: 'string' },
        'learning-rate': { type: 'string' },
        l2: { type: 'string' },
        seed: { type: 'string' },
        name: { type: 'string' },
        strict: { type: 'boolean' },
        'no-nb': { type: 'boolean' },
        vectors: { type: 'string' },
        'no-vectors': { type: 'boolean' },
        'vector-weight': { type: 'string' },
        json: { type: 'boolean' },
      },
      false,
    );
    if (!v.data?.length) throw new BtlError('E_USAGE', 'give at least one --data FILE');
    if (!v.out) throw new BtlError('E_USAGE', 'give --out DIR');
    const labelColumns = parseLabelColumns(v.label);
    const tp = targetPrecision(v['target-precision']);
    const prevalence = parsePrevalence(v.prevalence);
    if (v.vectors && v['no-vectors']) throw new BtlError('E_USAGE', 'give --vectors PATH or --no-vectors, not both');
    if (v.from && (v.vectors || v['no-vectors'] || v['vector-weight'])) {
      throw new BtlError('E_USAGE', '--vectors, --no-vectors and --vector-weight are for a new model: a model retrained --from keeps its own word vectors');
    }
    const progress = new Progress(io.stderr, io.progress, 'train');
    let skippedShown = 0;
    const started = Date.now();
    const result = await train({
      data: v.data,
      out: v.out,
      from: v.from,
      replay: v.replay,
      replayRows: num(v['replay-rows'], '--replay-rows', 'count'),
      eval: v.eval,
      targetPrecision: tp,
      prevalence,
      epochs: num(v.epochs, '--epochs', 'count'),
      batchSize: num(v['batch-size'], '--batch-size', 'count'),
      learningRate: num(v['learning-rate'], '--learning-rate'),
      l2: num(v.l2, '--l2'),
      seed: num(v.seed, '--seed', 'seed'),
      nb: v['no-nb'] ? false : undefined,
      vectors: v['no-vectors'] ? null : v.vectors,
      vectorWeight: num(v['vector-weight'], '--vector-weight'),
      name: v.name,
      dataOptions: { textColumn: v['text-column'], labelColumns, strict: v.strict, where: Object.fromEntries(parsePairs(v.where, '--where')) },
      onSkip: (s) => {
        if (skippedShown++ < 20) io.stderr.write(`btl train: skipped ${describeSkipped(s)}\n`);
      },
      onBatch: (done, total, epoch) => progress.update(done, total, `epoch ${epoch}`),
      onEpoch: (e) => {
        progress.done();
        if (io.progress) {
          const per = (Date.now() - started) / 1000 / e.epoch;
          const auc = e.heldOutAuc.map((a, i) => `${LABEL_NAMES[i]} ${Number.isNaN(a) ? '-' : a.toFixed(4)}`).join(', ');
          io.stderr.write(`epoch ${e.epoch}/${e.epochs}  loss ${e.loss.toFixed(4)}  held-out ROC-AUC ${auc}  ${e.seconds.toFixed(1)}s  (at most ${formatDuration(per * (e.epochs - e.epoch))} left)\n`);
        }
      },
    });
    progress.done();
    const applied = (result.manifest.training.options.prevalence ?? {}) as Record<string, number>;
    for (const [label, share] of Object.entries(prevalence)) {
      if (share !== null && applied[label] !== share) io.stderr.write(`btl train: --prevalence ${label}=${share} not applied: this run does not recalibrate ${label} (the data teaches it no held-out rows of both classes)\n`);
    }
    if (v.json) {
      write(io.stdout, JSON.stringify({ dir: result.dir, manifest: result.manifest, skipped: result.skipped, duplicates: result.duplicates, heldOutBefore: result.heldOutBefore, evals: result.evals }, null, 1));
    } else {
      const m = result.manifest;
      const t = m.training;
      write(io.stdout, `Model written to ${result.dir}${t.from ? ` (continued from ${t.from.name})` : ''}`);
      write(io.stdout, `  rows: ${t.rows.train} train, ${t.rows.heldOut} held out, ${result.duplicates} duplicates dropped, ${result.skipped.length} malformed skipped`);
      const shares = Object.entries(applied);
      if (shares.length) write(io.stdout, `  calibrated and thresholded for a share of positives of ${shares.map(([l, s]) => `${l} ${s}`).join(', ')} (held-out figures below are on the held-out rows as they are)`);
      write(io.stdout, `  ${t.epochs} epochs (best: ${Object.entries(t.bestEpoch).map(([l, e]) => `${l} ${e}`).join(', ')}) in ${t.seconds}s on tfjs ${t.backend}`);
      const held = result.heldOutBefore
        ? [...evaluationRows(result.heldOutBefore, 'before '), ...evaluationRows(m.metrics.heldOut, 'after ')]
        : evaluationRows(m.metrics.heldOut);
      write(io.stdout, `\nHeld-out (${t.rows.heldOut} rows):\n${metricsTable(held)}`);
      for (const e of result.evals) {
        const rows = e.before ? [...evaluationRows(e.before, 'before '), ...evaluationRows(e.after, 'after ')] : evaluationRows(e.after);
        write(io.stdout, `\n${e.file}:\n${metricsTable(rows)}`);
      }
      if (result.skipped.length > skippedShown) io.stderr.write(`btl train: ${result.skipped.length} malformed rows skipped in all\n`);
    }
    return result.skipped.length ? EXIT.partial : EXIT.ok;
  },
};
