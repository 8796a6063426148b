import { mkdtempSync, writeFileSync, mkdirSync, openSync, ftruncateSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BtlError } from '../src/errors';
import { decodePage, split, splitFile, MAX_PAGE_BYTES } from '../src/split';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'btl-split-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function failure(p: Promise<unknown>): Promise<BtlError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(BtlError);
    return err as BtlError;
  }
  throw new Error('expected a BtlError');
}

describe('splitFile: bad input names the file and says what is wrong', () => {
  test('empty file', async () => {
    const f = join(dir, 'empty.txt');
    writeFileSync(f, '');
    const e = await failure(splitFile(f));
    expect(e.code).toBe('E_EMPTY');
    expect(e.describe()).toBe(`${f}: empty page (0 bytes)`);
  });

  test('whitespace-only file', async () => {
    const f = join(dir, 'blank.txt');
    writeFileSync(f, '\n \n\t\n');
    expect((await failure(splitFile(f))).code).toBe('E_EMPTY');
  });

  test('binary file (a PNG header and NUL bytes)', async () => {
    const f = join(dir, 'photo.html');
    writeFileSync(f, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]));
    const e = await failure(splitFile(f));
    expect(e.code).toBe('E_BINARY');
    expect(e.file).toBe(f);
    expect(e.describe()).toMatch(/photo\.html: binary/);
  });

  test('undecodable: declared UTF-8 full of invalid bytes', async () => {
    const f = join(dir, 'broken.html');
    // bytes that are neither UTF-8 nor defined in windows-1252
    const bad = Buffer.from(Array.from({ length: 400 }, (_, i) => [0x81, 0x8d, 0x90, 0x9d][i % 4]));
    writeFileSync(f, Buffer.concat([Buffer.from('<html><head><meta charset="utf-8"></head><body><p>'), bad, Buffer.from('</p></body></html>')]));
    const e = await failure(splitFile(f));
    expect(e.code).toBe('E_DECODE');
    expect(e.describe()).toMatch(/broken\.html: cannot decode as declared utf-8/);
  });

  test('undecodable: UTF-8 byte-order mark followed by invalid bytes', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Title\n\n'), Buffer.from([0xc3, 0x28, 0xa0, 0xa1])]);
    expect(() => decodePage(bytes, 'x.txt')).toThrow(/x\.txt|cannot decode/);
    try {
      decodePage(bytes, 'x.txt');
    } catch (e) {
      expect((e as BtlError).code).toBe('E_DECODE');
    }
  });

  test('a page over 50 MB is refused before reading', async () => {
    const f = join(dir, 'huge.html');
    const fd = openSync(f, 'w');
    ftruncateSync(fd, MAX_PAGE_BYTES + 1);
    closeSync(fd);
    const e = await failure(splitFile(f));
    expect(e.code).toBe('E_TOO_LARGE');
    expect(e.describe()).toMatch(/huge\.html: page is \d+ MB, over the 50 MB limit/);
  });

  test('a folder given as a page', async () => {
    const d = join(dir, 'pages');
    mkdirSync(d);
    const e = await failure(splitFile(d));
    expect(e.code).toBe('E_IS_DIR');
    expect(e.describe()).toBe(`${d}: is a folder, not a page file`);
  });

  test('a missing file', async () => {
    expect((await failure(splitFile(join(dir, 'nope.txt')))).code).toBe('E_NOT_FOUND');
  });

  test('split() on an empty string names its source', () => {
    expect(() => split('   ', { source: 'stdin-page' })).toThrow(BtlError);
    try {
      split('', { source: 'stdin-page' });
    } catch (e) {
      expect((e as BtlError).describe()).toBe('stdin-page: empty page');
    }
  });
});

describe('decodePage: encodings', () => {
  test('undeclared windows-1252 bytes fall back from UTF-8', () => {
    const d = decodePage(Buffer.from([0x93, 0x43, 0x61, 0x66, 0xe9, 0x94, 0x20, 0x80, 0x35]), 'p.txt');
    expect(d.text).toBe('“Café” €5');
    expect(d.encoding).toBe('windows-1252');
  });

  test('UTF-16BE with a byte-order mark, and UTF-16LE without one', () => {
    const be = Buffer.from('\ufeffNews: ütf', 'utf16le').swap16();
    expect(decodePage(be, 'be.txt').text).toBe('News: ütf');
    const le = Buffer.from('<p>Grüße aus Köln</p>', 'utf16le');
    const d = decodePage(le, 'le.html');
    expect(d.text).toBe('<p>Grüße aus Köln</p>');
    expect(d.encoding).toBe('utf-16le');
  });

  test('meta charset wins over the UTF-8 default', () => {
    const html = Buffer.concat([Buffer.from('<meta charset="iso-8859-1"><p>na'), Buffer.from([0xef]), Buffer.from('ve</p>')]);
    expect(decodePage(html, 'x.html').text).toContain('naïve');
  });
});
