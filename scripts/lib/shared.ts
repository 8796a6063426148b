/** Where the shared corpora live, and which of them may go into the shipped model. */
import { existsSync } from 'node:fs';
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

/** The project's own labelled comments (written by the project), used for training. */
export const OWN_DATA = ['data/comments/hostile.csv', 'data/comments/conspiratorial.csv'].map((f) => path.join(ROOT, f));
/** The project's hand-labelled evaluation set: never trained on. */
export const OWN_EVAL = path.join(ROOT, 'data/eval/news-comments.csv');

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
