import { Featurizer, DEFAULT_FEATURIZER, tokenize, foldLeet, joinSeparatedLetters, foldChars } from '../src/text';

const words = (s: string) => tokenize(s).map((t) => t.text);

describe('tokenize', () => {
  test('keeps pronouns and stop words', () => {
    expect(words('You are what they say you are')).toEqual(['you', 'are', 'what', 'they', 'say', 'you', 'are']);
  });

  test('folds leetspeak, split letters, spaced letters and censored words', () => {
    expect(words('what a 1d10t')).toEqual(['what', 'a', 'idiot']);
    expect(words('m0r0n!!')).toEqual(['moron']);
    expect(words('total s.t.u.p.i.d-ity')).toContain('total');
    expect(words('you are s t u p i d')).toEqual(['you', 'are', 'stupid']);
    expect(words('f***ing weather')).toEqual(['f-ing', 'weather']);
  });

  test('leaves numbers, model names and prices alone', () => {
    expect(words('covid19 and 5g cost $500 on the 2nd')).toEqual(['covid19', 'and', '5g', 'cost', '500', 'on', 'the', '2nd']);
    expect(foldLeet('2024')).toBe('2024');
    expect(foldLeet('idiot!')).toBe('idiot!');
  });

  test('folds homoglyphs, zero-width characters, diacritics and full-width forms', () => {
    expect(words('іdіоt')).toEqual(['idiot']); // Cyrillic і and о
    expect(words('id\u200Biot')).toEqual(['idiot']);
    expect(words('naïve')).toEqual(['naive']);
    expect(words('ｖｅｒｍｉｎ')).toEqual(['vermin']);
    expect(foldChars('ÉCOLE')).toBe('ecole');
    expect(joinSeparatedLetters('i-d-i-o-t')).toBe('idiot');
  });

  test('URLs and @mentions become tokens of their own', () => {
    expect(words('@dave read https://example.org/x first')).toEqual(['__mention__', 'read', '__url__', 'first']);
    expect(words('see www... now, (WWW.)')).toEqual(['see', '__url__', 'now', '__url__']);
  });

  test('every token points at the stretch of the original text it came from', () => {
    const text = 'Well,  you 1d10t… s t u p i d!';
    for (const t of tokenize(text)) {
      expect(text.slice(t.start, t.end).length).toBeGreaterThan(0);
      expect(t.end).toBeLessThanOrEqual(text.length);
    }
    const idiot = tokenize(text).find((t) => t.text === 'idiot')!;
    expect(text.slice(idiot.start, idiot.end)).toMatch(/^1d10t/);
    const stupid = tokenize(text).find((t) => t.text === 'stupid')!;
    expect(text.slice(stupid.start, stupid.end)).toBe('s t u p i d!');
  });

  test('splits on every kind of white space a regular expression knows, and nothing else', () => {
    // no-break, ideographic, line-separator, thin and zero-width no-break spaces; a zero-width space is not one
    const text = '\u00a0you\u3000absolute\u2028clown\u2009ok\ufeffthen\tfine\u200bidiot ';
    expect(tokenize(text).map((t) => [t.text, text.slice(t.start, t.end)])).toEqual([
      ['you', 'you'],
      ['absolute', 'absolute'],
      ['clown', 'clown'],
      ['ok', 'ok'],
      ['then', 'then'],
      ['fineidiot', 'fine\u200bidiot'],
    ]);
  });
});

describe('Featurizer', () => {
  const f = new Featurizer({ ...DEFAULT_FEATURIZER, buckets: 1 << 16 });

  test('is deterministic and L2-normalised per group', () => {
    const a = f.vectorize('You are a pathetic idiot, honestly');
    const b = f.vectorize('You are a pathetic idiot, honestly');
    expect(Array.from(a.idx)).toEqual(Array.from(b.idx));
    expect(Array.from(a.val)).toEqual(Array.from(b.val));
    const norm = Array.from(a.val).reduce((s, v) => s + v * v, 0);
    expect(norm).toBeCloseTo(2, 4); // words, then characters: each of norm 1
  });

  test('obfuscated and plain spellings share features', () => {
    const plain = new Set(f.vectorize('idiot').idx);
    const leet = f.vectorize('1d10t').idx;
    expect(Array.from(leet).every((i) => plain.has(i))).toBe(true);
  });

  test('empty and whitespace text give an empty vector', () => {
    expect(f.vectorize('   ').idx.length).toBe(0);
  });

  test('explain() ties every feature occurrence to tokens of the text', () => {
    const { tokens, occurrences } = f.explain('they staged it');
    expect(tokens.map((t) => t.text)).toEqual(['they', 'staged', 'it']);
    expect(occurrences.length).toBeGreaterThan(10);
    for (const o of occurrences) for (const t of o.tokens) expect(t).toBeLessThan(tokens.length);
  });

  test('project() gives the sparse product of the TF-IDF vector, for any number of outputs', () => {
    const config = { ...DEFAULT_FEATURIZER, buckets: 1 << 12, minDf: 2 };
    const docs = ['you are a clown', 'they staged it, you clown', 'the vote was staged, they say', 'a clown a clown a clown'];
    const idf = Featurizer.fitIdf(config, docs);
    const g = new Featurizer(config, idf);
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
    for (const L of [1, 2, 3]) {
      const W = Float32Array.from({ length: config.buckets * L }, rnd);
      const bias = Float32Array.from({ length: L }, rnd);
      const { table, stride } = g.scoringTable(W, L);
      for (const text of [...docs, 'clown clown, staged!', '']) {
        const tokens = tokenize(text);
        const got = Array.from(g.project(tokens, table, stride, bias, new Float64Array(L)));
        const x = g.vectorizeTokens(tokens);
        const want = Array.from(bias, (b, l) => x.idx.reduce((s, id, k) => s + x.val[k] * W[id * L + l], b));
        got.forEach((z, l) => expect(z).toBeCloseTo(want[l], 5));
      }
    }
    // the values a projection leaves behind are the ones explaining reads
    const tokens = tokenize('they staged it, you clown');
    g.project(tokens, g.scoringTable(new Float32Array(config.buckets), 1).table, 2, new Float32Array(1), new Float64Array(1));
    const after = g.features(tokens).distinct;
    const fresh = new Featurizer(config, idf).features(tokenize('they staged it, you clown')).distinct;
    expect(Array.from(after.value.subarray(0, after.n))).toEqual(Array.from(fresh.value.subarray(0, fresh.n)));
  });

  test('the word cache gives the same features when it fills, empties and grows', () => {
    // distinct letter-only words: "ba", "ca", … in base 26
    const word = (i: number): string => {
      let w = '';
      for (let n = i + 26; n > 0; n = Math.floor(n / 26)) w += String.fromCharCode(97 + (n % 26));
      return w;
    };
    const text = (from: number, n: number): string => Array.from({ length: n }, (_, i) => word(from + i)).join(' ');
    const a = text(0, 100);
    const b = `you absolute clown ${text(100, 2_500)} clown`;
    const g = new Featurizer(f.config, null, null, 2_000);
    g.vectorize(a);
    // b's words do not fit beside a's, nor alone: the cache empties before b, not while b is counted
    const got = g.vectorize(b);
    const want = new Featurizer(f.config).vectorize(b);
    const same = (x: ArrayBufferView, y: ArrayBufferView) => Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));
    expect(got.idx.length).toBeGreaterThan(1_000);
    expect(same(got.idx, want.idx)).toBe(true);
    expect(same(got.val, want.val)).toBe(true);
    expect(Array.from(g.vectorize('you absolute clown').val)).toEqual(Array.from(new Featurizer(f.config).vectorize('you absolute clown').val));
  });

  test('a very long text, then short ones, then the long one again: the same features each time', () => {
    // 8,000 words of 4–5 letters: over 100,000 feature occurrences, enough that the count table is let go after it
    const long = Array.from({ length: 8_000 }, (_, i) => `w${(i * 7919).toString(36).replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)])}x`).join(' ');
    const fresh = (t: string) => new Featurizer(f.config).vectorize(t);
    const g = new Featurizer(f.config);
    const same = (t: string) => {
      const x = g.vectorize(t);
      const y = fresh(t);
      expect(Buffer.from(x.idx.buffer).equals(Buffer.from(y.idx.buffer))).toBe(true);
      expect(Buffer.from(x.val.buffer).equals(Buffer.from(y.val.buffer))).toBe(true);
    };
    expect(fresh(long).idx.length).toBeGreaterThan(5_000);
    for (const t of [long, 'you absolute clown', 'they staged it', long, 'clown']) same(t);
  });

  test('IDF down-weights words every document has', () => {
    const idf = Featurizer.fitIdf({ ...DEFAULT_FEATURIZER, buckets: 1 << 16 }, ['the cat', 'the dog', 'the bird', 'a fish']);
    const g = new Featurizer({ ...DEFAULT_FEATURIZER, buckets: 1 << 16, charMin: 9, charMax: 9 }, idf);
    const v = g.vectorize('the cat');
    expect(v.idx.length).toBeGreaterThan(0);
  });
});
