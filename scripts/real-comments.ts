/**
 * npm run real-comments -- OUT.csv — writes the real reader comments the project labelled
 * (data/eval/real/dragnet.labels.csv, text read from ../shared/corpus/pages-dragnet) as a labelled
 * CSV, for `btl eval --data OUT.csv`. The CSV holds page text: keep it out of the repository.
 */
import { REAL_LABELS, agreement, writeRealComments } from './lib/real-comments';
import { requireShared } from './lib/shared';

const out = process.argv[2];
if (!out || out === '--help' || out === '-h') {
  process.stdout.write(`usage: npm run real-comments -- OUT.csv\n  writes the labelled real comments (${REAL_LABELS}, text from ../shared) to OUT.csv\n  example: npm run real-comments -- /tmp/real.csv && npx btl eval --data /tmp/real.csv --sweep\n`);
  process.exit(out ? 0 : 2);
}
requireShared('real-comments');
const n = writeRealComments(out);
if (!n) {
  process.stderr.write(`real-comments: ${REAL_LABELS} or the Dragnet pages not found; nothing written\n`);
  process.exit(3);
}
process.stderr.write(`${out}: ${n.rows} comments, ${n.hostile} hostile, ${n.conspiratorial} conspiratorial${n.missing ? `; ${n.missing} labelled comments not found in the pages (the splitter changed?)` : ''}\n`);
for (const a of agreement()) {
  const [[nn, np], [pn, pp]] = a.counts;
  process.stderr.write(`${a.label}: second labeller on ${a.n} comments, Cohen's kappa ${a.kappa.toFixed(3)} (both 1: ${pp}, both 0: ${nn}, first only: ${pn}, second only: ${np})\n`);
}
