// The review index (`output/review.html`): the edition's totals and one line per article (counts by
// status, findings, a link to its page), filters, and search by word or glossary term across articles.
import { createHash } from 'node:crypto';
import { counted } from '../util/format-count.js';
import type { Finding, TranslatedArticle } from '../model.js';
import { rowStatus } from '../review-file/review-markdown.js';
import { articleTitle } from '../segment/article-title.js';
import { escapeXml } from '../text/escape.js';
import { STATUSES, STYLE } from './review-html.js';
import { FILTER_JS } from './review-script.js';
import { jsonForScript } from './script-json.js';

/** What the index shows of an article. */
export interface ReviewSummary {
  id: string;
  /** The German title, and the English one where translated. */
  de: string;
  en: string | undefined;
  path: string;
  /** Rows by status (`machine`, `reviewed`, `approved`, `missing`, `copied`). */
  counts: Record<(typeof STATUSES)[number], number>;
  findings: number;
  /** Rows with at least one finding. */
  rowsWithFindings: number;
  /** The statuses of the rows with findings, one bit each in the order of `STATUSES` (so the index knows where a filter leaves findings shown). */
  findingStatuses: number;
  segments: number;
}

/** An article's line in the index. */
export function reviewSummary(a: TranslatedArticle, findings: readonly Finding[]): ReviewSummary {
  const title = articleTitle(a);
  const counts = { machine: 0, reviewed: 0, approved: 0, missing: 0, copied: 0 };
  const withFindings = new Set(findings.map((f) => f.segmentId));
  let findingStatuses = 0;
  for (const t of a.segments) {
    const status = rowStatus(t) as keyof typeof counts;
    if (status in counts) counts[status]++;
    if (withFindings.has(t.segment.id)) findingStatuses |= 1 << STATUSES.indexOf(status);
  }
  return {
    id: a.article.doc.id,
    de: title.de,
    en: title.en,
    path: a.article.doc.path,
    counts,
    findings: findings.length,
    rowsWithFindings: withFindings.size,
    findingStatuses,
    segments: a.segments.length,
  };
}

/** Where the index's links point: `prefix + id + suffix` for an article's page, and the search data. */
export interface IndexLinks {
  prefix: string;
  suffix: string;
  search: string;
}

/** The static index's links: the pages and the search data in `output/review/`. */
export const STATIC_INDEX_LINKS: IndexLinks = { prefix: 'review/', suffix: '.html', search: 'review/search.js' };

/**
 * The index page, built one article at a time: `entry` counts an article and gives its line of the
 * page's data (JSON, written out as it comes); `head()` (with the totals) + the entries + `tail()` is
 * the page. The list is drawn from that data by the page's script, a few hundred lines at a time as
 * the reader scrolls, so the page opens fast at any number of articles. The search data is a script
 * of its own (`search.js`), loaded without holding up the page.
 */
export class ReviewIndex {
  private readonly counts = new Map<string, number>(STATUSES.map((s) => [s, 0]));
  private articles = 0;
  private segments = 0;
  private findings = 0;
  private withFindings = 0;

  constructor(private readonly input: { title: string; links?: IndexLinks; style?: string }) {}

  /** An article's entry of the page's data, counted into the totals (call in the index's order). */
  entry(s: ReviewSummary): string {
    for (const status of STATUSES) this.counts.set(status, (this.counts.get(status) ?? 0) + s.counts[status]);
    this.segments += s.segments;
    this.findings += s.findings;
    if (s.findings > 0) this.withFindings++;
    const line = jsonForScript([
      s.id,
      s.de,
      s.en ?? '',
      s.path,
      ...STATUSES.map((st) => s.counts[st]),
      s.findings,
      s.rowsWithFindings,
      s.segments,
      s.findingStatuses,
    ]);
    return `${this.articles++ === 0 ? '' : ',\n'}${line}`;
  }

  /** Everything before the entries: the totals and the filters. */
  head(): string {
    const { input, counts, articles } = this;
    const links = input.links ?? STATIC_INDEX_LINKS;
    const hash = createHash('sha256').update(INDEX_SCRIPT).digest('base64');
    const chips = STATUSES.map(
      (s) =>
        `<label class="chip st-${s}"${counts.get(s) === 0 ? ' data-empty=""' : ''}><input type="checkbox" name="status" value="${s}" checked> ${s} <b>${counts.get(s) ?? 0}</b></label>`,
    ).join('');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}' 'self'; img-src data:">
<title>${escapeXml(input.title)} · review</title>
<style>${STYLE}${INDEX_STYLE}${input.style ?? ''}</style>
</head>
<body class="index" data-prefix="${escapeXml(links.prefix)}" data-suffix="${escapeXml(links.suffix)}">
<header class="top">
<div class="brand"><h1>${escapeXml(input.title)}</h1><p>Review · ${counted(articles, 'article')} · ${counted(this.segments, 'segment')} · ${counted(this.findings, 'finding')}</p></div>
<form class="filters" aria-label="Filters" role="search">
<fieldset><legend>Status</legend>${chips}</fieldset>
<fieldset><legend>Findings</legend><label class="chip"><input type="radio" name="findings" value="all" checked> all</label><label class="chip st-finding"><input type="radio" name="findings" value="with"> with findings <b>${this.withFindings}</b></label><label class="chip"><input type="radio" name="findings" value="without"> without</label></fieldset>
<fieldset><legend>Search</legend><input type="search" id="q" name="q" placeholder="words or a glossary term" aria-label="Search the articles' German and English" autocomplete="off"><select id="term" name="term" aria-label="Glossary term"><option value="">any term</option></select></fieldset>
<p class="keys"><kbd>/</kbd> search · <kbd>j</kbd> <kbd>k</kbd> article · <kbd>Enter</kbd> open · <kbd>n</kbd> first finding · <output id="shown">${articles} of ${articles} articles</output></p>
</form>
</header>
<p class="notice" id="notice" role="status"></p>
<main>
<table class="index-list"><colgroup><col class="c-num"><col class="c-title"><col span="6" class="c-count"></colgroup>
<thead><tr><th scope="col">#</th><th scope="col">Article</th>${STATUSES.map((s) => `<th scope="col" class="n st-${s}">${s}</th>`).join('')}<th scope="col" class="n">findings</th></tr></thead>
<tbody id="list"></tbody></table>
<p id="more" aria-hidden="true"></p>
</main>
<script type="application/json" id="articles">[
`;
  }

  /** Everything after the entries. */
  tail(): string {
    const links = this.input.links ?? STATIC_INDEX_LINKS;
    return `
]</script>
<script async src="${escapeXml(links.search)}" id="search-data"></script>
<script>${INDEX_SCRIPT}</script>
</body>
</html>
`;
  }
}

const INDEX_STYLE = `
table.index-list{width:100%;border-collapse:collapse;table-layout:fixed;background:var(--paper);border:1px solid var(--line);border-radius:10px;margin-top:1rem}
col.c-num{width:4rem}col.c-count{width:6.2rem}
table.index-list th{text-align:left;font-size:.72rem;text-transform:uppercase;letter-spacing:.08em;color:var(--muted);padding:.5rem .7rem;border-bottom:1px solid var(--line)}
table.index-list th.n,table.index-list td.n{text-align:right}
table.index-list td{padding:.45rem .7rem;border-bottom:1px solid var(--line);vertical-align:top;font-size:.9rem}
table.index-list td.t a{font:600 1rem/1.35 Georgia,"Iowan Old Style","Palatino Linotype",serif;color:var(--ink);text-decoration:none}
table.index-list td.t a:hover{text-decoration:underline}
table.index-list td.t .en-title{display:block;font-size:.85rem}
table.index-list td.t .path{display:block;color:var(--muted);font-size:.75rem}
table.index-list td.n{font-variant-numeric:tabular-nums}
td.zero{color:var(--muted);opacity:.45}
td.f-some{color:var(--finding);font-weight:700}
tr.line.current td{background-color:color-mix(in srgb,var(--current) 9%,transparent)}
tr.line.current td:first-child{box-shadow:inset 3px 0 0 var(--current)}
input[type=search],select{font:inherit;font-size:.85rem;padding:.15rem .4rem;border:1px solid var(--line);border-radius:6px;background:var(--paper);color:var(--ink)}
input[type=search]{width:16rem}select{max-width:16rem}
#more{height:1px;margin:0}
`;

/** The index's script: the list drawn in chunks, filters (shared with the article pages), search, keys, and n/N from an article page. */
const INDEX_SCRIPT = `
(function () {
  'use strict';
${FILTER_JS}
  // [id, German title, English title, path, machine, reviewed, approved, missing, copied, findings, rows with findings, segments,
  //  the statuses of the rows with findings (a bit each)]
  var data = JSON.parse(document.getElementById('articles').textContent);
  var body = document.body;
  var prefix = body.getAttribute('data-prefix');
  var suffix = body.getAttribute('data-suffix');
  var list = document.getElementById('list');
  var more = document.getElementById('more');
  var shown = document.getElementById('shown');
  var notice = document.getElementById('notice');
  var box = document.getElementById('q');
  var termSelect = document.getElementById('term');
  var CHUNK = 200;
  var visible = [];
  var drawn = 0;
  var current = -1;
  var found = null;
  var search = null;
  var query = '';
  function href(i) { return prefix + encodeURIComponent(data[i][0]) + suffix; }
  function mask(f) {
    var m = 0;
    for (var s = 0; s < STATUSES.length; s++) if (f.status.indexOf(STATUSES[s]) >= 0) m |= 1 << s;
    return m;
  }
  // Whether the article has a row the filters show; with findings: a row with findings they show.
  function passes(i, f) {
    var e = data[i];
    var any = false;
    for (var s = 0; s < STATUSES.length; s++) if (e[4 + s] > 0 && f.status.indexOf(STATUSES[s]) >= 0) any = true;
    if (!any) return false;
    if (f.findings === 'with' && (e[12] & mask(f)) === 0) return false;
    if (f.findings === 'without' && e[11] - e[10] === 0) return false;
    return found === null || found.has(i);
  }
  // Arrived from an article page's n (N): on to the next (previous) article with findings, at its first (last) one.
  var hop = /^#(next|prev)=(.*)$/.exec(location.hash);
  if (hop) {
    setForm(readFilter());
    var f0 = formFilter();
    var from = decodeURIComponent(hop[2]);
    var dir = hop[1] === 'next' ? 1 : -1;
    var at = -1;
    for (var k = 0; k < data.length; k++) if (data[k][0] === from) { at = k; break; }
    // Only to an article with a finding on a row the filters show: it lands on that row.
    for (var i = at + dir; at >= 0 && f0.findings !== 'without' && i >= 0 && i < data.length; i += dir) {
      if ((data[i][12] & mask(f0)) !== 0) { location.replace(href(i) + filterQuery(f0) + (dir > 0 ? '#first-finding' : '#last-finding')); return; }
    }
    notice.textContent = at < 0 ? 'No article ' + from + ' in this edition.' : 'No article ' + (dir > 0 ? 'after' : 'before') + ' “' + data[at][1] + '” has findings' + (filterQuery(f0) ? ' under these filters.' : '.');
    try { history.replaceState(null, '', location.pathname + location.search); } catch (e) { /* not allowed here */ }
  }
  function cell(text, cls) {
    var td = document.createElement('td');
    td.className = cls;
    td.textContent = text;
    return td;
  }
  function line(i) {
    var e = data[i];
    var tr = document.createElement('tr');
    tr.className = 'line';
    tr.setAttribute('data-id', e[0]);
    tr.appendChild(cell(String(i + 1), 'n'));
    var t = document.createElement('td');
    t.className = 't';
    var a = document.createElement('a');
    a.href = href(i) + query;
    a.lang = 'de';
    a.textContent = e[1];
    t.appendChild(a);
    if (e[2]) { var en = document.createElement('span'); en.className = 'en-title'; en.textContent = e[2]; t.appendChild(en); }
    var p = document.createElement('span');
    p.className = 'path';
    p.textContent = e[3];
    t.appendChild(p);
    tr.appendChild(t);
    for (var s = 0; s < 5; s++) tr.appendChild(cell(String(e[4 + s]), 'n' + (e[4 + s] === 0 ? ' zero' : '')));
    tr.appendChild(cell(String(e[9]), 'n ' + (e[9] === 0 ? 'zero' : 'f-some')));
    return tr;
  }
  function draw() {
    var end = Math.min(drawn + CHUNK, visible.length);
    var frag = document.createDocumentFragment();
    for (; drawn < end; drawn++) frag.appendChild(line(visible[drawn]));
    list.appendChild(frag);
  }
  function apply() {
    var f = formFilter();
    query = keepFilter();
    visible = [];
    for (var i = 0; i < data.length; i++) if (passes(i, f)) visible.push(i);
    list.replaceChildren();
    drawn = 0;
    current = -1;
    draw();
    shown.textContent = visible.length + ' of ' + data.length + ' articles';
    watch();
  }
  // More lines as the end of the list comes near.
  var observer = 'IntersectionObserver' in window ? new IntersectionObserver(function (entries) {
    if (entries.some(function (e) { return e.isIntersecting; }) && drawn < visible.length) { draw(); watch(); }
  }, { rootMargin: '1200px' }) : null;
  function watch() {
    if (!observer) { while (drawn < visible.length) draw(); return; }
    observer.unobserve(more);
    observer.observe(more);
  }
  // Search: words (each a prefix of a word of the German or the English, all of them in an article), or a glossary term.
  function decode(p) {
    var out = [];
    var n = 0;
    if (p) p.split(',').forEach(function (x, j) { n = j === 0 ? parseInt(x, 36) : n + parseInt(x, 36); out.push(n); });
    return out;
  }
  function lowerBound(words, w) {
    var lo = 0, hi = words.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (words[mid] < w) lo = mid + 1; else hi = mid; }
    return lo;
  }
  // A one-letter word is in no index (it asks nothing); a two-letter one is a whole word, but the one still being typed.
  function wordSet(w, typing) {
    if (w.length < 2) return null;
    var exact = w.length < 3 && !typing;
    var set = new Set();
    // A common word: every article but those its list names.
    for (var c = 0; c < search.common.length; c++) {
      if (exact ? search.common[c] !== w : search.common[c].indexOf(w) !== 0) continue;
      var not = new Set(decode(search.without[c]));
      for (var n = 0; n < search.articles; n++) if (!not.has(n)) set.add(n);
    }
    for (var i = lowerBound(search.words, w); i < search.words.length && search.words[i].indexOf(w) === 0; i++) {
      if (exact && search.words[i] !== w) break;
      decode(search.postings[i]).forEach(function (n) { set.add(n); });
    }
    return set;
  }
  function runSearch() {
    var text = box.value.trim().toLowerCase();
    var term = termSelect.value;
    found = null;
    if (search && text) {
      var words = text.match(/[\\p{L}\\p{N}]+/gu) || [];
      var set = null;
      var typing = !/\\s$/.test(box.value);
      words.forEach(function (w, i) {
        var s = wordSet(w, typing && i === words.length - 1);
        if (s === null) return;
        set = set === null ? s : new Set(Array.from(set).filter(function (n) { return s.has(n); }));
      });
      if (set === null && words.length > 0) set = 'all';
      // A glossary term typed as it stands (German, English or a German form) finds its articles in any inflection.
      search.terms.forEach(function (t) {
        var names = [t[0], t[1]].concat(t[3] ? t[3].split('|') : []).map(function (x) { return x.toLowerCase(); });
        if (names.indexOf(text) < 0 || set === 'all') return;
        if (set === null) set = new Set();
        decode(t[2]).forEach(function (n) { set.add(n); });
      });
      found = set === 'all' ? null : set || new Set();
    }
    if (search && term !== '') {
      var mine = new Set(decode(search.terms[Number(term)][2]));
      found = found === null ? mine : new Set(Array.from(found).filter(function (n) { return mine.has(n); }));
    }
    apply();
    shown.setAttribute('data-query', search ? box.value : '');
  }
  function ready() {
    if (search || !window.diglotSearch) return;
    var d = window.diglotSearch;
    search = {
      articles: d.articles,
      words: d.words ? d.words.split(' ') : [],
      postings: d.postings ? d.postings.split(' ') : [],
      common: d.common ? d.common.split(' ') : [],
      without: d.common ? d.without.split(' ') : [],
      terms: d.terms,
    };
    d.terms.forEach(function (t, i) {
      var o = document.createElement('option');
      o.value = String(i);
      o.textContent = t[0] + ' → ' + t[1] + ' (' + decode(t[2]).length + ')';
      termSelect.appendChild(o);
    });
    body.setAttribute('data-search', '');
    if (box.value || termSelect.value) runSearch();
  }
  var timer = 0;
  box.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(runSearch, 120); });
  termSelect.addEventListener('change', runSearch);
  document.querySelector('.filters').addEventListener('submit', function (e) { e.preventDefault(); runSearch(); });
  document.querySelectorAll('.filters input[type=checkbox], .filters input[type=radio]').forEach(function (i) { i.addEventListener('change', apply); });
  // n on the index: the first finding of the first article listed (after the current line) that shows one.
  function firstFinding() {
    var f = formFilter();
    if (f.findings === 'without') return;
    for (var k = current + 1; k < visible.length; k++) {
      var i = visible[k];
      if ((data[i][12] & mask(f)) !== 0) { location.href = href(i) + filterQuery(f) + '#first-finding'; return; }
    }
  }
  function go(i) {
    while (i >= drawn && drawn < visible.length) draw();
    var rows = list.children;
    if (i < 0 || i >= rows.length) return;
    if (current >= 0 && rows[current]) rows[current].classList.remove('current');
    current = i;
    rows[i].classList.add('current');
    rows[i].scrollIntoView({ block: 'nearest' });
  }
  document.addEventListener('keydown', function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var t = e.target;
    if (t && t.matches && t.matches('input[type=text],input[type=search],textarea,select,[contenteditable]')) {
      if (e.key === 'Escape') t.blur();
      return;
    }
    if (e.key === '/') box.focus();
    else if (e.key === 'j' || e.key === 'ArrowDown') go(current + 1);
    else if (e.key === 'k' || e.key === 'ArrowUp') go(Math.max(current - 1, 0));
    else if ((e.key === 'Enter' || e.key === 'o') && current >= 0) list.children[current].querySelector('a').click();
    else if (e.key === 'n') firstFinding();
    else return;
    e.preventDefault();
  });
  setForm(readFilter());
  apply();
  document.getElementById('search-data').addEventListener('load', ready);
  ready();
  // Ready, and after how many milliseconds since the navigation began (the tests measure it).
  document.documentElement.setAttribute('data-ready', String(Math.round(performance.now())));
})();
`;
