/**
 * npm run train:default — rebuild models/default from the redistributable corpora in
 * ../shared/corpus (all splits) and the project's own labelled comments in data/comments.
 * The project's evaluation sets (data/eval) are never trained on; they are reported on.
 */
import * as path from 'node:path';
import { LABEL_NAMES } from '../src/labels';
import { readLabelled, train } from '../src/model';
import { CORPORA, OWN_DATA, OWN_EVALS, ROOT, corpusPath, requireShared } from './lib/shared';
import { gloveVectors } from './lib/vectors';

const fmt = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(4));

async function main() {
  requireShared('train:default');
  const out = path.join(ROOT, 'models', 'default');
  const t0 = Date.now();
  const progress = process.stderr.isTTY;
  const data = [...CORPORA.map((c) => corpusPath(c.file)), ...OWN_DATA];
  const texts = (await readLabelled(data)).rows.map((r) => r.text);
  const res = await train({
    data,
    eval: OWN_EVALS.map((e) => e.file),
    out,
    name: 'btl-default',
    // built from the npm package each time, not taken from the model being replaced
    vectors: gloveVectors(texts),
    // Hostile and conspiratorial comments are a minority under news articles (3.0% and 0.8% of the
    // real comments in data/eval/real), but about 40% and 30% of the held-out training rows;
    // calibrated to those shares, or even to 30% and 10%, the model flagged many ordinary comments.
    // The card's "Thresholds" has the figures.
    prevalence: { hostile: 0.15, conspiratorial: 0.05 },
    onEpoch: (e) => progress && process.stderr.write(`epoch ${e.epoch}: loss ${e.loss.toFixed(4)} held-out ROC-AUC ${e.heldOutAuc.map((a) => a.toFixed(4)).join(' / ')} (${e.seconds.toFixed(1)}s)\n`),
  });
  const m = res.manifest;
  process.stdout.write(`models/default rebuilt in ${((Date.now() - t0) / 1000).toFixed(1)}s: ${m.training.rows.train} train rows, ${m.training.rows.heldOut} held out, best epochs ${JSON.stringify(m.training.bestEpoch)} of ${m.training.epochs}, tfjs ${m.training.backend}\n`);
  for (const l of LABEL_NAMES) {
    const h = m.metrics.heldOut[l];
    process.stdout.write(`${l}: threshold ${m.thresholds[l].toFixed(3)}; held-out ROC-AUC ${fmt(h?.rocAuc)} F1 ${fmt(h?.f1)}\n`);
    for (const e of res.evals) {
      const x = e.after[l];
      process.stdout.write(`  ${path.relative(ROOT, e.file)}: ROC-AUC ${fmt(x?.rocAuc)} PR-AUC ${fmt(x?.prAuc)} F1 ${fmt(x?.f1)}\n`);
    }
  }
  process.stdout.write('command: npm run train:default\n');
}

main().catch((err) => {
  process.stderr.write(`train:default: ${err?.stack ?? err}\n`);
  process.exit(1);
});
