/**
 * npm run bench:quality — btl beside the peer baselines (fastText, TF-IDF + logistic regression
 * from ../shared/tools/peers.py) on the corpora's dev split, then transfer: leave one source out
 * (train without Fox, test on Fox; without Civil, test on Civil) and the project's own
 * hand-labelled news comments (data/eval), which no model here was trained on.
 * Options: --skip-peers (btl only), --skip-transfer.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LABEL_NAMES } from '../src/labels';
import { evaluate, readLabelled, readModel, train, type BinaryMetrics } from '../src/model';
import { CORPORA, OWN_DATA, OWN_EVAL, ROOT, SHARED, corpusPath, requireShared } from './lib/shared';

const args = new Set(process.argv.slice(2));
requireShared('bench:quality');
const tmp = mkdtempSync(path.join(tmpdir(), 'btl-bench-'));

type Row = { system: string; set: string; label: string; m: { roc_auc: number; pr_auc: number; f1: number; n: number; positives: number } | null };
const table: Row[] = [];
const fromBtl = (m: BinaryMetrics | null) => (m ? { roc_auc: m.rocAuc, pr_auc: m.prAuc, f1: m.f1, n: m.n, positives: m.positives } : null);

const env = (k: string) => (process.env[k] !== undefined ? Number(process.env[k]) : undefined);
const hyper = { epochs: env('BTL_EPOCHS'), learningRate: env('BTL_LR'), l2: env('BTL_L2'), batchSize: env('BTL_BS') };

async function btlRun(name: string, files: string[], where: Record<string, string> | undefined, evals: { set: string; files: string[]; where?: Record<string, string> }[]) {
  const t0 = Date.now();
  const out = path.join(tmp, name);
  // `where` (split=train) applies to the corpora; the project's own data has no split column and is used whole
  const corpusFiles = files.filter((f) => f.startsWith(SHARED));
  const own = files.filter((f) => !f.startsWith(SHARED));
  const res = await train({ data: [...corpusFiles, ...own], out, dataOptions: where ? { where } : {}, ...stripUndef(hyper) });
  const secs = (Date.now() - t0) / 1000;
  const model = await readModel(out);
  for (const e of evals) {
    const rows = (await readLabelled(e.files, { where: e.where })).rows;
    const ev = evaluate(model, rows);
    for (const l of LABEL_NAMES) table.push({ system: 'btl', set: e.set, label: l, m: fromBtl(ev[l]) });
  }
  return { secs, res };
}

function stripUndef<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function main() {
  const corpora = CORPORA.map((c) => corpusPath(c.file));
  const ownTrain = OWN_DATA;
  const dev = CORPORA.map((c) => corpusPath(c.file));
  const run = await btlRun('dev', [...corpora, ...ownTrain], { split: 'train' }, [
    { set: 'dev', files: dev, where: { split: 'dev' } },
    ...(existsSync(OWN_EVAL) ? [{ set: 'btl-news-comments', files: [OWN_EVAL] }] : []),
  ]);
  process.stderr.write(`btl trained in ${run.secs.toFixed(1)}s (${run.res.manifest.training.rows.train} rows, tfjs ${run.res.manifest.training.backend})\n`);
  const trainSecs = run.secs;

  if (!args.has('--skip-transfer')) {
    for (const held of ['fox-news-comments.csv', 'civil-comments-spans.csv']) {
      const rest = CORPORA.filter((c) => c.file !== held).map((c) => corpusPath(c.file));
      await btlRun(`loso-${held}`, [...rest, ...OWN_DATA], undefined, [{ set: `unseen ${held.replace('.csv', '')}`, files: [corpusPath(held)] }]);
    }
  }

  let peers: Record<string, Record<string, Record<string, Row['m'] & Record<string, unknown>>>> = {};
  if (!args.has('--skip-peers')) {
    const evalDir = path.join(tmp, 'peer-eval');
    mkdirSync(evalDir);
    for (const n of ['ucc-news-comments', 'sfu-news-comments', 'pan2024-telegram', 'prct-youtube-comments']) symlinkSync(OWN_EVAL, path.join(evalDir, `${n}.csv`));
    const out = path.join(tmp, 'peers.json');
    const py = spawnSync('/usr/bin/python3', [path.join(SHARED, 'tools', 'peers.py'), '--out', out, '--eval-dir', evalDir], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (py.status === 0) peers = JSON.parse(readFileSync(out, 'utf8'));
    else process.stderr.write('peers.py failed (needs: apt-get install -y fasttext python3-sklearn); peers not measured\n');
  }
  for (const [label, systems] of Object.entries(peers)) {
    for (const [system, entry] of Object.entries(systems)) {
      table.push({ system, set: 'dev', label, m: entry.dev as Row['m'] });
      const own = (label === 'hostile' ? entry['ucc-news-comments'] : entry['pan2024-telegram']) as Row['m'] | undefined;
      if (own) table.push({ system, set: 'btl-news-comments', label, m: own });
    }
  }

  const f = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '   -  ' : x.toFixed(4));
  const lines = [`| set | label | system | ROC-AUC | PR-AUC | F1 | n (pos) |`, `|---|---|---|---|---|---|---|`];
  const sets = [...new Set(table.map((r) => r.set))];
  for (const set of sets) for (const label of LABEL_NAMES) for (const r of table.filter((r) => r.set === set && r.label === label)) {
    if (!r.m) continue;
    lines.push(`| ${set} | ${label} | ${r.system} | ${f(r.m.roc_auc)} | ${f(r.m.pr_auc)} | ${f(r.m.f1)} | ${r.m.n} (${r.m.positives}) |`);
  }
  process.stdout.write(`${lines.join('\n')}\n\nbtl training time (dev run, both labels): ${trainSecs.toFixed(1)}s\n`);
  process.stdout.write(`command: npm run bench:quality${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}  (F1 at each system's own threshold: btl's from its held-out data, the peers' chosen on dev)\n`);
  rmSync(tmp, { recursive: true, force: true });
}

main().catch((err) => {
  process.stderr.write(`bench:quality: ${err?.stack ?? err}\n`);
  process.exit(1);
});
void ROOT;
