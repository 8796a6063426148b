import { scriptJson } from '../audit/report';

/** What the page needs to start; everything else comes from /api/state. */
export interface PageData {
  dir: string;
  moderator: string;
  labels: { name: string; summary: string }[];
  thresholds: Record<string, number>;
  facets: { articles: [string, number][]; authors: [string, number][] };
  /** Unusable comments.csv rows plus decision log lines. */
  problems: number;
}

/** The page's data goes in as the audit report's does (data flows audit -> review): one definition. */
export { scriptJson };

/**
 * The review page: one self-contained document (inline CSS and JS, allowed by a CSP nonce; no
 * external requests). All comment content is put into the page as text nodes, never as markup.
 */
export function renderPage(nonce: string, data: PageData): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>btl review</title>
<style nonce="${nonce}">${CSS}</style>
</head>
<body>
<a class="skiplink" href="#card">Skip to the comment</a>
<header class="top">
  <h1>btl <span>review</span></h1>
  <p class="counts" aria-live="polite"><b id="fresh">0</b> fresh labels · <b id="left">0</b> to review<span id="skipped-note"></span></p>
  <p class="who">Reviewing as <b id="moderator"></b></p>
</header>
<form class="toolbar" id="filters" aria-label="Queue order and filters">
  <fieldset class="seg" id="sort">
    <legend>Order</legend>
    <label><input type="radio" name="sort" value="uncertain" checked><span>Most uncertain</span></label>
    <label><input type="radio" name="sort" value="severe"><span>Most severe</span></label>
  </fieldset>
  <label class="field">Show
    <select name="status" id="f-status"><option value="todo">To review</option><option value="done">Decided</option><option value="all">All</option></select></label>
  <label class="field">Model flagged
    <select name="label" id="f-label"><option value="">Anything</option><option value="any">Any label</option><option value="none">Nothing</option></select></label>
  <label class="field wide">Article
    <select name="article" id="f-article"><option value="">All articles</option></select></label>
  <label class="field">Author
    <select name="author" id="f-author"><option value="">All authors</option></select></label>
</form>
<main class="layout">
  <section class="current" aria-labelledby="card-title">
    <article id="card" class="card" tabindex="-1">
      <h2 id="card-title" class="vh">Current comment</h2>
      <p class="empty" id="empty" hidden></p>
      <div id="card-body">
        <p class="meta"><span class="article" id="c-article"></span></p>
        <p class="meta small"><span id="c-author"></span><span id="c-time"></span><span id="c-pos"></span></p>
        <blockquote class="text" id="c-text"></blockquote>
        <div class="scores" id="c-scores"></div>
        <div class="decide" id="c-decide" role="group" aria-label="Your labels"></div>
        <p class="prior" id="c-prior" hidden></p>
        <div class="actions">
          <button type="button" class="primary" id="b-save">Save &amp; next <kbd>Enter</kbd></button>
          <button type="button" id="b-accept">Model is right <kbd>Y</kbd></button>
          <button type="button" id="b-none">None of these <kbd>N</kbd></button>
          <button type="button" id="b-skip">Skip <kbd>S</kbd></button>
          <button type="button" id="b-undo">Undo <kbd>U</kbd></button>
        </div>
      </div>
      <p class="status" id="status" role="status" aria-live="polite"></p>
    </article>
  </section>
  <aside class="side">
    <section class="panel">
      <h2>Queue <span class="muted" id="q-count"></span></h2>
      <ol class="queue" id="queue" aria-label="Comments in the queue"></ol>
    </section>
    <section class="panel">
      <h2>Model vs moderators</h2>
      <p class="muted small" id="st-note"></p>
      <p class="muted small">Export for training: <code id="st-export"></code></p>
      <table class="errors" id="errors">
        <thead><tr><th scope="col">Label</th><th scope="col" title="flagged, moderator said yes">Right flag</th><th scope="col" title="flagged, moderator said no">False +</th><th scope="col" title="not flagged, moderator said yes">False −</th><th scope="col" title="not flagged, moderator said no">Right clear</th></tr></thead>
        <tbody></tbody>
      </table>
    </section>
    <section class="panel keys">
      <h2>Keyboard</h2>
      <dl id="keys"></dl>
    </section>
  </aside>
</main>
<script id="btl-data" type="application/json">${scriptJson(data)}</script>
<script nonce="${nonce}">${JS}</script>
</body>
</html>
`;
}

const CSS = `
:root{--bg:#f6f7f9;--panel:#fff;--ink:#1b1f24;--muted:#5b6470;--line:#d9dde3;--focus:#1d4ed8;--accent:#1d4ed8;--ok:#15803d;--warn:#b45309;
--l0:#b91c1c;--l0bg:#fde2e2;--l1:#6d28d9;--l1bg:#ede5ff;--l2:#0f766e;--l2bg:#d5f5f0;--l3:#a16207;--l3bg:#fbefc9;
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
*{box-sizing:border-box}
body{margin:0}
h1,h2{margin:0;line-height:1.25}
h1{font-size:1.25rem;font-weight:700;letter-spacing:-.01em}
h1 span{font-weight:400;color:var(--muted)}
h2{font-size:1rem;font-weight:650;margin-bottom:.5rem}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.skiplink{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem;z-index:10}
.skiplink:focus{left:.5rem}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
button,select,input{font:inherit;color:inherit}
.top{display:flex;flex-wrap:wrap;align-items:baseline;gap:.25rem 1.5rem;padding:.75rem 1.25rem;background:var(--panel);border-bottom:1px solid var(--line)}
.top p{margin:0}
.counts b{font-variant-numeric:tabular-nums}
.who{margin-left:auto!important;color:var(--muted)}
.who b{color:var(--ink)}
.toolbar{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;padding:.6rem 1.25rem;border-bottom:1px solid var(--line);background:#fbfbfc}
.field{display:flex;flex-direction:column;font-size:.8125rem;color:var(--muted);gap:.15rem;min-width:9rem}
.field.wide{flex:1 1 14rem;max-width:26rem}
select{padding:.35rem .5rem;border:1px solid #b8bfc8;border-radius:6px;background:#fff;font-size:.9375rem;max-width:100%}
fieldset.seg{border:0;padding:0;margin:0;display:flex}
fieldset.seg legend{font-size:.8125rem;color:var(--muted);padding:0;margin-bottom:.15rem}
.seg label{position:relative}
.seg input{position:absolute;opacity:0;inset:0;margin:0;cursor:pointer}
.seg span{display:block;padding:.35rem .75rem;border:1px solid #b8bfc8;background:#fff;font-size:.9375rem;white-space:nowrap}
.seg label:first-of-type span{border-radius:6px 0 0 6px}
.seg label:last-of-type span{border-radius:0 6px 6px 0;border-left:0}
.seg input:checked+span{background:var(--accent);border-color:var(--accent);color:#fff}
.seg input:focus-visible+span{outline:3px solid var(--focus);outline-offset:2px}
.layout{display:grid;grid-template-columns:minmax(0,1fr) 22rem;gap:1.25rem;padding:1.25rem;max-width:90rem;margin:0 auto;align-items:start}
.card,.panel{background:var(--panel);border:1px solid var(--line);border-radius:10px}
.card{padding:1.25rem 1.5rem}
.card:focus{outline:none}
.card:focus-visible{outline:2px solid var(--focus);outline-offset:1px}
.meta{margin:0;color:var(--muted)}
.meta .article{color:var(--ink);font-weight:600;font-size:1.0625rem}
.meta.small span+span::before{content:" · "}
.small{font-size:.875rem}
.muted{color:var(--muted);font-weight:400}
.text{margin:1rem 0;padding:.9rem 1.1rem;border-left:4px solid var(--line);background:#fafafa;font-size:1.125rem;line-height:1.6;white-space:pre-wrap;overflow-wrap:anywhere;max-width:72ch;max-height:22rem;overflow:auto}
mark{border-radius:3px;padding:0 .1em;color:inherit}
mark.l0{background:var(--l0bg);box-shadow:inset 0 -2px var(--l0)}
mark.l1{background:var(--l1bg);box-shadow:inset 0 -2px var(--l1)}
mark.l2{background:var(--l2bg);box-shadow:inset 0 -2px var(--l2)}
mark.l3{background:var(--l3bg);box-shadow:inset 0 -2px var(--l3)}
.scores{display:grid;gap:.4rem;margin:0 0 1rem}
.score{display:grid;grid-template-columns:9rem minmax(4rem,1fr) 3.5rem 7.5rem;gap:.75rem;align-items:center;font-size:.9375rem}
.bar{position:relative;height:.6rem;background:#e8ebef;border-radius:99px}
.bar i{position:absolute;left:0;top:0;bottom:0;border-radius:99px}
.bar b{position:absolute;top:-.25rem;bottom:-.25rem;width:2px;background:var(--ink)}
.num{font-variant-numeric:tabular-nums;text-align:right}
.flag{font-size:.8125rem;color:var(--muted);white-space:nowrap}
.flag.on{color:var(--ink);font-weight:600}
.decide{display:grid;gap:.5rem;margin-bottom:1rem}
.lab{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;padding:.5rem .75rem;border:1px solid var(--line);border-radius:8px}
.lab .name{min-width:9rem;font-weight:600}
.lab .yn{display:flex}
.yn button{min-width:4.25rem;padding:.4rem .8rem;border:1px solid #b8bfc8;background:#fff;cursor:pointer}
.yn button:first-child{border-radius:6px 0 0 6px}
.yn button:last-child{border-radius:0 6px 6px 0;border-left:0}
.yn button[aria-pressed=true].yes{background:var(--l0);border-color:var(--l0);color:#fff}
.yn button[aria-pressed=true].no{background:#374151;border-color:#374151;color:#fff}
.lab .changed{font-size:.8125rem;color:var(--warn);font-weight:600}
.lab .hint{font-size:.8125rem;color:var(--muted)}
.actions{display:flex;flex-wrap:wrap;gap:.5rem}
.actions button{padding:.5rem .9rem;border:1px solid #b8bfc8;border-radius:8px;background:#fff;cursor:pointer}
.actions button:hover,.yn button:hover{border-color:var(--ink)}
.actions .primary{background:var(--accent);border-color:var(--accent);color:#fff;font-weight:600}
kbd{font:600 .75rem/1 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:.15rem .35rem;border:1px solid currentColor;border-radius:4px;opacity:.8;margin-left:.3rem}
.status{min-height:1.5em;margin:.75rem 0 0;color:var(--ok);font-size:.9375rem}
.status.err{color:var(--l0)}
.prior{font-size:.875rem;color:var(--muted);margin:-.5rem 0 1rem}
.empty{font-size:1.125rem;color:var(--muted)}
.side{display:grid;grid-template-columns:minmax(0,1fr);gap:1rem;min-width:0}
.current,.panel{min-width:0}
.panel{padding:1rem}
.queue{list-style:none;margin:0;padding:0;max-height:20rem;overflow:auto;border-top:1px solid var(--line)}
.queue li{border-bottom:1px solid var(--line)}
.queue button{display:block;width:100%;text-align:left;padding:.45rem .5rem;background:none;border:0;cursor:pointer;font-size:.875rem}
.queue button:hover{background:#f1f4f8}
.queue button[aria-current=true]{background:#e6edfb;box-shadow:inset 3px 0 var(--accent)}
.queue .snip{display:block;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.queue .qm{display:block;color:var(--muted);font-size:.75rem}
.dot{display:inline-block;width:.55rem;height:.55rem;border-radius:50%;margin-right:.3rem;vertical-align:middle}
.errors{width:100%;border-collapse:collapse;font-size:.875rem;font-variant-numeric:tabular-nums}
.errors th,.errors td{padding:.3rem .25rem;text-align:right;border-bottom:1px solid var(--line)}
.errors th:first-child,.errors td:first-child{text-align:left;white-space:nowrap}
.errors th{font-weight:600;font-size:.75rem;color:var(--muted)}
.errors td.bad{color:var(--l0);font-weight:600}
.keys dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem .75rem;margin:0;font-size:.875rem}
.keys dt{text-align:right;white-space:nowrap}
.keys dt kbd{margin:0 0 0 .2rem}
.keys dd{margin:0}
code{font:.8125rem/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:var(--ink);overflow-wrap:anywhere}
@media (max-width:900px){
  .layout{grid-template-columns:minmax(0,1fr);padding:.75rem;gap:.75rem}
  .top,.toolbar{padding:.6rem .75rem}
  .card{padding:1rem}
  .score{grid-template-columns:minmax(0,1fr) auto auto;grid-template-areas:"name num flag" "bar bar bar";gap:.15rem .75rem}
  .score>:nth-child(1){grid-area:name}.score .bar{grid-area:bar}.score .num{grid-area:num}.score .flag{grid-area:flag;text-align:right;min-width:6rem}
  .lab .name{min-width:0;flex:1 1 100%}
  .field,.field.wide{flex:1 1 40%;min-width:0;max-width:none}
  .who{margin-left:0!important}
  .text{font-size:1.0625rem}
}
@media (max-width:480px){
  .actions button{flex:1 1 45%}
  .actions .primary{flex-basis:100%}
}
`;

const JS = `
'use strict';
(function () {
  var DATA = JSON.parse(document.getElementById('btl-data').textContent);
  var LABELS = DATA.labels;
  var RESERVED = 'ynsujko/?';
  var keyFor = {};
  LABELS.forEach(function (l, i) {
    var keys = [String(i + 1)];
    var c = l.name[0].toLowerCase();
    var clash = LABELS.some(function (m, j) { return j !== i && m.name[0].toLowerCase() === c; });
    if (!clash && RESERVED.indexOf(c) < 0) keys.push(c);
    keys.forEach(function (k) { keyFor[k] = l.name; });
    l.keys = keys;
  });
  var $ = function (id) { return document.getElementById(id); };
  var el = function (tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  };
  var filters = { sort: 'uncertain', status: 'todo', label: '', article: '', author: '' };
  var list = [];
  var total = 0;
  var cur = 0;
  var draft = null;
  var history = [];

  $('moderator').textContent = DATA.moderator;
  $('st-export').textContent = 'btl review ' + DATA.dir + ' --export labels.csv';
  DATA.facets.articles.forEach(function (a) { var o = el('option', '', a[0] + ' (' + a[1] + ')'); o.value = a[0]; $('f-article').appendChild(o); });
  DATA.facets.authors.forEach(function (a) { var o = el('option', '', a[0] + ' (' + a[1] + ')'); o.value = a[0]; $('f-author').appendChild(o); });
  LABELS.forEach(function (l) { var o = el('option', '', l.name); o.value = l.name; $('f-label').insertBefore(o, $('f-label').options[2]); });

  function status(msg, err) { var s = $('status'); s.textContent = msg; s.className = 'status' + (err ? ' err' : ''); }

  function api(path, body) {
    var opts = body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
    return fetch(path, opts).then(function (r) {
      return r.json().then(function (j) { if (!r.ok) throw new Error(j.error || r.statusText); return j; });
    });
  }

  function query() {
    var p = new URLSearchParams();
    Object.keys(filters).forEach(function (k) { if (filters[k]) p.set(k, filters[k]); });
    p.set('limit', '200');
    return '/api/state?' + p.toString();
  }

  function load(afterId, advance) {
    return api(query()).then(function (s) {
      list = s.items; total = s.total;
      var i = afterId ? list.findIndex(function (it) { return it.id === afterId; }) : -1;
      if (i >= 0) cur = advance ? i + 1 : i;
      cur = Math.max(0, Math.min(cur, list.length - 1));
      showStats(s.stats, s.skipped);
      renderQueue();
      select(cur, false);
    }).catch(function (e) { status('Could not load the queue: ' + e.message, true); });
  }

  function showStats(st, skipped) {
    $('fresh').textContent = st.decided.toLocaleString('en');
    $('left').textContent = (st.comments - st.decided).toLocaleString('en');
    $('skipped-note').textContent = skipped ? ' · ' + skipped + ' skipped' : '';
    var body = $('errors').tBodies[0];
    body.textContent = '';
    LABELS.forEach(function (l, i) {
      var e = st.errors[l.name];
      var tr = el('tr');
      var th = el('th'); th.scope = 'row';
      var dot = el('span', 'dot'); dot.style.background = 'var(--l' + (i % 4) + ')';
      th.appendChild(dot); th.appendChild(document.createTextNode(l.name));
      tr.appendChild(th);
      [[e.truePositives, 0], [e.falsePositives, 1], [e.falseNegatives, 1], [e.trueNegatives, 0]].forEach(function (c) {
        var td = el('td', c[1] && c[0] ? 'bad' : '', c[0]); tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    var n = st.decided;
    var parts = LABELS.map(function (l) {
      var e = st.errors[l.name];
      var flagged = e.truePositives + e.falsePositives, pos = e.truePositives + e.falseNegatives;
      return l.name + ': precision ' + (flagged ? (e.truePositives / flagged).toFixed(2) : '–') + ', recall ' + (pos ? (e.truePositives / pos).toFixed(2) : '–');
    });
    $('st-note').textContent = n ? 'On ' + n + ' reviewed comment' + (n === 1 ? '' : 's') + '. ' + parts.join('; ') + '.' : 'No decisions yet: the model\\'s errors show here as you review.';
  }

  function renderQueue() {
    var q = $('queue');
    q.textContent = '';
    $('q-count').textContent = list.length < total ? '(first ' + list.length + ' of ' + total + ')' : '(' + total + ')';
    list.forEach(function (it, i) {
      var li = el('li');
      var b = el('button');
      b.type = 'button';
      b.tabIndex = -1;
      b.setAttribute('aria-current', i === cur ? 'true' : 'false');
      var snip = el('span', 'snip');
      it.flags.forEach(function (f) { var d = el('span', 'dot'); d.style.background = 'var(--l' + (labelIndex(f) % 4) + ')'; d.title = f; snip.appendChild(d); });
      snip.appendChild(document.createTextNode(it.text.replace(/\\s+/g, ' ').slice(0, 140)));
      b.appendChild(snip);
      b.appendChild(el('span', 'qm', [it.author || 'anonymous', it.article].filter(Boolean).join(' · ') + (it.decision ? ' · decided' : '')));
      b.addEventListener('click', function () { select(i, true); });
      li.appendChild(b);
      q.appendChild(li);
    });
  }

  function labelIndex(name) { for (var i = 0; i < LABELS.length; i++) if (LABELS[i].name === name) return i; return 0; }

  function highlight(box, text, spans) {
    box.textContent = '';
    var s = spans.slice().sort(function (a, b) { return a.start - b.start || b.weight - a.weight; });
    var pos = 0;
    s.forEach(function (sp) {
      if (sp.start < pos || sp.end > text.length) return;
      if (sp.start > pos) box.appendChild(document.createTextNode(text.slice(pos, sp.start)));
      var m = el('mark', 'l' + (labelIndex(sp.label) % 4), text.slice(sp.start, sp.end));
      m.title = sp.label + ' +' + sp.weight;
      box.appendChild(m);
      pos = sp.end;
    });
    if (pos < text.length) box.appendChild(document.createTextNode(text.slice(pos)));
  }

  function select(i, focusCard) {
    cur = i;
    var items = $('queue').querySelectorAll('button');
    items.forEach(function (b, j) { b.setAttribute('aria-current', j === i ? 'true' : 'false'); });
    if (items[i]) items[i].scrollIntoView({ block: 'nearest' });
    var it = list[i];
    $('card-body').hidden = !it;
    $('empty').hidden = !!it;
    if (!it) {
      draft = null;
      $('empty').textContent = total === 0 && filters.status === 'todo' ? 'Nothing left to review with these filters. Export the labels with: btl review ' + DATA.dir + ' --export labels.csv' : 'No comments match these filters.';
      return;
    }
    draft = {};
    LABELS.forEach(function (l) { draft[l.name] = it.decision ? it.decision.labels[l.name] : it.flags.indexOf(l.name) >= 0; });
    $('c-article').textContent = it.article || '(no article)';
    $('c-author').textContent = it.author || 'anonymous';
    $('c-time').textContent = it.time || '';
    $('c-time').hidden = !it.time;
    $('c-pos').textContent = (i + 1) + ' of ' + total;
    highlight($('c-text'), it.text, it.spans);
    var sc = $('c-scores');
    sc.textContent = '';
    LABELS.forEach(function (l, k) {
      var v = it.scores[l.name], t = DATA.thresholds[l.name];
      var row = el('div', 'score');
      row.appendChild(el('span', '', l.name));
      var bar = el('span', 'bar');
      bar.setAttribute('role', 'img');
      bar.setAttribute('aria-label', l.name + ' score ' + v.toFixed(2) + ', threshold ' + t.toFixed(2));
      var fill = el('i'); fill.style.width = (v * 100).toFixed(1) + '%'; fill.style.background = 'var(--l' + (k % 4) + ')';
      var tick = el('b'); tick.style.left = (t * 100).toFixed(1) + '%'; tick.title = 'threshold ' + t.toFixed(2);
      bar.appendChild(fill); bar.appendChild(tick);
      row.appendChild(bar);
      row.appendChild(el('span', 'num', v.toFixed(2)));
      var flagged = it.flags.indexOf(l.name) >= 0;
      row.appendChild(el('span', 'flag' + (flagged ? ' on' : ''), flagged ? 'model: flagged' : 'model: clear'));
      sc.appendChild(row);
    });
    var prior = $('c-prior');
    prior.hidden = !it.decision;
    if (it.decision) prior.textContent = 'Decided by ' + it.decision.moderator + ' at ' + new Date(it.decision.at).toLocaleString() + '. Saving again replaces it.';
    renderDraft();
    if (focusCard) $('card').focus({ preventScroll: false });
  }

  function renderDraft() {
    var box = $('c-decide');
    box.textContent = '';
    var it = list[cur];
    LABELS.forEach(function (l) {
      var row = el('div', 'lab');
      var name = el('span', 'name', l.name);
      name.title = l.summary;
      name.id = 'lab-' + l.name;
      row.appendChild(name);
      var yn = el('span', 'yn');
      yn.setAttribute('role', 'group');
      yn.setAttribute('aria-labelledby', name.id);
      [true, false].forEach(function (val) {
        var b = el('button', val ? 'yes' : 'no', val ? 'Yes' : 'No');
        b.type = 'button';
        b.setAttribute('aria-pressed', draft[l.name] === val ? 'true' : 'false');
        b.addEventListener('click', function () { draft[l.name] = val; renderDraft(); });
        yn.appendChild(b);
      });
      row.appendChild(yn);
      var hint = el('span', 'hint');
      hint.appendChild(document.createTextNode('toggle '));
      l.keys.forEach(function (k) { hint.appendChild(el('kbd', '', k.toUpperCase())); });
      row.appendChild(hint);
      var model = it.flags.indexOf(l.name) >= 0;
      if (draft[l.name] !== model) row.appendChild(el('span', 'changed', 'corrects the model'));
      box.appendChild(row);
    });
  }

  function describe(labels) {
    return LABELS.map(function (l) { return l.name + ' ' + (labels[l.name] ? 'yes' : 'no'); }).join(', ');
  }

  // Every action runs after the one before has finished, so fast typing never loses a key.
  var chain = Promise.resolve();
  function act(fn) {
    chain = chain.then(fn).catch(function (e) { status(e.message, true); });
    return chain;
  }

  function decide(labels) {
    var it = list[cur];
    if (!it) return;
    return api('/api/decide', { id: it.id, labels: labels }).then(function (r) {
      history.push({ type: 'decide', id: it.id });
      status('Saved: ' + describe(r.decision.labels) + '.');
      return load(it.id, true);
    }).catch(function (e) { status('Not saved: ' + e.message, true); });
  }

  function save() { if (draft) decide(Object.assign({}, draft)); }
  function accept() { var it = list[cur]; if (!it) return; var d = {}; LABELS.forEach(function (l) { d[l.name] = it.flags.indexOf(l.name) >= 0; }); decide(d); }
  function none() { var d = {}; LABELS.forEach(function (l) { d[l.name] = false; }); decide(d); }
  function skip() {
    var it = list[cur];
    if (!it) return;
    return api('/api/skip', { id: it.id }).then(function () {
      history.push({ type: 'skip', id: it.id });
      status('Skipped; it comes back at the end of the queue.');
      return load(it.id, true);
    }).catch(function (e) { status('Could not skip: ' + e.message, true); });
  }
  function undo() {
    var h = history.pop();
    var p = h && h.type === 'skip' ? api('/api/skip', { id: h.id, undo: true }).then(function () { return { undone: { id: h.id }, skip: true }; }) : api('/api/undo', h ? { id: h.id } : {});
    return p.then(function (r) {
      if (!r.undone) { status('Nothing to undo.'); return; }
      status(r.skip ? 'Skip undone.' : 'Undone: ' + describe(r.undone.labels) + ' is no longer recorded.');
      return load(r.undone.id, false);
    }).catch(function (e) { status('Could not undo: ' + e.message, true); });
  }
  function toggle(name) { if (!draft) return; draft[name] = !draft[name]; renderDraft(); }
  function move(d) { if (list.length) select(Math.max(0, Math.min(list.length - 1, cur + d)), false); }

  [['b-save', save], ['b-accept', accept], ['b-none', none], ['b-skip', skip], ['b-undo', undo]].forEach(function (b) {
    $(b[0]).addEventListener('click', function () { act(b[1]); });
  });
  $('filters').addEventListener('submit', function (e) { e.preventDefault(); });
  $('filters').addEventListener('change', function (e) {
    var t = e.target;
    filters[t.name] = t.value;
    act(function () { cur = 0; return load(); });
  });

  var KEYS = [
    ['Enter', 'save and go to the next comment'],
    ['Y', 'the model is right: save its flags'],
    ['N', 'none of the labels apply: save'],
  ];
  LABELS.forEach(function (l) { KEYS.push([l.keys.map(function (k) { return k.toUpperCase(); }).join(' / '), 'toggle ' + l.name]); });
  KEYS.push(['S', 'skip for now'], ['U', 'undo the last decision'], ['J / K', 'next / previous in the queue'], ['O', 'switch order (uncertain / severe)'], ['/', 'filter by article'], ['Esc', 'leave a filter field']);
  KEYS.forEach(function (k) {
    var dt = el('dt');
    k[0].split(' / ').forEach(function (x) { dt.appendChild(el('kbd', '', x)); });
    $('keys').appendChild(dt);
    $('keys').appendChild(el('dd', '', k[1]));
  });

  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    var inField = t && (t.tagName === 'SELECT' || t.tagName === 'INPUT' || t.tagName === 'TEXTAREA');
    if (inField) {
      if (e.key === 'Escape') { t.blur(); $('card').focus(); }
      if (t.type !== 'radio') return;
    }
    var k = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    if (k === 'Enter' && t && t.tagName === 'BUTTON' && t.closest('.actions,.yn')) return;
    var fn = null;
    if (keyFor[k]) fn = function () { toggle(keyFor[k]); };
    else if (k === 'Enter') fn = save;
    else if (k === 'y') fn = accept;
    else if (k === 'n') fn = none;
    else if (k === 's' || k === 'ArrowRight') fn = skip;
    else if (k === 'u') fn = undo;
    else if (k === 'j' || k === 'ArrowDown') fn = function () { move(1); };
    else if (k === 'k' || k === 'ArrowUp') fn = function () { move(-1); };
    else if (k === 'o') fn = function () {
      var next = filters.sort === 'uncertain' ? 'severe' : 'uncertain';
      document.querySelector('input[name=sort][value=' + next + ']').checked = true;
      filters.sort = next; cur = 0;
      status('Order: most ' + next + ' first.');
      return load();
    };
    else if (k === '/') { e.preventDefault(); $('f-article').focus(); return; }
    if (fn) { e.preventDefault(); act(fn); }
  });

  act(load).then(function () { $('card').focus({ preventScroll: true }); });
})();
`;
