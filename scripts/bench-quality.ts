/**
 * npm run bench:quality — btl beside the peer baselines (fastText, TF-IDF + logistic regression
 * from ../shared/tools/peers.py) on the corpora's dev split, then transfer: leave one source out
 * (train without Fox, test on Fox; without Civil, test on Civil), the project's own
 * hand-labelled comments (data/eval), and real reader comments the project labelled
 * (data/eval/real), none of which any model here was trained on.
 * Options: --skip-peers (btl only), --skip-transfer. Environment: BTL_EPOCHS, BTL_LR, BTL_L2, BTL_BS,
 * BTL_SEED override the training defaults (BTL_SEED=1 shows how much a figure owes to the seed);
 * BTL_VECTORS=none trains without word vectors (by default they are built as train:default builds them).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LABEL_NAMES } from '../src/labels';
import { atThreshold, chooseThreshold, labelledFor, metricsOrNull, readLabelled, readModel, train, type BinaryMetrics } from '../src/model';
import { loadModel } from '../src/score';
import { REAL_LABELS, writeRealComments } from './lib/real-comments';
import { CORPORA, OWN_DATA, OWN_EVALS, SHARED, corpusPath, requireShared } from './lib/shared';
import { gloveVectors } from './lib/vectors';

const args = new Set(process.argv.slice(2));
requireShared('bench:quality');
const tmp = mkdtempSync(path.join(tmpdir(), 'btl-bench-'));

type Row = { system: string; set: string; label: string; m: { roc_auc: number; pr_auc: number; f1: number; f1_tuned?: number; n: number; positives: number } | null };
const table: Row[] = [];
const fromBtl = (m: BinaryMetrics | null) => (m ? { roc_auc: m.rocAuc, pr_auc: m.prAuc, f1: m.f1, n: m.n, positives: m.positives } : null);

const env = (k: string) => (process.env[k] !== undefined ? Number(process.env[k]) : undefined);
const hyper = { epochs: env('BTL_EPOCHS'), learningRate: env('BTL_LR'), l2: env('BTL_L2'), batchSize: env('BTL_BS'), seed: env('BTL_SEED') };

async function btlRun(name: string, files: string[], where: Record<string, string> | undefined, evals: { set: string; files: string[]; where?: Record<string, string> }[]) {
  const t0 = Date.now();
  const out = path.join(tmp, name);
  // `where` (split=train) applies to the corpora; the project's own data has no split column and is used whole
  const dataOptions = where ? { where } : {};
  // word vectors as train:default builds them, for this run's training rows (BTL_VECTORS=none: n-grams only)
  const vectors = process.env.BTL_VECTORS === 'none' ? null : gloveVectors((await readLabelled(files, dataOptions)).rows.map((r) => r.text));
  const res = await train({ data: files, out, dataOptions, vectors, ...stripUndef(hyper) });
  const secs = (Date.now() - t0) / 1000;
  const model = await readModel(out);
  for (const e of evals) {
    const rows = (await readLabelled(e.files, { where: e.where, keepDuplicates: true })).rows;
    const probs = rows.map((r) => model.probabilities(r.text));
    LABEL_NAMES.forEach((label, l) => {
      const { y, p } = labelledFor(rows, probs, l);
      const own = fromBtl(metricsOrNull(y, p, model.manifest.thresholds[label]));
      if (!own) return;
      // the peers pick their threshold on the dev split itself: the same protocol, for comparison
      const tuned = atThreshold(y, p, chooseThreshold(y, p)).f1;
      table.push({ system: 'btl', set: e.set, label, m: { ...own, f1_tuned: tuned } });
    });
  }
  return { secs, res };
}

function stripUndef<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const REAL_SET = 'real comments (Dragnet pages, labelled by btl)';

async function main() {
  const corpora = CORPORA.map((c) => corpusPath(c.file));
  // real reader comments the project labelled; their text is read from ../shared at run time
  const realCsv = path.join(tmp, 'real-comments.csv');
  const real = writeRealComments(realCsv);
  if (real) process.stderr.write(`${REAL_SET}: ${real.rows} comments (${real.hostile} hostile, ${real.conspiratorial} conspiratorial)${real.missing ? `; ${real.missing} labelled comments not found in the pages` : ''}\n`);
  else process.stderr.write(`${REAL_SET}: ${REAL_LABELS} or the Dragnet pages not found; not measured\n`);
  const run = await btlRun('dev', [...corpora, ...OWN_DATA], { split: 'train' }, [
    { set: 'dev', files: corpora, where: { split: 'dev' } },
    ...OWN_EVALS.map((e) => ({ set: e.set, files: [e.file] })),
    ...(real ? [{ set: REAL_SET, files: [realCsv] }] : []),
  ]);
  process.stderr.write(`btl trained in ${run.secs.toFixed(1)}s (${run.res.manifest.training.rows.train} rows, tfjs ${run.res.manifest.training.backend})\n`);
  const trainSecs = run.secs;

  let spans = '';
  if (!args.has('--skip-transfer')) {
    for (const held of ['fox-news-comments.csv', 'civil-comments-spans.csv']) {
      const rest = CORPORA.filter((c) => c.file !== held).map((c) => corpusPath(c.file));
      await btlRun(`loso-${held}`, [...rest, ...OWN_DATA], undefined, [{ set: `unseen ${held.replace('.csv', '')}`, files: [corpusPath(held)] }]);
    }
    // the model that never saw Civil Comments, on the Civil posts with rater-marked toxic spans
    spans = await spanF1(path.join(tmp, 'loso-civil-comments-spans.csv'));
  }

  let peers: PeerResults = {};
  if (!args.has('--skip-peers')) {
    const evalDir = path.join(tmp, 'peer-eval');
    mkdirSync(evalDir);
    // peers.py reads its extra sets under the blind sets' names: each name points at one of data/eval
    for (const e of OWN_EVALS) for (const n of Object.values(e.peerNames)) symlinkSync(e.file, path.join(evalDir, `${n}.csv`));
    peers = runPeers(OWN_EVALS.length ? evalDir : undefined, 'peers.json');
    if (real && Object.keys(peers).length) {
      // a second run, in which the blind sets' names all point at the real comments
      const realDir = path.join(tmp, 'peer-real');
      mkdirSync(realDir);
      for (const n of ['ucc-news-comments', 'sfu-news-comments', 'pan2024-telegram', 'prct-youtube-comments']) symlinkSync(realCsv, path.join(realDir, `${n}.csv`));
      const again = runPeers(realDir, 'peers-real.json');
      for (const [label, systems] of Object.entries(again)) for (const [system, entry] of Object.entries(systems)) {
        const m = entry[label === 'hostile' ? 'ucc-news-comments' : 'pan2024-telegram'] as Row['m'] | undefined;
        if (m) table.push({ system, set: REAL_SET, label, m });
      }
    }
  }
  for (const [label, systems] of Object.entries(peers)) {
    for (const [system, entry] of Object.entries(systems)) {
      // peers.py chooses each peer's threshold on dev, so its dev F1 is already the tuned one
      const dev = entry.dev as NonNullable<Row['m']>;
      table.push({ system, set: 'dev', label, m: { ...dev, f1_tuned: dev.f1 } });
      for (const e of OWN_EVALS) {
        const name = (e.peerNames as Record<string, string>)[label];
        const own = name ? (entry[name] as Row['m'] | undefined) : undefined;
        if (own) table.push({ system, set: e.set, label, m: own });
      }
    }
  }

  const f = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '   -  ' : x.toFixed(4));
  const lines = [`| set | label | system | ROC-AUC | PR-AUC | F1 at own threshold | F1 at threshold tuned on the set | n (pos) |`, `|---|---|---|---|---|---|---|---|`];
  const sets = [...new Set(table.map((r) => r.set))];
  for (const set of sets) for (const label of LABEL_NAMES) for (const r of table.filter((r) => r.set === set && r.label === label)) {
    if (!r.m) continue;
    const own = r.system !== 'btl' && set === 'dev' ? '   -  ' : f(r.m.f1);
    lines.push(`| ${set} | ${label} | ${r.system} | ${f(r.m.roc_auc)} | ${f(r.m.pr_auc)} | ${own} | ${f(r.m.f1_tuned)} | ${r.m.n} (${r.m.positives}) |`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n${spans}btl training time (dev run, both labels): ${trainSecs.toFixed(1)}s\n`);
  process.stdout.write(`command: npm run bench:quality${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\n`);
  process.stdout.write(`btl's own threshold comes from its held-out training rows; the peers have none but the one peers.py tunes on dev, which is also applied to the other sets.\n`);
}

type PeerResults = Record<string, Record<string, Record<string, Row['m'] & Record<string, unknown>>>>;

/** Runs ../shared/tools/peers.py (its figures on the blind sets' names found in `evalDir`); {} when it fails. */
function runPeers(evalDir: string | undefined, outName: string): PeerResults {
  const out = path.join(tmp, outName);
  const py = spawnSync('/usr/bin/python3', [path.join(SHARED, 'tools', 'peers.py'), '--out', out, ...(evalDir ? ['--eval-dir', evalDir] : [])], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (py.status === 0) return JSON.parse(readFileSync(out, 'utf8'));
  process.stderr.write('peers.py failed (needs: apt-get install -y fasttext python3-sklearn); peers not measured\n');
  return {};
}

/**
 * SemEval-2021 Task 5 (toxic spans): mean per-post F1 of character offsets between btl's hostile
 * spans (reported for every post, flagged or not) and the offsets most raters marked.
 */
async function spanF1(modelDir: string): Promise<string> {
  const file = path.join(SHARED, 'data', 'civil-toxic-spans', 'SemEval2021', 'tsd_train.csv');
  if (!existsSync(file)) return `span F1: ${file} not found, not measured\n\n`;
  const { parse } = require('csv-parse/sync') as typeof import('csv-parse/sync');
  const rows: { spans: string; text: string }[] = parse(readFileSync(file), { columns: true });
  const scorer = await loadModel(modelDir);
  let sum = 0;
  for (const r of rows) {
    const gold = new Set<number>(JSON.parse(r.spans));
    const pred = new Set<number>();
    for (const s of scorer.score([r.text], { allSpans: true })[0].spans) if (s.label === 'hostile') for (let i = s.start; i < s.end; i++) pred.add(i);
    if (!gold.size || !pred.size) {
      sum += gold.size === pred.size ? 1 : 0;
      continue;
    }
    let both = 0;
    for (const i of pred) if (gold.has(i)) both++;
    const p = both / pred.size;
    const rc = both / gold.size;
    sum += p + rc ? (2 * p * rc) / (p + rc) : 0;
  }
  return `Toxic spans (SemEval-2021 Task 5 train set, ${rows.length} posts; model trained without Civil Comments): mean per-post character F1 ${(sum / rows.length).toFixed(4)} (the task's best system: 0.708 on its test set)\n\n`;
}

main()
  .catch((err) => {
    process.stderr.write(`bench:quality: ${err?.stack ?? err}\n`);
    process.exitCode = 1;
  })
  .finally(() => rmSync(tmp, { recursive: true, force: true }));
