/**
 * Small labelled comment sets for model tests, composed from phrases written for these tests:
 * an opener about a topic, then a hostile, conspiratorial or ordinary remark.
 */
const TOPICS = ['the new bypass', 'the council budget', 'the transfer window', 'the flood defences', 'the school merger', 'the hospital wait lists', 'the rail strike', 'the housing plan', 'the election debate', 'the price of bread'];
export const HOSTILE = [
  'you are a pathetic idiot', 'what a brainless moron you are', 'people like you are vermin', 'shut up you worthless clown',
  'the author is a spineless liar and a fool', 'these parasites should be thrown out', 'you utter m0r0n', 'go crawl back under your rock, loser',
  'someone should shut that rat up for good', 'only a complete imbecile would write this',
];
export const CONSPIRACY = [
  'it was all staged by the people really in charge', 'follow the money, this was planned years ago', 'a false flag, just like the last one',
  'no coincidence the cameras were off that night', 'the official story is a cover for what they really did', 'the globalists are pulling the strings again',
  'they keep it going on purpose so we stay scared', 'ask yourself who benefits, it was orchestrated', 'the numbers are faked by those who control the media',
  'crisis actors, every one of them',
];
export const ORDINARY = [
  'I think the costs were underestimated', 'the report makes a fair point about delays', 'not sure this will change much for commuters',
  'I disagree with the decision but I see the logic', 'the figures in the second table look odd to me', 'my street was affected last winter too',
  'good to see some proper reporting on this', 'does anyone know when the consultation closes', 'the minister should answer the question directly',
  'this has been a long time coming',
];

export interface LabelledComment {
  text: string;
  hostile: 0 | 1;
  conspiratorial: 0 | 1;
}

/** Every topic × remark; `part` 0 or 1 picks alternate topics so that two parts share no comment. */
export function compose(part: 0 | 1): LabelledComment[] {
  const out: LabelledComment[] = [];
  TOPICS.forEach((topic, t) => {
    if (t % 2 !== part) return;
    for (const r of HOSTILE) out.push({ text: `About ${topic}: ${r}.`, hostile: 1, conspiratorial: 0 });
    for (const r of CONSPIRACY) out.push({ text: `${r[0].toUpperCase()}${r.slice(1)}. Look at ${topic}.`, hostile: 0, conspiratorial: 1 });
    for (const r of ORDINARY) out.push({ text: `On ${topic}, ${r}.`, hostile: 0, conspiratorial: 0 });
  });
  return out;
}

export function toCsv(rows: { text: string; hostile?: number | ''; conspiratorial?: number | '' }[]): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return `text,hostile,conspiratorial\n${rows.map((r) => `${q(r.text)},${r.hostile ?? ''},${r.conspiratorial ?? ''}`).join('\n')}\n`;
}
