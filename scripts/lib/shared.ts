/** Where the shared corpora live, and which of them may go into the shipped model. */
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const SHARED = path.resolve(process.env.BTL_SHARED ?? path.join(ROOT, '..', 'shared'));
export const CORPUS = path.join(SHARED, 'corpus');

/** The corpora, the label each carries, and its licence (see ../shared/corpus/README.md). */
export const CORPORA = [
  { file: 'fox-news-comments.csv', label: 'hostile', licence: 'MIT', attribution: 'Gao & Huang 2017, Fox News comments' },
  { file: 'civil-comments-spans.csv', label: 'hostile', licence: 'CC0', attribution: 'Civil Comments (Jigsaw) / SemEval-2021 Toxic Spans' },
  { file: 'davidson-tweets.csv', label: 'hostile', licence: 'MIT', attribution: 'Davidson et al. 2017, hate speech and offensive language tweets' },
  { file: 'psycomark-reddit.csv', label: 'conspiratorial', licence: 'CC-BY (labels); text is Reddit content, never shipped', attribution: 'SemEval-2026 Task 10 (PsyCoMark)' },
  { file: 'covid-vaccine-conspiracy.csv', label: 'conspiratorial', licence: 'MIT', attribution: 'COVID-19 vaccine conspiracy comments' },
] as const;

/** The project's own labelled comments (written by the project), used for training: every CSV in data/comments. */
const OWN_DIR = path.join(ROOT, 'data', 'comments');
export const OWN_DATA = readdirSync(OWN_DIR).filter((f) => f.endsWith('.csv')).sort().map((f) => path.join(OWN_DIR, f));

/**
 * The project's hand-labelled evaluation sets (never trained on), with both labels on every row.
 * `news-comments` was written by the team that wrote data/comments; `newspapers`, `channels`,
 * `identity` and `everyday` by other writers, in registers data/comments lacks. `peerNames`: the
 * blind-set names under which ../shared/tools/peers.py reads a set (each name for one label only).
 */
export const OWN_EVALS = [
  { set: 'btl-news-comments', file: 'news-comments.csv', peerNames: { hostile: 'ucc-news-comments', conspiratorial: 'prct-youtube-comments' } },
  { set: 'btl-newspapers (other writers)', file: 'newspapers.csv', peerNames: { hostile: 'sfu-news-comments' } },
  { set: 'btl-channels (other writers)', file: 'channels.csv', peerNames: { conspiratorial: 'pan2024-telegram' } },
  // two more writers' sets, where toxic-comment corpora flag too much: identity terms in neutral
  // use and counter-speech; the ordinary comment section (peers.py has no name left to read them under)
  { set: 'btl-identity (other writers)', file: 'identity.csv', peerNames: {} },
  { set: 'btl-everyday (other writers)', file: 'everyday.csv', peerNames: {} },
  // written as training data; trained on, it lowered the corpora's conspiratorial figures
  { set: 'btl-youtube (other writers)', file: 'youtube.csv', peerNames: {} },
  // written as an evaluation set: comments under war and geopolitics news, the seeds' register
  { set: 'btl-geopolitics (other writers)', file: 'geopolitics.csv', peerNames: {} },
  // written as evaluation sets beside data/comments/immigration.csv and health.csv, by other writers
  { set: 'btl-immigration (other writers)', file: 'immigration.csv', peerNames: {} },
  { set: 'btl-health-posts (other writers)', file: 'health-posts.csv', peerNames: {} },
]
  .map((e) => ({ ...e, file: path.join(ROOT, 'data', 'eval', e.file) }))
  .filter((e) => existsSync(e.file));

/** Exit with a clear message when ../shared is not beside the checkout. */
export function requireShared(what: string): void {
  if (!existsSync(CORPUS)) {
    process.stderr.write(`${what}: needs the shared corpora at ${CORPUS} (set BTL_SHARED to their parent folder); not found, nothing measured.\n`);
    process.exit(3);
  }
}

export function corpusPath(file: string): string {
  return path.join(CORPUS, file);
}
