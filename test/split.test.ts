import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { split, splitFile, htmlToText, looksLikeHtml } from '../src/split';

const PAGES = join(__dirname, 'fixtures', 'pages');
const page = (name: string) => join(PAGES, name);

describe('split: plain-text pages in the seeds shape', () => {
  test('an article with a comment form and an author bio has no comments', async () => {
    const p = await splitFile(page('no-comments-form.txt'));
    expect(p.comments).toEqual([]);
    expect(p.title).toBe('Harbour Town Council Approves New Ferry Timetable After Two-Year Dispute');
    expect(p.body).toContain('The council of Harbour Town voted on Tuesday evening');
    expect(p.body).toContain('a change that the parents');
    expect(p.body).not.toMatch(/Leave a Reply|email address|is a reporter covering/);
  });

  test('"There are no comments." is a notice, not a comment', async () => {
    const p = await splitFile(page('no-comments-notice.txt'));
    expect(p.comments).toEqual([]);
    expect(p.body).toContain('Forecasters expect little rain');
    expect(p.body).not.toMatch(/no comments|LEAVE A COMMENT/i);
    // the caption printed twice (truncated, then in full) is not body
    expect(p.body).not.toContain('A herd of cattle waits at the auction yard\n');
  });

  test('a comment section with time lines, crumbs and author-less comments', async () => {
    const p = await splitFile(page('with-comments.txt'));
    expect(p.comments.map((c) => [c.author, c.time])).toEqual([
      ['Marta K.', 'March 3, 2021 at 6:14 pm'],
      [null, null],
      ['grumpy_reader', '2 days ago'],
      [null, null],
    ]);
    expect(p.comments[1].text).toMatch(/^Honestly the money .* since November\.$/);
    expect(p.comments[3].text).toBe('Finally. I hope they keep it after July.');
    const all = p.comments.map((c) => c.text).join('\n');
    expect(all).not.toMatch(/Reply|Like \(|Load more|Post Comment|email address/);
    expect(p.body).not.toMatch(/Illustrative image|Share this|Twitter|Comments/);
    expect(p.body).toContain('The city will decide in July');
    expect(p.comments.every((c) => c.depth === 0)).toBe(true);
  });

  test('a short subheaded article is not mistaken for a comment run', () => {
    const text = [
      'Rail Strike Ends After Pay Deal',
      '',
      'Train drivers will return to work on Monday after the union accepted a three-year pay offer that raises wages by eleven percent in total.',
      '',
      'What changes',
      '',
      'The deal also limits weekend shifts to two a month for drivers with young children, a demand the union made at the start of the dispute.',
      '',
      'What stays the same',
      '',
      'Pension contributions remain unchanged, and the operator keeps the right to run driverless shuttles on the airport line.',
      '',
      'What comes next',
      '',
      'The transport ministry said timetables would be back to normal by Wednesday, once trains have been returned to the right depots.',
    ].join('\n');
    const p = split(text, { format: 'text' });
    expect(p.comments).toEqual([]);
    expect(p.body).toContain('Pension contributions remain unchanged');
  });

  test('a "Discussion (2)" heading starts the comments', () => {
    const text = [
      'Bakery Wins Bread Prize',
      '',
      'A small bakery in the old quarter won the national bread prize on Saturday for a rye loaf baked to a recipe the owner found in her grandfather\'s notebook.',
      '',
      'The jury praised the crust and the slightly sour crumb, and said the loaf would keep for a week without going stale.',
      '',
      'Discussion (2)',
      '',
      'Ben Ortiz',
      'Yesterday at 14:02',
      'Best rye in town, and the queue on Saturdays proves it.',
      'Reply',
      '',
      'Hanna',
      'Today at 09:10',
      'Congratulations to the whole team!',
    ].join('\n');
    const p = split(text, { format: 'text' });
    expect(p.comments).toEqual([
      { author: 'Ben Ortiz', time: 'Yesterday at 14:02', depth: 0, text: 'Best rye in town, and the queue on Saturdays proves it.' },
      { author: 'Hanna', time: 'Today at 09:10', depth: 0, text: 'Congratulations to the whole team!' },
    ]);
    expect(p.body).not.toContain('Discussion');
  });

  test('a site name and a header strip ending in social links are neither title nor body', () => {
    const text = [
      'Valley Courier Online',
      '        3 March 2021 - Wednesday | 02/03/2021 (14) 01/03/2021 (9) Total: 52,410 articles        Facebook Twitter Instagram',
      '',
      'Bridge repairs to close the river crossing for six weeks',
      '',
      '2 March 2021 16:05',
      '',
      'The old stone bridge over the river will close to traffic from Monday while engineers replace two of its arches, the county council said.',
      '',
      'Buses will divert over the bypass, adding about twenty minutes to journeys between the two halves of the town.',
    ].join('\n');
    const p = split(text, { format: 'text' });
    expect(p.title).toBe('Bridge repairs to close the river crossing for six weeks');
    expect(p.body).not.toMatch(/Facebook|Total:/);
    expect(p.body).toContain('replace two of its arches');
  });

  test('an author shown as an initial and a surname ("M. Oduya") starts a comment', () => {
    const text = [
      'Ferry Timetable Cut Again',
      '',
      'The island ferry will run four times a day instead of six from next month, the operator said on Monday, citing crew shortages.',
      '',
      'Islanders said the change would make it impossible to commute to the mainland for early shifts at the hospital.',
      '',
      '3 comments',
      '',
      'harbourmaster',
      '',
      'Four sailings is not a service, it is a rumour.',
      '',
      'M. Oduya',
      '',
      'The operator promised a review last year. Where is it?',
      '',
      'Island Nurse',
      '',
      'I start at seven. The first boat lands at eight.',
    ].join('\n');
    const p = split(text, { format: 'text' });
    expect(p.comments.map((c) => [c.author, c.text])).toEqual([
      ['harbourmaster', 'Four sailings is not a service, it is a rumour.'],
      ['M. Oduya', 'The operator promised a review last year. Where is it?'],
      ['Island Nurse', 'I start at seven. The first boat lands at eight.'],
    ]);
  });

  test('"Jane said," with the time after the text, and a sidebar after the form, in a text dump', () => {
    const text = [
      'Ferry Fares Rise Again',
      '',
      'Fares on the island ferry will rise by eight percent from April, the third increase in two years, the operator said on Friday in a letter to season-ticket holders.',
      '',
      'The operator blamed the price of fuel and a new pension scheme for its crews, and promised to add a second evening crossing on Saturdays.',
      '',
      '2 users responded in "Ferry Fares Rise Again"',
      '',
      'Jane Morrow said,',
      '',
      'Eight percent again. My season ticket now costs more than my rent did ten years ago.',
      '',
      'October 3, 2024 at 8:15 am',
      '',
      'Old Islander said,',
      '',
      'The Saturday crossing is welcome, at least.',
      '',
      'October 3, 2024 at 9:40 am',
      '',
      'Leave a Reply',
      '',
      'Archives',
      '',
      'September 2024',
      '',
      'August 2024',
      '',
      'Blogroll',
      '',
      'Island Weather Watch',
    ].join('\n');
    const p = split(text, { format: 'text' });
    expect(p.comments).toEqual([
      { author: 'Jane Morrow', time: 'October 3, 2024 at 8:15 am', depth: 0, text: 'Eight percent again. My season ticket now costs more than my rent did ten years ago.' },
      { author: 'Old Islander', time: 'October 3, 2024 at 9:40 am', depth: 0, text: 'The Saturday crossing is welcome, at least.' },
    ]);
    expect(p.body).toContain('second evening crossing on Saturdays');
    expect(p.body).not.toContain('users responded');
  });
});

describe('split: HTML pages', () => {
  test('WordPress comment list with a nested reply', async () => {
    const p = await splitFile(page('wordpress.html'));
    expect(p.title).toBe('New Bike Lanes Open on River Road');
    expect(p.comments.map((c) => [c.author, c.time, c.depth])).toEqual([
      ['Rosa Lindqvist', 'June 5, 2023 at 6:14 pm', 0],
      ['Dev Patel', 'June 5, 2023 at 7:02 pm', 1],
      ['shopkeeper_on_river', 'June 6, 2023 at 8:30 am', 0],
    ]);
    expect(p.comments[1].text).toBe('Same here. The kerb makes a real difference.\n\nNow do the bridge.');
    expect(p.body).toContain('protected bike lanes along River Road');
    expect(p.body).toContain('judge the project for themselves');
    const everything = p.body + p.comments.map((c) => c.text).join(' ');
    expect(everything).not.toMatch(/Reply|Leave a|Post Comment|Share this|Twitter|not text|color: red|Cyclists on the new lane|All rights reserved|Sport/);
  });

  test('schema.org Comment microdata outside a comments container', async () => {
    const p = await splitFile(page('schema.html'));
    expect(p.comments.map((c) => [c.author, c.time])).toEqual([
      ['Ines Oduya', '2 days ago'],
      ['K. Brandt', '1 day ago'],
      [null, '5 hours ago'],
    ]);
    expect(p.comments[0].text).toBe('My grandmother used to tell us about these masks. I never thought I would see them.');
    expect(p.body).toContain('climate-controlled room');
    expect(p.body).not.toMatch(/newsletter|Front page|Discussion|Like \(4\)/);
  });

  test('Disqus-style thread keeps reply depth', async () => {
    const p = await splitFile(page('disqus.html'));
    expect(p.comments.map((c) => [c.author, c.time, c.depth])).toEqual([
      ['alpine_driver', '3 hours ago', 0],
      ['Mara S', '2 hours ago', 1],
      ['alpine_driver', 'an hour ago', 2],
      ['Jonas Weber', '4 hours ago', 0],
    ]);
    expect(p.comments[2].text).toBe('That is the one!');
    expect(p.body).toContain('car-carrying trains through the base tunnel');
    expect(p.body).not.toMatch(/Avalanche warning raised|Related|Load more/);
  });

  test('windows-1252 page declared in a meta http-equiv', async () => {
    const p = await splitFile(page('cp1252.html'));
    expect(p.title).toBe('Café Owners Protest Terrace Fees');
    expect(p.body).toContain('terrace fee – €45 per square metre');
    expect(p.body).toContain('“We are not against paying our share,” said Renée Faïz');
    expect(p.comments.map((c) => c.author)).toEqual(['José', 'Anaïs B.']);
    expect(p.comments[0].text).toBe('€45 is nothing compared to the big cities.');
  });

  test('UTF-16 page with a byte-order mark', async () => {
    const bytes = readFileSync(page('utf16.html'));
    expect(bytes[0]).toBe(0xff);
    const p = split(bytes, { source: 'utf16.html' });
    expect(p.title).toBe('Students Win the Regional Robotics Cup');
    expect(p.body).toContain('Émilie Durand and Łukasz Nowak');
    expect(p.comments).toHaveLength(2);
    expect(p.comments[0]).toEqual({ author: 'Łukasz’s mum', time: 'October 2, 2023 at 9:15 am', depth: 0, text: 'So proud of all six of you! 🎉' });
  });

  test('format detection, and the text rendering of HTML splits the same way', async () => {
    const html = readFileSync(page('wordpress.html'), 'utf8');
    expect(looksLikeHtml(html)).toBe(true);
    expect(looksLikeHtml(readFileSync(page('with-comments.txt'), 'utf8'))).toBe(false);
    const text = htmlToText(html);
    expect(text).not.toMatch(/<|not text|color: red/);
    const p = split(text, { format: 'text' });
    expect(p.comments.map((c) => c.author)).toEqual(['Rosa Lindqvist', 'Dev Patel', 'shopkeeper_on_river']);
    expect(p.comments[2].text).toBe('Nobody asked the shops. We lost half our parking and nobody will count that.');
  });
});
