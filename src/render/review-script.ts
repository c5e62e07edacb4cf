// The scripts of the review pages: the filter state shared by every page (carried in the address's
// query and the browser's local storage, so it works from file://) and the static article page's script.

/**
 * Functions (to paste into a page's script) that read, show and keep the filters, and go on to the
 * previous or next article with findings through the index (`data-index` and `data-article` on
 * `<body>`): the index knows every article's findings, an article page only its own.
 */
export const FILTER_JS = `
  var STATUSES = ['machine', 'reviewed', 'approved', 'missing', 'copied'];
  var FILTER_KEY = 'diglot-review-filter';
  function readFilter() {
    var f = { findings: 'all', status: STATUSES.slice() };
    var q = new URLSearchParams(location.search);
    var saved = null;
    if (q.has('findings') || q.has('status')) saved = { findings: q.get('findings'), status: q.get('status') };
    else { try { saved = JSON.parse(localStorage.getItem(FILTER_KEY) || 'null'); } catch (e) { saved = null; } }
    if (saved) {
      if (saved.findings === 'with' || saved.findings === 'without') f.findings = saved.findings;
      if (typeof saved.status === 'string') f.status = saved.status.split(',').filter(function (s) { return STATUSES.indexOf(s) >= 0; });
    }
    return f;
  }
  function filterQuery(f) {
    var parts = [];
    if (f.findings !== 'all') parts.push('findings=' + f.findings);
    if (f.status.length !== STATUSES.length) parts.push('status=' + f.status.join(','));
    return parts.length > 0 ? '?' + parts.join('&') : '';
  }
  function formFilter() {
    var f = { findings: 'all', status: [] };
    document.querySelectorAll('input[name=status]').forEach(function (i) { if (i.checked) f.status.push(i.value); });
    var m = document.querySelector('input[name=findings]:checked');
    if (m) f.findings = m.value;
    return f;
  }
  function setForm(f) {
    document.querySelectorAll('input[name=status]').forEach(function (i) { i.checked = f.status.indexOf(i.value) >= 0; });
    var m = document.querySelector('input[name=findings][value=' + f.findings + ']');
    if (m) m.checked = true;
  }
  function keepFilter() {
    var f = formFilter();
    var q = filterQuery(f);
    try { localStorage.setItem(FILTER_KEY, JSON.stringify({ findings: f.findings, status: f.status.join(',') })); } catch (e) { /* storage off */ }
    try { history.replaceState(null, '', location.pathname + q + location.hash); } catch (e) { /* not allowed here */ }
    document.querySelectorAll('a[data-href]').forEach(function (a) { a.href = a.getAttribute('data-href') + q + (a.getAttribute('data-hash') || ''); });
    return q;
  }
  function cross(dir, replace) {
    var b = document.body;
    var to = b.getAttribute('data-index') + filterQuery(formFilter()) + '#' + (dir > 0 ? 'next=' : 'prev=') + encodeURIComponent(b.getAttribute('data-article'));
    if (replace) location.replace(to); else location.href = to;
  }
`;

/**
 * Moving through an article page's rows, static or live: `go` to a row (marked current, focused,
 * in the address; then the page's own `onCurrent(row)`), `step` to the next shown row (with
 * findings, if `wanted`), and `edge`, the first or last finding on arriving from another article.
 * Needs `rows`, `current`, `cross` and `onCurrent` of the script around it.
 */
export const ROW_NAV_JS = `
  function go(i) {
    if (current >= 0 && rows[current]) rows[current].classList.remove('current');
    current = i;
    var r = rows[i];
    r.classList.add('current');
    r.focus({ preventScroll: true });
    r.scrollIntoView({ block: 'nearest' });
    try { history.replaceState(null, '', '#' + r.id); } catch (e) { /* file:// in some browsers */ }
    onCurrent(r);
  }
  function step(dir, wanted) {
    for (var i = current + dir; i >= 0 && i < rows.length; i += dir) {
      if (!rows[i].hidden && (!wanted || rows[i].getAttribute('data-findings') !== '0')) { go(i); return true; }
    }
    return false;
  }
  // Arrived from another article (n or N): its first or last finding; none shown here, on to the next.
  function edge(dir) {
    current = dir > 0 ? -1 : rows.length;
    if (!step(dir, true)) { current = -1; cross(dir, true); }
  }
`;

/**
 * The end of an article page's script, static or live: the sticky header's height, the filters
 * from the address or local storage, the row or finding the address points at, and `data-ready`.
 * Needs `setForm`, `readFilter`, `apply`, `edge`, `go` and `rows` of the script around it.
 */
export const PAGE_START_JS = `
  var top = document.querySelector('.top');
  function stick() { document.documentElement.style.setProperty('--top', (top.getBoundingClientRect().height) + 'px'); }
  window.addEventListener('resize', stick);
  stick();
  setForm(readFilter());
  apply();
  var hash = decodeURIComponent(location.hash.slice(1));
  if (hash === 'first-finding') edge(1);
  else if (hash === 'last-finding') edge(-1);
  else if (hash) for (var k = 0; k < rows.length; k++) if (rows[k].id === hash) { go(k); break; }
  // Ready, and after how many milliseconds since the navigation began (the tests measure it).
  document.documentElement.setAttribute('data-ready', String(Math.round(performance.now())));
`;

/** The static article page's script: filters, keys (j/k within the page, n/N on across pages), the row in the address. */
export const ARTICLE_SCRIPT = `
(function () {
  'use strict';
${FILTER_JS}
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.row'));
  var sections = Array.prototype.slice.call(document.querySelectorAll('section.article'));
  var shown = document.getElementById('shown');
  var current = -1;
  function apply() {
    var statuses = {};
    document.querySelectorAll('input[name=status]').forEach(function (i) { statuses[i.value] = i.checked; });
    var mode = document.querySelector('input[name=findings]:checked').value;
    var n = 0;
    rows.forEach(function (r) {
      var has = r.getAttribute('data-findings') !== '0';
      var ok = statuses[r.getAttribute('data-status')] === true && (mode === 'all' || (mode === 'with') === has);
      r.hidden = !ok;
      if (ok) n++;
    });
    sections.forEach(function (s) { s.hidden = !s.querySelector('tr.row:not([hidden])'); });
    shown.textContent = n + ' of ' + rows.length + ' rows';
    keepFilter();
  }
  function onCurrent() {}
${ROW_NAV_JS}  document.addEventListener('keydown', function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var t = e.target;
    if (t && t.matches && t.matches('input[type=text],input[type=search],textarea,select,[contenteditable]')) return;
    if (t && t.type === 'radio' && e.key.indexOf('Arrow') === 0) return;
    if (e.key === 'j' || e.key === 'ArrowDown') step(1, false);
    else if (e.key === 'k' || e.key === 'ArrowUp') step(-1, false);
    else if (e.key === 'n') { if (!step(1, true)) cross(1); }
    else if (e.key === 'N') { if (!step(-1, true)) cross(-1); }
    else return;
    e.preventDefault();
  });
  rows.forEach(function (r, i) { r.addEventListener('click', function () { if (!window.getSelection().toString()) go(i); }); });
  document.querySelectorAll('.filters input').forEach(function (i) { i.addEventListener('change', apply); });
${PAGE_START_JS}})();
`;
