/**
 * Character-level folding of one raw chunk of comment text (a run of non-space characters):
 * Unicode compatibility forms, case, diacritics, zero-width characters, homoglyphs, split-letter
 * and leetspeak obfuscation. Works per chunk so that every token keeps the offsets of the chunk it
 * came from in the original text.
 */

/** Characters that render as nothing and are used to break up words ("id\u200Biot"). */
const INVISIBLE = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0]/g;

/** Combining marks left after NFD (diacritics, and the strike-through / zalgo overlays). */
const COMBINING = /[\u0300-\u036F\u0483-\u0489\u1AB0-\u1AFF\u1DC0-\u1DFF\u20D0-\u20FF\uFE20-\uFE2F]/g;

/** Letters from other scripts that look like Latin ones, as used to dodge filters. */
const HOMOGLYPHS: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  і: 'i', ї: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ӏ: 'l', ɡ: 'g', ɩ: 'i', ο: 'o', α: 'a',
  ε: 'e', ι: 'i', κ: 'k', ν: 'v', ρ: 'p', τ: 't', υ: 'u', χ: 'x', β: 'b', γ: 'y', η: 'n', μ: 'u', ω: 'w',
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i',
};
const HOMOGLYPH_RE = new RegExp(`[${Object.keys(HOMOGLYPHS).join('')}]`, 'g');

/** Digits and symbols read as letters inside a word ("1d10t", "m0r0n", "sh!t", "@ss"). */
const LEET: Record<string, string> = {
  '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g',
  '@': 'a', $: 's', '!': 'i', '|': 'l', '+': 't', '€': 'e', '£': 'l',
};
const LEET_CHARS = /[01345789@$!|+€£]/;

/** Lowercase, NFKC, no diacritics, no invisible characters, homoglyphs folded to Latin. */
export function foldChars(s: string): string {
  // ASCII is its own NFKC form and has nothing more to fold
  if (!/[^\x00-\x7F]/.test(s)) return s.toLowerCase();
  let t = s.normalize('NFKC').toLowerCase();
  if (t.length !== 0 && /[^\x00-\x7F]/.test(t)) {
    t = t.replace(INVISIBLE, '').normalize('NFD').replace(COMBINING, '').replace(HOMOGLYPH_RE, (c) => HOMOGLYPHS[c]);
  }
  return t;
}

/** "s.t.u.p.i.d", "i-d-i-o-t", "f_u_c_k" -> the letters joined; anything else unchanged. */
export function joinSeparatedLetters(t: string): string {
  return /^(?:[a-z0-9@$!][.\-_*~,'`]){2,}[a-z0-9@$!][.!?,]*$/.test(t) ? t.replace(/[.\-_*~,'`]/g, '').replace(/[.!?,]+$/, '') : t;
}

/**
 * Leetspeak folded when digits or symbols sit among letters ("1d10t", "m0r0n", "sh!t", "@ss").
 * Plain numbers, "covid19", "5g", "2nd", "10am" and "$500" are left alone.
 */
export function foldLeet(t: string): string {
  if (!LEET_CHARS.test(t)) return t;
  // trailing "!" and "|" are punctuation, not letters ("idiot!!")
  const core = t.replace(/^[^a-z0-9@$!|+€£]+|[^a-z0-9@$+€£]+$/g, '');
  if (core.length < 3) return t;
  const letters = core.replace(/[^a-z]/g, '').length;
  if (letters < 2 || letters < core.length * 0.4) return t;
  // letters then digits only, or digits then letters only: model numbers and ordinals, not leet
  if (/^[a-z]+\d+$/.test(core) || /^\d+[a-z]+$/.test(core) || /^[$£€]\d/.test(core)) return t;
  // the leet character must touch a letter
  if (!/[a-z][013457890@$!|+€£]|[013457890@$!|+€£][a-z]/.test(core)) return t;
  const at = t.indexOf(core);
  return t.slice(0, at) + core.replace(/[013457890@$!|+€£]/g, (c) => LEET[c] ?? c) + t.slice(at + core.length);
}
