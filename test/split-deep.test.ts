import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BtlError } from '../src/errors';
import { htmlToText, MAX_HTML_DEPTH, split, splitFile } from '../src/split';

const PAGES = join(__dirname, 'fixtures', 'pages');

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

function nestedDivs(n: number, inner: string): string {
  return `<!doctype html><html><head><title>Deep</title></head><body>${'<div>'.repeat(n)}${inner}${'</div>'.repeat(n)}</body></html>`;
}

describe('split: deeply nested HTML', () => {
  const deep = nestedDivs(20000, '<p>A paragraph at the bottom of the well.</p>');

  test('20,000 nested divs give a clear E_TOO_LARGE error naming the page, not a RangeError', () => {
    const err = caught(() => split(deep, { source: 'deep.html' }));
    expect(err).toBeInstanceOf(BtlError);
    expect(err).not.toBeInstanceOf(RangeError);
    expect((err as BtlError).code).toBe('E_TOO_LARGE');
    expect((err as BtlError).describe()).toBe(`deep.html: HTML nested deeper than ${MAX_HTML_DEPTH} elements`);
  });

  test('splitFile names the file; htmlToText fails the same way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'btl-deep-'));
    const file = join(dir, 'deep.html');
    writeFileSync(file, deep);
    await expect(splitFile(file)).rejects.toMatchObject({ code: 'E_TOO_LARGE', file, message: `HTML nested deeper than ${MAX_HTML_DEPTH} elements` });
    const err = caught(() => htmlToText(deep, 'comment 7'));
    expect(err).toBeInstanceOf(BtlError);
    expect((err as BtlError).describe()).toBe(`comment 7: HTML nested deeper than ${MAX_HTML_DEPTH} elements`);
  });

  test('100,000 unclosed <p><b> pairs fail fast with the same error', () => {
    const html = `<html><body>${'<p><b>word '.repeat(100000)}</body></html>`;
    const err = caught(() => split(html, { source: 'unclosed.html' }));
    expect(err).toBeInstanceOf(BtlError);
    expect((err as BtlError).code).toBe('E_TOO_LARGE');
  });

  test('the limit is on element depth: exactly the limit renders, one more fails', () => {
    const at = (n: number) => `${'<div>'.repeat(n)}bottom text${'</div>'.repeat(n)}`;
    expect(htmlToText(at(MAX_HTML_DEPTH))).toBe('bottom text\n');
    expect(caught(() => htmlToText(at(MAX_HTML_DEPTH + 1)))).toBeInstanceOf(BtlError);
  });

  test('a nested WordPress thread still splits the same, also wrapped 300 divs deep', () => {
    const html = readFileSync(join(PAGES, 'wordpress.html'), 'utf8');
    const plain = split(html, { source: 'wordpress.html' });
    expect(plain.comments.map((c) => [c.author, c.depth])).toEqual([
      ['Rosa Lindqvist', 0],
      ['Dev Patel', 1],
      ['shopkeeper_on_river', 0],
    ]);
    expect(plain.comments[1].text).toBe('Same here. The kerb makes a real difference.\n\nNow do the bridge.');
    const body = html.match(/<body[^>]*>([\s\S]*)<\/body>/i);
    expect(body).not.toBeNull();
    const wrapped = html.replace(body![1], `${'<div>'.repeat(300)}${body![1]}${'</div>'.repeat(300)}`);
    const deepPage = split(wrapped, { source: 'wordpress.html' });
    expect(deepPage.comments).toEqual(plain.comments);
    expect(deepPage.body).toBe(plain.body);
    expect(htmlToText(wrapped)).toBe(htmlToText(html));
  });
});
