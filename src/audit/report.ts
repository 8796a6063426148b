import { describeSkipped } from '../errors';
import { LABEL_NAMES, LABELS, type LabelName } from '../labels';
import type { CommentRow, GroupStats, Histogram, Summary } from './aggregate';

/** Colours per label, by the label's place in the registry. */
const PALETTE = ['#c0392b', '#7d3c98', '#b9770e', '#1f618d'];
const colour = (l: LabelName): string => PALETTE[LABEL_NAMES.indexOf(l) % PALETTE.length];

/** Text for HTML text and attribute values. Comment text is hostile user content: everything goes through here or textContent. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON safe inside <script type="application/json">: no "<" (so no "</script>", no "<!--"), no line separators. The review page uses it too. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const fmt = (n: number): string => n.toLocaleString('en');
const pct = (x: number): string => `${(x * 100).toFixed(x > 0 && x < 0.01 ? 2 : 1)}%`;
const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
/** A threshold as people read it (0.352, not 0.3519990592282463). */
const thr = (x: number): string => String(Math.round(x * 1000) / 1000);

function histogramSvg(label: LabelName, h: Histogram, threshold: number): string {
  const W = 320;
  const H = 150;
  const pad = { l: 36, r: 8, t: 10, b: 24 };
  const max = Math.max(1, ...h.counts);
  const bw = (W - pad.l - pad.r) / h.counts.length;
  const y = (c: number): number => pad.t + (H - pad.t - pad.b) * (1 - Math.sqrt(c / max));
  const bars = h.counts
    .map((c, i) => {
      const x = pad.l + i * bw;
      const top = y(c);
      const flagged = h.edges[i] + 1 / h.counts.length > threshold;
      return `<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${(bw - 1).toFixed(1)}" height="${(H - pad.b - top).toFixed(1)}" fill="${colour(label)}" opacity="${flagged ? 0.9 : 0.35}"><title>${h.edges[i].toFixed(2)}–${(h.edges[i] + 1 / h.counts.length).toFixed(2)}: ${fmt(c)}</title></rect>`;
    })
    .join('');
  const tx = pad.l + threshold * (W - pad.l - pad.r);
  // the threshold's caption sits on the side of its line that has room
  const right = threshold > 0.6;
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${label} score distribution">
<line x1="${pad.l}" y1="${H - pad.b}" x2="${W - pad.r}" y2="${H - pad.b}" class="axis"/>
${bars}
<line x1="${tx.toFixed(1)}" y1="${pad.t - 4}" x2="${tx.toFixed(1)}" y2="${H - pad.b}" class="thr"/><text x="${(right ? tx - 3 : tx + 3).toFixed(1)}" y="${pad.t + 4}" class="small"${right ? ' text-anchor="end"' : ''}>threshold ${thr(threshold)}</text>
<text x="${pad.l}" y="${H - 6}" class="small">0</text><text x="${W - pad.r}" y="${H - 6}" class="small" text-anchor="end">1</text>
<text x="${pad.l - 4}" y="${pad.t + 8}" class="small" text-anchor="end">${fmt(max)}</text>
</svg>`;
}

/** Horizontal bars, one per group: value(g) of max, with the label text and a caption. */
function barsSvg(groups: GroupStats[], value: (g: GroupStats) => number, max: number, caption: (g: GroupStats) => string, stacked: boolean): string {
  if (!groups.length) return '<p class="muted">Nothing flagged.</p>';
  const W = 640;
  const row = 24;
  const labelW = 250;
  const barW = W - labelW - 110;
  const H = groups.length * row + 8;
  const rows = groups
    .map((g, i) => {
      const y = 4 + i * row;
      let bar = '';
      if (stacked) {
        let x = labelW;
        for (const l of LABEL_NAMES) {
          const w = (g.byLabel[l] / Math.max(1, max)) * barW;
          if (w > 0) bar += `<rect x="${x.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${row - 8}" fill="${colour(l)}"><title>${l}: ${fmt(g.byLabel[l])}</title></rect>`;
          x += w;
        }
      } else {
        const w = (value(g) / Math.max(1e-9, max)) * barW;
        bar = `<rect x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${row - 8}" fill="#2e4057"/>`;
      }
      return `<g><text x="${labelW - 8}" y="${y + row / 2 + 4}" text-anchor="end" class="lbl">${escapeHtml(clip(g.name, 34))}<title>${escapeHtml(g.name)}</title></text>${bar}<text x="${labelW + barW + 6}" y="${y + row / 2 + 4}" class="small">${escapeHtml(caption(g))}</text></g>`;
    })
    .join('\n');
  // drawn at its own size (not stretched to the panel), so labels keep the page's text size
  return `<svg viewBox="0 0 ${W} ${H}" role="img" style="max-width:${W}px">${rows}</svg>`;
}

/**
 * The audit report: one self-contained HTML file (inline CSS, JS and SVG; nothing fetched) with
 * the totals, score distributions, flagged share per article, top authors by flags, the bad
 * inputs, and a sortable, filterable table of the most strongly flagged comments with the words
 * that drove each flag highlighted. All user text is escaped or set through textContent.
 */
export function renderReport(s: Summary, top: CommentRow[]): string {
  const th = s.model.thresholds;
  const articles = s.perArticle.groups.filter((g) => g.flagged > 0).slice(0, 15);
  const authors = s.perAuthor.groups.filter((g) => g.flagged > 0).slice(0, 15);
  const data = top.map((r) => ({
    s: r.source,
    n: r.line,
    a: r.article,
    u: r.author,
    t: r.time,
    x: r.text,
    p: LABEL_NAMES.map((l) => Math.round(r.scores[l] * 1e4) / 1e4),
    f: r.flags.map((l) => LABEL_NAMES.indexOf(l)),
    h: r.spans.filter((sp) => r.flags.includes(sp.label) && sp.weight > 0).map((sp) => [sp.start, sp.end, LABEL_NAMES.indexOf(sp.label)]),
  }));
  const cards = [
    ['comments', fmt(s.counts.comments)],
    ['flagged', `${fmt(s.counts.flagged)} <small>(${pct(s.flaggedShare.any)})</small>`],
    ...LABELS.map((l) => [l.name, `<span style="color:${colour(l.name)}">${fmt(s.counts.byLabel[l.name])}</span> <small>(${pct(s.flaggedShare[l.name])})</small>`]),
    ['pages', `${fmt(s.counts.pages)}${s.counts.pagesWithoutComments ? ` <small>(${fmt(s.counts.pagesWithoutComments)} without comments)</small>` : ''}`],
    ['skipped', `<span class="${s.counts.skipped ? 'warn' : ''}">${fmt(s.counts.skipped)}</span>`],
  ]
    .map(([k, v]) => `<div class="card"><div class="k">${escapeHtml(k)}</div><div class="v">${v}</div></div>`)
    .join('');
  const bad = s.bad.listed.map((b) => `<li><code>${escapeHtml(describeSkipped(b))}</code> <span class="muted">${escapeHtml(b.code)}</span></li>`).join('\n');
  const legend = LABELS.map((l) => `<span class="chip" style="--c:${colour(l.name)}">${escapeHtml(l.name)}</span> ${escapeHtml(l.summary)}`).join('<br>');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>btl audit: ${fmt(s.counts.flagged)} of ${fmt(s.counts.comments)} comments flagged</title>
<style>
:root{--fg:#1d2430;--muted:#6b7280;--bg:#f6f7f9;--card:#fff;--line:#e3e6ea}
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{background:#1f2a3a;color:#fff;padding:18px 28px}header h1{margin:0;font-size:20px}header p{margin:4px 0 0;color:#c5cbd3;font-size:13px}
main{max-width:1200px;margin:0 auto;padding:20px 28px 60px}
h2{font-size:17px;margin:28px 0 10px}.muted{color:var(--muted)}.warn{color:#b03a2e}
.cards{display:flex;flex-wrap:wrap;gap:12px}.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:130px}
.card .k{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}.card .v{font-size:22px;font-weight:600}.card small{font-size:13px;font-weight:400;color:var(--muted)}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(330px,1fr));gap:16px}.panel{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 16px}
.panel h3{margin:0 0 6px;font-size:14px}svg{width:100%;height:auto;font-family:inherit}svg .small{font-size:10px;fill:var(--muted)}svg .lbl{font-size:12px;fill:var(--fg)}
svg .axis{stroke:#9aa3ad}svg .thr{stroke:#1d2430;stroke-dasharray:3 3}
.chip{display:inline-block;padding:0 8px;border-radius:10px;background:var(--c);color:#fff;font-size:12px;font-weight:600}
.controls{display:flex;flex-wrap:wrap;gap:10px;align-items:center;margin:8px 0 12px}.controls input,.controls select{font:inherit;padding:5px 8px;border:1px solid var(--line);border-radius:6px;background:#fff}
.controls input[type=search]{min-width:260px}
table{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--line)}th,td{padding:8px 10px;border-bottom:1px solid var(--line);vertical-align:top;text-align:left}
th{background:#eef1f4;font-size:13px;cursor:pointer;user-select:none;white-space:nowrap;position:sticky;top:0}th.sorted::after{content:" ▾"}th.sorted.asc::after{content:" ▴"}
td.num{font-variant-numeric:tabular-nums;white-space:nowrap}td.text{max-width:560px;white-space:pre-wrap;word-break:break-word}
td .meta{font-size:12px;color:var(--muted);word-break:break-all}
mark{background:none;color:inherit;border-bottom:2px solid var(--c);box-shadow:inset 0 -0.5em 0 color-mix(in srgb,var(--c) 22%,transparent);padding:0 1px}
.bar{display:inline-block;height:8px;border-radius:4px;background:var(--c);vertical-align:middle;margin-right:6px}
details{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:8px 14px}details li{margin:2px 0}
footer{margin-top:30px;font-size:12px;color:var(--muted)}
</style></head><body>
<header><h1>Comment audit: ${fmt(s.counts.flagged)} of ${fmt(s.counts.comments)} comments flagged</h1>
<p>model ${escapeHtml(s.model.version)} · thresholds ${LABEL_NAMES.map((l) => `${escapeHtml(l)} ${thr(th[l])}`).join(', ')} · ${escapeHtml(s.finishedAt.slice(0, 19).replace('T', ' '))} UTC${s.complete ? '' : ' · <strong>incomplete: the audit was stopped before the end</strong>'}</p></header>
<main>
<section class="cards">${cards}</section>
<p class="muted">${legend}</p>
<h2>Score distribution per label</h2>
<div class="grid">${LABEL_NAMES.map((l) => `<div class="panel"><h3><span class="chip" style="--c:${colour(l)}">${escapeHtml(l)}</span> probability, all ${fmt(s.counts.comments)} comments</h3>${histogramSvg(l, s.histograms[l], th[l])}</div>`).join('')}</div>
<h2>Articles with the most flagged comments</h2>
<div class="panel">${barsSvg(articles, (g) => g.share, 1, (g) => `${pct(g.share)} of ${fmt(g.comments)}`, false)}
<p class="muted">Bar: flagged share of the article's comments.${s.perArticle.truncated ? ' Only the articles with the most flagged comments are tracked.' : ''}</p></div>
<h2>Authors with the most flagged comments</h2>
<div class="panel">${barsSvg(authors, (g) => g.flagged, Math.max(1, ...authors.map((g) => LABEL_NAMES.reduce((a, l) => a + g.byLabel[l], 0))), (g) => `${fmt(g.flagged)} of ${fmt(g.comments)}`, true)}
<p class="muted">Bar: flags per label (a comment can carry both).</p></div>
<h2>Flagged comments</h2>
<p class="muted">${data.length < s.counts.flagged ? `The ${fmt(data.length)} most strongly flagged of ${fmt(s.counts.flagged)}; all are in comments.csv.` : `All ${fmt(data.length)} flagged comments.`} Highlighted: the words that drove each flag. Click a column to sort.</p>
<div class="controls">
<input type="search" id="q" placeholder="Filter by text, article or author…" aria-label="filter">
<select id="label" aria-label="label"><option value="-1">any label</option>${LABEL_NAMES.map((l, i) => `<option value="${i}">${escapeHtml(l)}</option>`).join('')}</select>
<label>min score <input type="number" id="min" min="0" max="1" step="0.05" value="0" style="width:80px"></label>
<span id="count" class="muted"></span>
</div>
<table id="t"><thead><tr>${LABEL_NAMES.map((l, i) => `<th data-k="p${i}">${escapeHtml(l)}</th>`).join('')}<th data-k="x">comment</th><th data-k="a">article</th><th data-k="u">author</th><th data-k="t">time</th></tr></thead><tbody></tbody></table>
<h2>Bad pages and rows</h2>
${s.bad.total ? `<details${s.bad.total <= 20 ? ' open' : ''}><summary>${fmt(s.bad.total)} skipped${s.bad.total > s.bad.listed.length ? ` (first ${fmt(s.bad.listed.length)} listed)` : ''}</summary><ul>${bad}</ul></details>` : '<p class="muted">None: every page and row was read.</p>'}
<footer>Made by btl audit from ${s.inputs.map((i) => escapeHtml(i)).join(', ')}. Scoring: ${escapeHtml(s.model.scoring)}. Started ${escapeHtml(s.startedAt)}.</footer>
</main>
<script type="application/json" id="data">${scriptJson({ labels: LABEL_NAMES, colours: LABEL_NAMES.map(colour), rows: data })}</script>
<script>
(function(){
var D=JSON.parse(document.getElementById('data').textContent),rows=D.rows,tb=document.querySelector('#t tbody');
var q=document.getElementById('q'),lab=document.getElementById('label'),min=document.getElementById('min'),cnt=document.getElementById('count');
var sortKey='p0',asc=false;
function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;if(text!=null)e.textContent=text;return e;}
function highlighted(r){
  var td=el('td','text'),spans=r.h.slice().sort(function(a,b){return a[0]-b[0];}),at=0;
  spans.forEach(function(s){if(s[0]<at)return;td.appendChild(document.createTextNode(r.x.slice(at,s[0])));
    var m=el('mark',null,r.x.slice(s[0],s[1]));m.style.setProperty('--c',D.colours[s[2]]);m.title=D.labels[s[2]];td.appendChild(m);at=s[1];});
  td.appendChild(document.createTextNode(r.x.slice(at)));return td;}
function render(){
  var text=q.value.toLowerCase(),l=+lab.value,m=+min.value||0;
  var list=rows.filter(function(r){
    if(l>=0&&r.f.indexOf(l)<0)return false;
    var best=l>=0?r.p[l]:Math.max.apply(null,r.f.map(function(i){return r.p[i];}));if(best<m)return false;
    return !text||(r.x+' '+r.a+' '+r.u).toLowerCase().indexOf(text)>=0;});
  var k=sortKey,get=k[0]==='p'?function(r){return r.p[+k.slice(1)];}:function(r){return String(r[k]).toLowerCase();};
  list.sort(function(a,b){var x=get(a),y=get(b);return (x<y?-1:x>y?1:0)*(asc?1:-1);});
  var frag=document.createDocumentFragment();
  list.slice(0,2000).forEach(function(r){
    var tr=el('tr');
    D.labels.forEach(function(_,i){var td=el('td','num'),b=el('span','bar');b.style.width=Math.round(r.p[i]*40)+'px';
      b.style.setProperty('--c',r.f.indexOf(i)>=0?D.colours[i]:'#c9ced6');td.appendChild(b);td.appendChild(document.createTextNode(r.p[i].toFixed(2)));tr.appendChild(td);});
    tr.appendChild(highlighted(r));
    var a=el('td');a.appendChild(el('div',null,r.a));a.appendChild(el('div','meta',r.s+':'+r.n));tr.appendChild(a);
    tr.appendChild(el('td',null,r.u));tr.appendChild(el('td','meta',r.t));frag.appendChild(tr);});
  tb.textContent='';tb.appendChild(frag);cnt.textContent=list.length+' of '+rows.length+' shown';
  document.querySelectorAll('th').forEach(function(th){th.className=th.dataset.k===sortKey?('sorted'+(asc?' asc':'')):'';});}
document.querySelectorAll('th').forEach(function(th){th.addEventListener('click',function(){
  if(sortKey===th.dataset.k)asc=!asc;else{sortKey=th.dataset.k;asc=sortKey[0]!=='p';}render();});});
[q,lab,min].forEach(function(e){e.addEventListener('input',render);});
render();
})();
</script>
</body></html>
`;
}
