import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inputItems } from '../src/audit';
import type { AuditItem } from '../src/audit/types';
import type { SplitPage } from '../src/split';

// the splitter trims what it finds, so a page whose comment is only whitespace is made up here
jest.mock('../src/split', () => ({
  ...jest.requireActual('../src/split'),
  splitFile: jest.fn(
    async (path: string): Promise<SplitPage> => ({
      source: path,
      title: 'A title',
      body: 'Body.',
      comments: [
        { author: 'ann', time: null, depth: 0, text: 'first comment' },
        { author: 'bob', time: null, depth: 0, text: ' \n\t ' },
        { author: 'cy', time: null, depth: 0, text: 'third comment' },
      ],
    }),
  ),
}));

test('a whitespace-only page comment is reported as skipped (E_EMPTY), not dropped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'btl-audit-inputs-'));
  writeFileSync(join(dir, 'page.txt'), 'stand-in page\n');
  const items: AuditItem[] = [];
  for await (const it of inputItems(dir)) items.push(it);
  const comments = items.flatMap((i) => ('comment' in i ? [i.comment] : []));
  expect(comments.map((c) => [c.line, c.text])).toEqual([
    [1, 'first comment'],
    [3, 'third comment'],
  ]);
  const skipped = items.flatMap((i) => ('skipped' in i ? [i.skipped] : []));
  expect(skipped).toEqual([{ file: join(dir, 'page.txt'), line: 2, code: 'E_EMPTY', message: expect.stringMatching(/comment 2/) }]);
});
