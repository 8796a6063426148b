/**
 * A real-data check: the five seed pages in ../shared/seeds (outside the project; read at run time,
 * never copied). Pages 000-003 have no reader comments, page 004 has ten.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { splitFile } from '../src/split';

const SEEDS = join(__dirname, '..', '..', 'shared', 'seeds');
const present = existsSync(SEEDS);
if (!present) {
  // eslint-disable-next-line no-console
  console.warn(`split-seeds: ${SEEDS} not found, real-data check skipped`);
}

(present ? test : test.skip)('seed pages split into 0, 0, 0, 0 and 10 comments', async () => {
  const files = readdirSync(SEEDS).filter((f) => f.endsWith('.txt')).sort();
  expect(files).toHaveLength(5);
  const pages = await Promise.all(files.map((f) => splitFile(join(SEEDS, f))));
  expect(pages.map((p) => p.comments.length)).toEqual([0, 0, 0, 0, 10]);
  const last = pages[4];
  expect(last.comments.filter((c) => c.author === null)).toHaveLength(2);
  for (const p of pages) {
    expect(p.body.length).toBeGreaterThan(500);
    expect(p.body).not.toMatch(/Leave a Reply|Your email address|There are no comments|Illustrative image/i);
  }
  // the lone line before the first commenter is not a comment
  expect(last.comments[0].author).not.toBeNull();
});
