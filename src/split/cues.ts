/**
 * The line-level cues a page gives about its own structure: comment-section headings, time lines,
 * crumbs around comments, comment forms, "no comments" notices, and boilerplate lines that are
 * neither article nor comment. Shared by the text and HTML splitters.
 */

const norm = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** "12 Comments", "Comments (3)", "Readers' comments", "Discussion (3)", "5 thoughts on “X”", "3 Responses to X". */
const HEADING = [
  /^(\d[\d,.]*\s+)?(reader'?s?'?\s+|user\s+|visitor\s+)?(comments?|responses?|replies|reactions|opinions|discussions?)(\s*\(\d[\d,.]*\))?\s*[:»›]?$/i,
  /^(comments?|discussion|responses?|replies)\s*[:(]?\s*\d[\d,.]*\s*\)?$/i,
  /^\d[\d,.]*\s+(thoughts?|responses?|comments?|replies|reactions)\s+(on|to)\b.{0,160}$/i,
  /^(one|two|three|four|five|six|seven|eight|nine|ten)\s+(thoughts?|responses?|comments?|replies)(\s+(on|to)\b.{0,160})?$/i,
  /^(what (our )?readers (are )?say(ing)?|reader(s'|'s)? (comments|views|reactions)|comments? from readers|your (comments|views|say)|have your say)\s*:?$/i,
  /^(showing|viewing|displaying)\s+\d+(\s*-\s*\d+)?\s+(of\s+\d+\s+)?comments?$/i,
  /^(all|top|newest|oldest|featured)\s+comments?(\s*\(\d+\))?$/i,
  /^comments?\s+(for|on)\s+(this|the)\s+(article|story|post|entry)\s*:?$/i,
  /^(join|view|see|show|read)\s+(the\s+)?(discussion|all\s+\d*\s*comments?|comments?)\s*(\(\d+\))?$/i,
];

export function isCommentHeading(line: string): boolean {
  const s = norm(line);
  if (s.length > 200 || s.length < 5) return false;
  return HEADING.some((r) => r.test(s));
}

/** A heading that announces zero comments is a notice, not a section. */
export function headingCount(line: string): number | null {
  const m = /(\d[\d,]*)/.exec(norm(line));
  return m ? Number(m[1].replace(/,/g, '')) : null;
}

const NOTICE = [
  /^there (are|is) (no|not any) (comments?|responses?|replies)( yet)?\.?$/i,
  /^no (comments?|responses?|replies)( yet| so far| have been (posted|made))?[.!]?$/i,
  /^(0|zero) (comments?|responses?|replies)$/i,
  /^comments? (are|is) (now )?(closed|disabled|off)\.?/i,
  /^comments? (have been|has been) (closed|disabled)/i,
  /^(be the first( one)? to (comment|respond|reply)|start the discussion|start the conversation)/i,
  /^comments? (will|may) (be )?(appear|published)/i,
  /^(comments|commenting) (is|are) not (available|enabled|open)/i,
];

export function isNoCommentNotice(line: string): boolean {
  const s = norm(line);
  return s.length < 160 && NOTICE.some((r) => r.test(s));
}

const FORM = [
  /^(leave|post|add|write|submit|make|share) (a |your |new )?(reply|comment|response|thoughts?|opinion)\b/i,
  /^(your )?e-?mail( address)? (will|is) (not|never) (be )?(published|shared|displayed)/i,
  /required fields are marked/i,
  /^(name|e-?mail|website|url|comment)\s*\*?\s*(\(required\))?:?\s*\*?$/i,
  /^(post|submit|send|publish) (comment|reply|response)$/i,
  /^cancel( reply)?$/i,
  /^(you must|please) (be )?(log(ged)? ?in|sign(ed)? ?in|register)\b.*\b(comment|post|reply)/i,
  /^(log ?in|sign ?in|register) to (comment|reply|post)/i,
  /^notify me of (follow-?up comments|new posts|new comments)/i,
  /^save my name,? email/i,
  /^this site uses akismet/i,
  /^(join|start) the (discussion|conversation)\b/i,
  /^(comment|reply) (policy|guidelines)\b/i,
  /^(please )?(keep|be) (it )?(civil|respectful)\b/i,
  /^(what do you think|what are your thoughts)\??$/i,
  /^(characters|chars) (left|remaining)/i,
  /^\d+ characters? (left|remaining)$/i,
  /^(powered by|comments powered by) disqus/i,
  /^(sort|order) by\b/i,
  /^(newest|oldest|best|top|popular) (first)?$/i,
  /^(subscribe|rss) to (comments|this thread)/i,
  /^(we|you) (welcome|encourage) (your )?(comments|discussion)/i,
  /^(allowed html|you may use these html tags)/i,
  /^by (submitting|posting|commenting)/i,
  /^(verify|previewing) your comment$/i,
  /^this is only a preview\b/i,
  /^your comment (could not be posted|has been (saved|posted|submitted)|is awaiting)/i,
  /^the letters and numbers you entered/i,
  /^as a final step before posting your comment/i,
  /^having trouble reading this image/i,
  /^(trackback url for this entry|listed below are links to (weblogs|blogs) that reference|trackbacks?|pingbacks?)\b/i,
  /^(comments? feed|subscribe to this comment'?s feed|subscribe to: post comments)/i,
  /^(you can follow any (responses|comments)|both comments and pings are)/i,
];

export function isFormLine(line: string): boolean {
  const s = norm(line);
  return s.length < 240 && FORM.some((r) => r.test(s));
}

/** Crumbs around a comment: reply/like/report buttons, vote counts, "Load more comments". */
const CRUMB = [
  /^(reply|replies|respond|quote|report|flag|share|like|dislike|recommend|permalink|link|edit|delete|hide|show|collapse|expand|reply ↓|↓|↑|▲|▼|vote up|vote down|upvote|downvote|report abuse|report comment|flag as inappropriate|mark as spam|in reply to .{1,60})\s*[(\[]?\s*\d*\s*[)\]]?$/i,
  /^(like|likes|dislike|recommend(ed)?|upvotes?|downvotes?|points?|votes?|score|thumbs up|thumbs down)\s*[:(]?\s*-?\d+\)?$/i,
  /^-?\d+\s*(likes?|dislikes?|points?|votes?|recommendations?|replies|upvotes?|▲|▼|👍|👎)?$/i,
  /^(load|show|view|see|read) (more|all|older|newer|previous|next|\d+ more)( \d+)? (comments?|replies|responses)\b.*$/i,
  /^(older|newer|previous|next) comments?\b.*$/i,
  /^(«|‹|<)?\s*(older|newer|previous|next) (entries|comments|page)\s*(»|›|>)?$/i,
  /^(log in|sign in) to reply$/i,
  /^(reply|like|share|report|flag)(\s*[·|•]\s*(reply|like|share|report|flag|\d+))+$/i,
  /^(\d+\s+)?(reply|replies|like|likes)\s*[·|•].*$/i,
  /^(your comment is awaiting moderation|this comment (has been|was) (removed|deleted))\.?$/i,
  /^(avatar|user avatar|profile picture)$/i,
  /^(says|said|wrote):?$/i,
  /^#\d+$/,
  /^rate this:?(\s+-?\d+)*$/i,
  /^(\d+\s+)?(people|others?) (like|liked) this\.?$/i,
  /^\[?(reply|quote|report)\]?( \| \[?(reply|quote|report)\]?)+$/i,
];

export function isCrumb(line: string): boolean {
  const s = norm(line);
  return s.length < 80 && CRUMB.some((r) => r.test(s));
}

const MONTH = '(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?)\\.?';
const CLOCK = '\\d{1,2}[:.]\\d{2}(:\\d{2})?\\s*([ap]\\.?m\\.?)?(\\s*[a-z]{2,4})?';
const TIME = [
  new RegExp(`^(on\\s+|posted\\s+(on\\s+)?)?((mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\\s+)?${MONTH}\\s+\\d{1,2}(st|nd|rd|th)?,?\\s+\\d{4}(,?\\s*(at|@|-|–|\\|)?\\s*${CLOCK})?$`, 'i'),
  new RegExp(`^(on\\s+)?((mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\\s+)?\\d{1,2}(st|nd|rd|th)?\\s+${MONTH},?\\s+\\d{4}(,?\\s*(at|@|-|–|\\|)?\\s*${CLOCK})?$`, 'i'),
  new RegExp(`^\\d{4}-\\d{2}-\\d{2}([t ]${CLOCK})?(z|[+-]\\d{2}:?\\d{2})?$`, 'i'),
  new RegExp(`^\\d{1,2}[/.]\\d{1,2}[/.]\\d{2,4}(,?\\s*(at|@)?\\s*${CLOCK})?$`, 'i'),
  new RegExp(`^${CLOCK}(\\s+on)?\\s+(${MONTH}\\s+\\d{1,2},?\\s+\\d{4}|\\d{1,2}[/.]\\d{1,2}[/.]\\d{2,4}|\\d{1,2}\\s+${MONTH},?\\s+\\d{4})$`, 'i'),
  /^(about |posted |updated )?(a|an|one|\d+)\s+(second|sec|minute|min|hour|hr|day|week|month|year)s?\s+ago$/i,
  /^\d+\s*(s|m|h|d|w|mo|y)\s+ago$/i,
  /^(just now|yesterday|today)(\s+(at\s+)?\d{1,2}[:.]\d{2}\s*([ap]m)?)?$/i,
  new RegExp(`^(mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\\s+${MONTH}\\s+\\d{1,2},?\\s*(\\d{4})?\\s*(@|at)?\\s*${CLOCK}$`, 'i'),
];

export function isTimeLine(line: string): boolean {
  if (line.length > 90) return false;
  const s = norm(line).replace(/^[-–|·•(]\s*|\s*[)|·•]$/g, '');
  return s.length <= 60 && TIME.some((r) => r.test(s));
}

/** "Jane says:", "Jane wrote:", "Jane on March 3, 2021 at 6:14 pm said:", "by jane (1234)". */
export function splitAuthorLine(line: string): { author: string; time: string | null } | null {
  const s = norm(line);
  if (s.length > 120) return null;
  // "Jane Doe July 31, 2012 at 4:30 pm", "Jane | 2 days ago", "July 31, 2012 at 4:30 pm | Jane"
  const words = s.split(' ');
  const timeish = /\d|\b(ago|yesterday|today|now)\b/i.test(s);
  for (let k = 1; timeish && k <= Math.min(6, words.length - 1); k++) {
    const head = words.slice(0, k).join(' ').replace(/\s*[|·•,:–-]$/, '').replace(/\s+(says|said|wrote)\.*:?$/i, '');
    const tail = words.slice(k).join(' ').replace(/^(on|at|[|·•–-])\s+/i, '').replace(/\s*(said|says|wrote)?\s*[:.]*$/i, '');
    if (isTimeLine(tail) && isNameish(head)) return { author: head, time: tail };
    const head2 = words.slice(0, words.length - k).join(' ').replace(/\s*[|·•,–-]$/, '');
    const tail2 = words.slice(words.length - k).join(' ').replace(/^(by|[|·•–-])\s+/i, '');
    if (isTimeLine(head2) && isNameish(tail2)) return { author: tail2, time: head2 };
  }
  let m = /^(.{1,60}?)\s+(on|at|[-–|·•])\s+(.{6,60}?)\s*(said|says|wrote|writes)?:?$/i.exec(s);
  if (m && isTimeLine(m[3])) return { author: m[1], time: m[3] };
  m = /^(.{1,60}?)\s*(says|said|wrote|writes|commented|replied)\s*(:|,|\.\.\.|…)?$/i.exec(s);
  if (m && !/[.!?]$/.test(m[1])) return { author: m[1].replace(/[,:]$/, ''), time: null };
  m = /^by\s+(\S.{0,50}?)(\s+\(\d+\))?(\s*\*)?(\s+on\s+(.{6,60}?))?(\s+\(#\d+\))?(\s+(journal|homepage))*$/i.exec(s);
  if (m && !/[.!?]$/.test(m[1])) return { author: m[1] + (m[2] ?? ''), time: m[5] ?? null };
  return null;
}

function isNameish(s: string): boolean {
  return s.length >= 2 && s.length <= 48 && s.split(' ').length <= 6 && !/[.!?;"“”]$/.test(s.replace(/(^|\s)\p{Lu}\.$/u, '')) && /\p{L}/u.test(s) && !/^(posted|published|updated|on|at|by|last)$/i.test(s);
}

/** A short line that could be a commenter's name or handle: no sentence punctuation, few words. */
export function isNameLike(line: string): boolean {
  const s = norm(line);
  if (s.length < 2 || s.length > 48) return false;
  if (/[.!?,;:"“”]$/.test(s) && !/(\.\.\.|(^|\s)\p{Lu}\.|(^|\s)(jr|sr|dr)\.)$/iu.test(s)) return false;
  if (/^(by|the|a|an|and|but|in|on|at|for|to|of)\s/i.test(s) && !/^by\s/i.test(s)) return false;
  if (/https?:|www\./i.test(s)) return false;
  // a numbered subheading ("2. Results", "b) Costs"), but not an initial and a surname ("M. Oduya")
  if (/^(\d+|[ivx]+|[a-z])[.)]\s/i.test(s) && !/^\p{Lu}\.\s+\p{Lu}[\p{L}'’-]+$/u.test(s)) return false;
  const words = s.split(' ');
  if (words.length > 6) return false;
  if (isTimeLine(s) || isCrumb(s) || isFormLine(s) || isCommentHeading(s) || isNoCommentNotice(s)) return false;
  return true;
}

const SOCIAL = '(facebook|twitter|x|youtube|instagram|linkedin|whatsapp|telegram|pinterest|tiktok|reddit|vk|rss|email)';
const BOILER = [
  // a header strip that ends in a run of social links ("… Total: 139,151 content Facebook Twitter Youtube")
  new RegExp(`\\b${SOCIAL}(\\s+${SOCIAL}){2,}\\s*$`, 'i'),
  /^(illustrative|file|stock|representative|representational|archive|featured|cover|main|top) (image|photo|picture|pic)\.?$/i,
  /^(image|photo|picture|video|graphic|illustration|credit|source|caption)s?\s*(credit)?\s*:/i,
  /^(photo|image|picture)s? (by|courtesy|credit|via)\b/i,
  /\((photo|image|picture|credit)s?:?\s[^)]{2,60}\)$/i,
  /^(\(?(ap|afp|reuters|getty|getty images|shutterstock|epa)( photo)?\/[^)]{0,60}\)?)$/i,
  /^(share|share this|share on|share this (article|story|post)|tweet|email|print|pin it|facebook|twitter|linkedin|reddit|whatsapp|telegram|pinterest|tumblr|vk|google\+?|flipboard|pocket|copy link|e-?mail this|print this)(\s*:)?$/i,
  /^(share|tweet|like|follow)( (this|us|on \w+))?\s*[:(]?\s*\d*\)?$/i,
  /^(related|related (posts|articles|stories|content|links|news|topics|coverage)|more (from|on|stories|in|news)\b.*|you (may|might) (also )?(like|enjoy|be interested in)|recommended( for you)?|read (more|also|next)\b.*|see also|also read|popular (posts|stories)|most (read|popular|viewed|shared)|trending( now)?|latest (news|posts|stories)|further reading|from around the web|sponsored( content| links)?|advertisement|advertising|ad|promoted( stories)?)\s*:?$/i,
  /^(sign up|subscribe)\b.{0,80}(newsletter|updates|inbox|email|alerts)/i,
  /^(get|receive) (our|the) .{0,40}(newsletter|updates|in your inbox)/i,
  /newsletter/i,
  /^(follow us|like us|find us|connect with us|join us)\b/i,
  /^(tags?|topics?|categories|category|filed under|posted in|labels?)\s*:/i,
  /^(home|news|about( us)?|contact( us)?|privacy( policy)?|terms( of (use|service))?|cookie (policy|settings)|sitemap|archives?|search|menu|skip to (main )?content|log ?in|log ?out|sign ?in|sign ?up|register|subscribe|donate|advertise|rss|feeds?|back to top|scroll (up|to top)|top|next|previous|prev|older posts|newer posts|go to top)\s*[»›>]?$/i,
  /^(«|‹|<)?\s*(previous|next) (post|article|story)\b.*$/i,
  /^(©|\(c\)|copyright\b).{0,200}$/i,
  /all rights reserved\.?$/i,
  /^(this (article|story|post|entry) was (posted|filed) in|bookmark the permalink)\b/i,
  /^(about the author|author bio|more by this author|view all posts by)\b/i,
  /^(loading|please wait)\.*$/i,
  /\|\s*permalink\s*(\|.*)?$/i,
  /^(hits|views|reads):?\s*[\d,]+$/i,
  /^(click|tap) (here|to)\b.{0,60}$/i,
  /^(watch|listen)( now| live)?:?$/i,
  /^we use cookies\b/i,
];

export function isBoilerplate(line: string): boolean {
  const s = norm(line);
  if (s.length === 0) return true;
  if (s.length > 220) return false;
  return BOILER.some((r) => r.test(s));
}

/** Words: the unit of the length cues. */
export function wordCount(s: string): number {
  const m = s.match(/[\p{L}\p{N}][\p{L}\p{N}'’_-]*/gu);
  return m ? m.length : 0;
}

/** Ends like a sentence. */
export function endsSentence(s: string): boolean {
  return /[.!?…"”’)\]]\s*$/.test(s.trim());
}
