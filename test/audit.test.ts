import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { audit, type Summary } from '../src/audit';
import { runAudit } from '../src/cli/audit';
import { fakeScorer } from './helpers/fake-scorer';

const FIX = join(__dirname, 'fixtures', 'audit');
const INPUTS = [join(FIX, 'pages'), join(FIX, 'comments.csv'), join(FIX, 'comments.jsonl')];
const tmp = mkdtempSync(join(tmpdir(), 'btl-audit-'));

const csvLines = (dir: string) => readFileSync(join(dir, 'comments.csv'), 'utf8').trim().split('\n');
const summaryOf = (dir: string): Summary => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));

test('audits pages, CSV and JSONL together: rows, counts, groups and bad rows', async () => {
  const out = join(tmp, 'full');
  const r = await audit(INPUTS, { out, model: fakeScorer(), workers: 0 });
  expect(r).toMatchObject({ comments: 10, flagged: 5, skipped: 2, complete: true });
  expect(r.scoring).toMatch(/^in-process/);
  const lines = csvLines(out);
  expect(lines[0]).toBe('source,line,article,author,time,text,hostile,conspiratorial,flags,reasons,spans');
  expect(lines).toHaveLength(11);
  const dave = lines.find((l) => l.includes('Dave P'))!;
  expect(dave).toContain('Town council approves new harbour wall after two-year debate');
  expect(dave).toMatch(/,hostile,"hostile: (idiot, moron|moron, idiot)",/);
  const s = summaryOf(out);
  expect(s.counts).toMatchObject({ comments: 10, flagged: 5, pages: 2, pagesWithoutComments: 0, skipped: 2 });
  expect(s.counts.byLabel).toEqual({ hostile: 3, conspiratorial: 3 });
  expect(s.flaggedShare.any).toBeCloseTo(0.5, 6);
  expect(s.histograms.hostile.counts.reduce((a, b) => a + b, 0)).toBe(10);
  expect(s.mostFlagged.authors[0]).toMatchObject({ name: 'ann', comments: 2, flagged: 2, share: 1 });
  expect(s.perArticle.groups.find((g) => g.name === 'Budget vote')).toMatchObject({ comments: 3, flagged: 2 });
  expect(s.bad.listed.map((b) => [b.file, b.line])).toEqual([
    [join(FIX, 'comments.csv'), 3],
    [join(FIX, 'comments.jsonl'), 2],
  ]);
  expect(s.model.version).toBe('fake-1');
});

test('report.html is self-contained and hostile text cannot inject markup', async () => {
  const out = join(tmp, 'inject');
  const evil = join(tmp, 'evil.csv');
  writeFileSync(evil, 'text,author,article\n"<script>alert(1)</script> idiot </script><img src=x onerror=alert(2)>","<b>mallory</b>","</title><script>x()</script>"\n');
  await audit([evil], { out, model: fakeScorer(), workers: 0 });
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  expect(html).not.toMatch(/<script>alert|<img src=x|<b>mallory|<script>x\(\)/i);
  expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
  expect(html).toContain('<svg');
  // the comment is still there, escaped
  expect(html).toMatch(/\\u003cscript>alert\(1\)|&lt;script&gt;alert\(1\)/);
});

test('a stopped audit resumes without duplicating or losing rows, after a torn last line', async () => {
  const full = join(tmp, 'ref');
  await audit(INPUTS, { out: full, model: fakeScorer(), workers: 0, batchSize: 2 });
  const out = join(tmp, 'stopped');
  const ctl = new AbortController();
  const first = await audit(INPUTS, { out, model: fakeScorer(), workers: 0, batchSize: 2, signal: ctl.signal, onProgress: (p) => p.comments >= 4 && ctl.abort() });
  expect(first.complete).toBe(false);
  expect(first.comments).toBeGreaterThanOrEqual(4);
  expect(first.comments).toBeLessThan(10);
  appendFileSync(join(out, 'comments.csv'), 'torn,row,"half a comm'); // killed mid-write
  const second = await audit(INPUTS, { out, model: fakeScorer(), workers: 0, batchSize: 2, resume: true });
  expect(second).toMatchObject({ complete: true, comments: 10, flagged: 5, skipped: 2 });
  expect(csvLines(out)).toEqual(csvLines(full));
  const a = summaryOf(out);
  const b = summaryOf(full);
  expect({ ...a.counts, x: a.perAuthor, h: a.histograms, bad: a.bad }).toEqual({ ...b.counts, x: b.perAuthor, h: b.histograms, bad: b.bad });
  // resuming a finished audit changes nothing
  await audit(INPUTS, { out, model: fakeScorer(), workers: 0, resume: true });
  expect(csvLines(out)).toEqual(csvLines(full));
});

test('resume refuses other inputs; missing inputs are listed, not fatal', async () => {
  const out = join(tmp, 'other');
  await audit([join(FIX, 'comments.csv')], { out, model: fakeScorer(), workers: 0 });
  await expect(audit([join(FIX, 'comments.jsonl')], { out, model: fakeScorer(), workers: 0, resume: true })).rejects.toMatchObject({ code: 'E_USAGE' });
  const r = await audit([join(tmp, 'missing.csv'), join(FIX, 'comments.jsonl')], { out: join(tmp, 'missing'), model: fakeScorer(), workers: 0 });
  expect(r).toMatchObject({ comments: 2, skipped: 2 });
  expect(summaryOf(join(tmp, 'missing')).bad.listed[0]).toMatchObject({ file: join(tmp, 'missing.csv'), code: 'E_NOT_FOUND' });
});

test('btl audit CLI: stdin input, exit 0 when all is processed, 1 with skipped rows', async () => {
  const mk = (stdin: string) => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    stdout.on('data', (d) => (out += d));
    return { io: { stdout, stderr, stdin: Readable.from([Buffer.from(stdin)]), progress: false, tty: false, cwd: tmp }, out: () => out };
  };
  const ok = mk('text,author\nyou idiot,zed\nfine,amy\n');
  expect(await runAudit(['-', '--out', join(tmp, 'cli'), '--workers', '0'], ok.io, async () => fakeScorer())).toBe(0);
  expect(ok.out().trim()).toBe(join(tmp, 'cli', 'report.html'));
  expect(summaryOf(join(tmp, 'cli')).counts.comments).toBe(2);
  const bad = mk('');
  expect(await runAudit([join(FIX, 'comments.csv'), '--out', join(tmp, 'cli2'), '--workers', '0'], bad.io, async () => fakeScorer())).toBe(1);
  await expect(runAudit([join(FIX, 'comments.csv')], bad.io, async () => fakeScorer())).rejects.toMatchObject({ code: 'E_USAGE' });
});

test('with the shipped default model: pages to comments.csv, summary.json and report.html with the right counts', async () => {
  const { loadModel } = await import('../src/score');
  const { readRecords, isSkipped } = await import('../src/records');
  const pages = join(__dirname, 'fixtures', 'audit-model', 'pages');
  const out = join(tmp, 'real-model');
  const model = await loadModel();
  const r = await audit([pages], { out, model, workers: 0 });
  expect(r).toMatchObject({ comments: 7, skipped: 0, complete: true });
  const rows: Record<string, string>[] = [];
  for await (const rec of readRecords(join(out, 'comments.csv'), { format: 'csv' })) if (!isSkipped(rec)) rows.push(rec.fields);
  expect(rows).toHaveLength(7);
  const by = (author: string) => rows.find((x) => x.author === author)!;
  expect(by('Gordon Hale')).toMatchObject({ article: 'Night bus route to the hospital will run again from June', time: 'May 2, 2025 at 7:02 pm' });
  expect(by('Gordon Hale').flags.split(';')).toContain('hostile');
  expect(by('Gordon Hale').reasons).toMatch(/^hostile: .*(idiot|pathetic|brainless|clown)/);
  expect(by('Truth Teller').flags.split(';')).toContain('conspiratorial');
  expect(by('Ruth M').flags).toBe('');
  // spans in comments.csv point at words of the comment
  const [span] = by('Gordon Hale').spans.split(' ');
  const [from, to] = span.split(':')[0].split('-').map(Number);
  expect(by('Gordon Hale').text.slice(from, to)).toMatch(/^\p{L}+$/u);

  const s = summaryOf(out);
  const flagged = rows.filter((x) => x.flags !== '').length;
  expect(s.counts).toMatchObject({ comments: 7, flagged, pages: 3, pagesWithoutComments: 1, skipped: 0, articles: 2, authors: 7 });
  for (const l of ['hostile', 'conspiratorial'] as const) {
    expect(s.counts.byLabel[l]).toBe(rows.filter((x) => x.flags.split(';').includes(l)).length);
    expect(s.histograms[l].counts.reduce((a, b) => a + b, 0)).toBe(7);
  }
  expect(s.perArticle.groups.map((g) => [g.name, g.comments]).sort()).toEqual([
    ['Night bus route to the hospital will run again from June', 4],
    ['Primary school roof repairs finished ahead of the new term', 3],
  ]);
  expect(s.model.version).toBe(model.version);

  const html = readFileSync(join(out, 'report.html'), 'utf8');
  expect(html).toContain(`<title>btl audit: ${flagged} of 7 comments flagged</title>`);
  const data = JSON.parse(/<script type="application\/json" id="data">(.*?)<\/script>/s.exec(html)![1]) as { rows: { u: string; x: string; h: [number, number, number][] }[] };
  expect(data.rows).toHaveLength(flagged);
  const gordon = data.rows.find((x) => x.u === 'Gordon Hale')!;
  expect(gordon.h.map(([a, b]) => gordon.x.slice(a, b))).toEqual(expect.arrayContaining([expect.stringMatching(/idiot|pathetic|brainless|clown/)]));
});

test('symlinked pages and folders in a page folder are read; a symlink loop is reported once, not followed', async () => {
  const { mkdirSync, symlinkSync, copyFileSync } = await import('node:fs');
  const elsewhere = join(tmp, 'elsewhere');
  mkdirSync(join(elsewhere, 'sub'), { recursive: true });
  copyFileSync(join(FIX, 'pages', '001_harbour.txt'), join(elsewhere, '001_harbour.txt'));
  copyFileSync(join(FIX, 'pages', '002_library.txt'), join(elsewhere, 'sub', '002_library.txt'));
  const dir = join(tmp, 'linked-pages');
  mkdirSync(dir);
  symlinkSync(join(elsewhere, '001_harbour.txt'), join(dir, 'a.txt'));
  symlinkSync(join(elsewhere, 'sub'), join(dir, 'b'));
  symlinkSync(dir, join(dir, 'c-loop'));
  const ref = await audit([join(FIX, 'pages')], { out: join(tmp, 'linked-ref'), model: fakeScorer(), workers: 0 });
  const r = await audit([dir], { out: join(tmp, 'linked'), model: fakeScorer(), workers: 0 });
  expect(ref.comments).toBeGreaterThan(0);
  expect(r.comments).toBe(ref.comments);
  const bad = summaryOf(join(tmp, 'linked')).bad.listed;
  expect(bad).toEqual([expect.objectContaining({ file: join(dir, 'c-loop'), code: 'E_IO' })]);
  expect(bad[0].message).toMatch(/loop/);
});

test('a fresh audit removes the old checkpoint before it rewrites comments.csv', async () => {
  const { existsSync } = await import('node:fs');
  const out = join(tmp, 'fresh-over-old');
  await audit(INPUTS, { out, model: fakeScorer(), workers: 0 });
  expect(existsSync(join(out, '.audit-checkpoint.json'))).toBe(true);
  // the new run dies at its first batch, before any new checkpoint is written
  const dying = fakeScorer();
  let seen: boolean | undefined;
  dying.score = () => {
    seen = existsSync(join(out, '.audit-checkpoint.json'));
    throw new Error('killed');
  };
  await expect(audit(INPUTS, { out, model: dying, workers: 0 })).rejects.toThrow('killed');
  expect(seen).toBe(false);
  expect(existsSync(join(out, '.audit-checkpoint.json'))).toBe(false);
  await expect(audit(INPUTS, { out, model: fakeScorer(), workers: 0, resume: true })).rejects.toMatchObject({ code: 'E_USAGE' });
});

test('resume counts rows of comments.csv longer than the reader limit (a near-limit comment with its reasons)', async () => {
  const long = `you idiot ${'x'.repeat(999_900)}`;
  const input = join(tmp, 'long.csv');
  writeFileSync(input, `text,author\n"${long}",big\nsecond idiot,amy\nthird,bo\n`);
  const full = await audit([input], { out: join(tmp, 'long-ref'), model: fakeScorer(), workers: 0, batchSize: 1 });
  expect(full).toMatchObject({ comments: 3, flagged: 2, skipped: 0 });
  const out = join(tmp, 'long-stopped');
  const ctl = new AbortController();
  const first = await audit([input], { out, model: fakeScorer(), workers: 0, batchSize: 1, signal: ctl.signal, onProgress: (p) => p.comments >= 1 && ctl.abort() });
  expect(first.complete).toBe(false);
  expect(readFileSync(join(out, 'comments.csv'), 'utf8').split('\n')[1].length).toBeGreaterThan(1_000_000);
  const second = await audit([input], { out, model: fakeScorer(), workers: 0, batchSize: 1, resume: true });
  expect(second).toMatchObject({ complete: true, comments: 3, flagged: 2, skipped: 0 });
  expect(summaryOf(out).counts).toEqual(summaryOf(join(tmp, 'long-ref')).counts);
});

test('btl audit CLI: exit 3 when every input is missing or unreadable, 1 when some input could be read', async () => {
  const { PassThrough: P } = await import('node:stream');
  const io = () => {
    const stderr = new P();
    let err = '';
    stderr.on('data', (d) => (err += d));
    return { io: { stdout: new P(), stderr, stdin: Readable.from([]), progress: false, tty: false, cwd: tmp }, err: () => err };
  };
  const none = io();
  expect(await runAudit([join(tmp, 'nope.csv'), '--out', join(tmp, 'exit3'), '--workers', '0'], none.io, async () => fakeScorer())).toBe(3);
  expect(none.err()).toMatch(/no input could be read/);
  const empty = join(tmp, 'zero.csv');
  writeFileSync(empty, '');
  expect(await runAudit([join(tmp, 'nope.csv'), empty, '--out', join(tmp, 'exit3b'), '--workers', '0'], io().io, async () => fakeScorer())).toBe(3);
  expect(await runAudit([join(tmp, 'nope.csv'), join(FIX, 'comments.jsonl'), '--out', join(tmp, 'exit1'), '--workers', '0'], io().io, async () => fakeScorer())).toBe(1);
  const { command } = await import('../src/cli/audit');
  expect(command.help).toMatch(/3 unreadable input: every input missing or unreadable/);
  expect(command.help).toMatch(/1 partial: some inputs, pages or rows skipped/);
});
