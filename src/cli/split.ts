import { resolve } from 'node:path';
import { BtlError, EXIT, describeSkipped, skippedFrom, type Skipped } from '../errors';
import { split, splitFile, type PageFormat, type SplitPage } from '../split';
import { parseFlags, write, type Command, type Io } from './command';
import { Progress } from './progress';

const FORMATS: PageFormat[] = ['auto', 'text', 'html'];

const help = `btl split: split news pages into article (title, body) and reader comments

Usage: btl split PAGE... [--format auto|text|html] [--json | --jsonl]

  PAGE            a page file (plain-text dump or HTML); several may be given; - reads stdin
  --format F      auto (default: HTML when the page looks like HTML), text or html
  --json          one JSON array of {source, title, body, comments: [{author, time, depth, text}]}
  --jsonl         one JSON object per page per line
  Without --json a readable listing is printed. Bad pages are skipped and reported at the end on
  stderr; the exit code is 0 when all pages split, 1 when some failed, 3 when none could be split.

Examples:
  btl split data/examples/pages/*.txt
  btl split --json article.html | jq '.[0].comments | length'
  curl -s https://example.org/story | btl split - --format html --jsonl
`;

async function readStdin(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks);
}

/** A readable listing of one split page. */
export function formatPage(page: SplitPage): string {
  const lines: string[] = [];
  lines.push(`== ${page.source}`);
  lines.push(`title: ${page.title ?? '(none)'}`);
  const words = page.body ? page.body.split(/\s+/).length : 0;
  const paras = page.body ? page.body.split(/\n\n/).length : 0;
  lines.push(`body: ${words} words in ${paras} paragraphs`);
  const first = page.body.split(/\n\n/)[0] ?? '';
  if (first) lines.push(`  ${first.length > 200 ? `${first.slice(0, 197)}...` : first}`);
  lines.push(`comments: ${page.comments.length}`);
  page.comments.forEach((c, i) => {
    const pad = '  '.repeat(c.depth + 1);
    const who = `${c.author ?? '(no author)'}${c.time ? `, ${c.time}` : ''}`;
    lines.push(`${pad}${i + 1}. ${who}`);
    const text = c.text.replace(/\s+/g, ' ');
    lines.push(`${pad}   ${text.length > 300 ? `${text.slice(0, 297)}...` : text}`);
  });
  return lines.join('\n') + '\n';
}

export const command: Command = {
  name: 'split',
  summary: 'split news pages into article body and reader comments',
  help,
  async run(argv: string[], io: Io): Promise<number> {
    const { values, positionals } = parseFlags(argv, {
      format: { type: 'string' },
      json: { type: 'boolean' },
      jsonl: { type: 'boolean' },
    });
    const format = (values.format ?? 'auto') as PageFormat;
    if (!FORMATS.includes(format)) throw new BtlError('E_USAGE', `unknown --format '${values.format}'. Should be one of: ${FORMATS.join(', ')}`);
    if (values.json && values.jsonl) throw new BtlError('E_USAGE', '--json and --jsonl cannot be used together');
    if (positionals.length === 0) throw new BtlError('E_USAGE', 'no page given (a file path, or - for stdin)');
    if (positionals.filter((p) => p === '-').length > 1) throw new BtlError('E_USAGE', 'stdin (-) can be given only once');

    const skipped: Skipped[] = [];
    const pages: SplitPage[] = [];
    const progress = new Progress(io.stderr, io.progress && positionals.length > 1, 'split');
    let done = 0;
    for (const p of positionals) {
      try {
        const page = p === '-' ? split(await readStdin(io.stdin), { format, source: '-' }) : await splitFile(resolvePath(io.cwd, p), { format, source: p });
        if (values.json) pages.push(page);
        else if (values.jsonl) write(io.stdout, JSON.stringify(page));
        else io.stdout.write((done > 0 ? '\n' : '') + formatPage(page));
        done++;
      } catch (err) {
        if (!(err instanceof BtlError)) throw err;
        skipped.push(skippedFrom(err, p));
      }
      progress.update(done + skipped.length, positionals.length);
    }
    progress.done();
    if (values.json) write(io.stdout, JSON.stringify(pages, null, 2));
    for (const s of skipped) write(io.stderr, `btl split: skipped ${describeSkipped(s)}`);
    if (skipped.length && positionals.length > 1) write(io.stderr, `btl split: ${done} of ${positionals.length} pages split, ${skipped.length} skipped`);
    if (done === 0) return EXIT.input;
    return skipped.length ? EXIT.partial : EXIT.ok;
  },
};

function resolvePath(cwd: string, p: string): string {
  return resolve(cwd, p);
}
