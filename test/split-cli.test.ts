import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../src/errors';
import { runCli } from './helpers/cli';

const PAGES = join(__dirname, 'fixtures', 'pages');

const run = (argv: string[], stdin = '') => runCli(argv, { stdin, cwd: PAGES });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'btl-split-cli-'));
  writeFileSync(join(dir, 'empty.txt'), '');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('btl split', () => {
  test('--help shows an example', async () => {
    const r = await run(['split', '--help']);
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toMatch(/Examples?:\n\s+btl split /);
  });

  test('--json prints the documented shape for several pages', async () => {
    const r = await run(['split', '--json', 'with-comments.txt', 'wordpress.html']);
    expect(r.code).toBe(EXIT.ok);
    expect(r.err).toBe('');
    const pages = JSON.parse(r.out);
    expect(pages).toHaveLength(2);
    expect(Object.keys(pages[0])).toEqual(['source', 'title', 'body', 'comments']);
    expect(pages[0].source).toBe('with-comments.txt');
    expect(pages[0].comments[1]).toEqual({ author: null, time: null, depth: 0, text: expect.stringMatching(/^Honestly/) });
    expect(pages[1].comments[1].depth).toBe(1);
  });

  test('--jsonl, stdin and --format', async () => {
    const text = 'Town Fair Draws Crowds\n\n<p>The town fair drew a large crowd on a sunny day in May, with more stalls than in any year since the market hall reopened.</p>';
    const r = await run(['split', '--jsonl', '--format', 'text', '-'], text);
    expect(r.code).toBe(EXIT.ok);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]).source).toBe('-');
    expect(JSON.parse(lines[0]).body).toMatch(/^<p>The town fair drew/);
  });

  test('readable listing by default', async () => {
    const r = await run(['split', 'disqus.html']);
    expect(r.out).toMatch(/^== disqus\.html\ntitle: Storm Closes Mountain Pass for Third Day\n/);
    expect(r.out).toMatch(/comments: 4\n/);
    expect(r.out).toContain('      3. alpine_driver, an hour ago');
  });

  test('goes on past a bad page, reports it at the end, exits with the partial code', async () => {
    const r = await run(['split', '--jsonl', join(dir, 'empty.txt'), 'schema.html', dir]);
    expect(r.code).toBe(EXIT.partial);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(`btl split: skipped ${join(dir, 'empty.txt')}: empty page (0 bytes)`);
    expect(r.err).toContain(`btl split: skipped ${dir}: is a folder, not a page file`);
    expect(r.err).toMatch(/1 of 3 pages split, 2 skipped/);
  });

  test('non-zero exit when nothing could be split', async () => {
    const r = await run(['split', join(dir, 'empty.txt')]);
    expect(r.code).toBe(EXIT.input);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/empty\.txt: empty page/);
  });

  test('usage errors', async () => {
    expect((await run(['split'])).code).toBe(EXIT.usage);
    const r = await run(['split', '--format', 'pdf', 'x.txt']);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toMatch(/unknown --format 'pdf'. Should be one of: auto, text, html/);
    expect((await run(['split', '--json', '--jsonl', 'x.txt'])).code).toBe(EXIT.usage);
  });
});
