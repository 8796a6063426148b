/**
 * Scores the splitter on ../shared/corpus/pages-dragnet: token-level precision / recall / F1 for
 * body and comments, from the HTML and from a plain-text rendering of the same HTML, and the share
 * of comment-free pages where comments are invented. Prints a table and the command that made it.
 *
 *   npm run bench:split [-- --shared DIR] [--worst N [--mode html|text] [--what body|comments]] [--ids A,B]
 *   (--worst lists the weakest dev pages; --ids scores only the pages named)
 *
 * Dev/held-out split: by id parity (the digits of the id, "R533" -> 533): even ids were used while
 * developing the splitter, odd ids were never looked at; figures are given for all, dev and held-out.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodePage, htmlToText, split, type SplitPage } from '../src/split';

interface Gold {
  id: string;
  body: string;
  comments: string;
}
interface Entry {
  id: string;
  has_comments: boolean;
  html: boolean;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const shared = resolve(arg('--shared') ?? process.env.BTL_SHARED ?? join(__dirname, '..', '..', '..', 'shared'));
const dir = join(shared, 'corpus', 'pages-dragnet');
if (!existsSync(join(dir, 'manifest.json'))) {
  process.stderr.write(`bench-split: ${dir}/manifest.json not found; the Dragnet pages live outside the project (../shared). Nothing measured.\n`);
  process.exit(3);
}

const tokens = (s: string): string[] => s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

interface Prf {
  p: number;
  r: number;
  f: number;
}
function prf(pred: string, gold: string): Prf {
  const g = new Map<string, number>();
  const gt = tokens(gold);
  for (const t of gt) g.set(t, (g.get(t) ?? 0) + 1);
  const pt = tokens(pred);
  let hit = 0;
  for (const t of pt) {
    const n = g.get(t) ?? 0;
    if (n > 0) {
      hit++;
      g.set(t, n - 1);
    }
  }
  const p = pt.length ? hit / pt.length : gt.length ? 0 : 1;
  const r = gt.length ? hit / gt.length : 1;
  return { p, r, f: p + r ? (2 * p * r) / (p + r) : 0 };
}

const commentText = (page: SplitPage): string => page.comments.map((c) => [c.author, c.time, c.text].filter(Boolean).join('\n')).join('\n\n');
const bodyText = (page: SplitPage): string => [page.title, page.body].filter(Boolean).join('\n\n');
const parityOf = (id: string): 'dev' | 'held-out' => (Number(id.replace(/\D/g, '')) % 2 === 0 ? 'dev' : 'held-out');

interface Row {
  id: string;
  part: 'dev' | 'held-out';
  hasComments: boolean;
  html?: { body: Prf; comments: Prf; n: number };
  text?: { body: Prf; comments: Prf; n: number };
}

const manifest: Entry[] = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
const rows: Row[] = [];
const freeText: { id: string; part: 'dev' | 'held-out'; invented: boolean }[] = [];
const t0 = Date.now();
let errors = 0;
const only = arg('--ids')?.split(',');
for (const e of only ? manifest.filter((x) => only.includes(x.id)) : manifest) {
  const gold: Gold = JSON.parse(readFileSync(join(dir, `${e.id}.gold.json`), 'utf8'));
  const hasComments = tokens(gold.comments ?? '').length > 0;
  const part = parityOf(e.id);
  if (!hasComments) {
    // the gold article text of a comment-free page, as a plain-text dump: any comment found is invented
    const page = split(gold.body, { format: 'text', source: e.id });
    freeText.push({ id: e.id, part, invented: page.comments.length > 0 });
  }
  if (!e.html) continue;
  const row: Row = { id: e.id, part, hasComments };
  try {
    const bytes = readFileSync(join(dir, `${e.id}.html`));
    const page = split(bytes, { format: 'html', source: e.id });
    row.html = { body: prf(bodyText(page), gold.body), comments: prf(commentText(page), gold.comments ?? ''), n: page.comments.length };
    const text = htmlToText(decodePage(bytes, e.id).text);
    const tpage = split(text, { format: 'text', source: e.id });
    row.text = { body: prf(bodyText(tpage), gold.body), comments: prf(commentText(tpage), gold.comments ?? ''), n: tpage.comments.length };
  } catch (err) {
    errors++;
    process.stderr.write(`bench-split: ${e.id}: ${(err as Error).message}\n`);
  }
  rows.push(row);
}
const secs = (Date.now() - t0) / 1000;

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const f3 = (x: number) => (Number.isNaN(x) ? '  -  ' : x.toFixed(3));
const pct = (x: number) => (Number.isNaN(x) ? '  -  ' : `${(100 * x).toFixed(1)}%`);

function line(label: string, sel: (r: Row) => boolean, mode: 'html' | 'text'): string {
  const rs = rows.filter((r) => sel(r) && r[mode]);
  const withC = rs.filter((r) => r.hasComments);
  const free = rs.filter((r) => !r.hasComments);
  const b = (k: keyof Prf) => mean(rs.map((r) => r[mode]!.body[k]));
  const c = (k: keyof Prf) => mean(withC.map((r) => r[mode]!.comments[k]));
  const clean = free.length ? free.filter((r) => r[mode]!.n === 0).length / free.length : NaN;
  return `| ${label.padEnd(9)} | ${mode.padEnd(4)} | ${String(rs.length).padStart(5)} | ${f3(b('p'))} | ${f3(b('r'))} | ${f3(b('f'))} | ${String(withC.length).padStart(5)} | ${f3(c('p'))} | ${f3(c('r'))} | ${f3(c('f'))} | ${String(free.length).padStart(4)} | ${pct(clean).padStart(6)} |`;
}

const parts: [string, (r: { part: string }) => boolean][] = [
  ['all', () => true],
  ['dev', (r) => r.part === 'dev'],
  ['held-out', (r) => r.part === 'held-out'],
];
const out: string[] = [];
out.push(`btl split benchmark on ${dir}`);
out.push(`command: npm run bench:split${process.argv.slice(2).length ? ' -- ' + process.argv.slice(2).join(' ') : ''}`);
out.push('split: dev = even id digits (looked at while developing), held-out = odd id digits (never looked at)');
out.push('scores: token multiset P/R/F1 per page, averaged over pages; body = title + body vs gold body;');
out.push('        comments = author + time + text of each comment vs gold comments (pages with gold comments);');
out.push('        text = the same HTML rendered to plain text by htmlToText, split with --format text.');
out.push('');
out.push('| pages     | from | pages | body P | body R | body F1 | w/ cm | cm P  | cm R  | cm F1 | free | clean  |');
out.push('|-----------|------|-------|--------|--------|---------|-------|-------|-------|-------|------|--------|');
for (const [label, sel] of parts) for (const mode of ['html', 'text'] as const) out.push(line(label, sel, mode));
out.push('free/clean: HTML pages whose gold has no comments / share where none were found. Caveat: these pages');
out.push('  do show reader comments (their gold body holds them, checked by hand on the dev ones), so the');
out.push('  invented-comment figure that counts is the one on gold article texts below.');
out.push('');
out.push('Comment-free pages given as their gold article text (plain-text dumps): share with no invented comment');
for (const [label, sel] of parts) {
  const fs = freeText.filter(sel);
  out.push(`  ${label.padEnd(9)} ${fs.filter((x) => !x.invented).length}/${fs.length} clean (${pct(fs.filter((x) => !x.invented).length / fs.length)})`);
}
out.push('');
out.push(`targets: HTML comments F1 >= 0.85, body F1 >= 0.90; text 0.75 / 0.85; clean >= 95%. ${rows.length} HTML pages in ${secs.toFixed(1)} s, ${errors} errors.`);
process.stdout.write(out.join('\n') + '\n');

const worst = arg('--worst');
if (worst) {
  const mode = (arg('--mode') ?? 'html') as 'html' | 'text';
  const what = (arg('--what') ?? 'comments') as 'body' | 'comments';
  const dev = rows.filter((r) => r.part === 'dev' && r[mode] && (what === 'body' || r.hasComments));
  dev.sort((a, b) => a[mode]![what].f - b[mode]![what].f);
  for (const r of dev.slice(0, Number(worst))) {
    const m = r[mode]![what];
    process.stdout.write(`${r.id}\t${what} ${mode} P ${f3(m.p)} R ${f3(m.r)} F1 ${f3(m.f)} comments ${r[mode]!.n}\n`);
  }
  const inv = freeText.filter((x) => x.part === 'dev' && x.invented).map((x) => x.id);
  if (inv.length) process.stdout.write(`invented (dev, gold text): ${inv.join(' ')}\n`);
}
