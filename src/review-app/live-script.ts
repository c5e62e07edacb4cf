// The review app page's own script and style: filters, keys, the in-place editor with live checks,
// approve and revert, progress and the glossary panel. Plain inline script, no build step.
import { FILTER_JS, PAGE_START_JS, ROW_NAV_JS } from '../render/review-script.js';
import { COPY_NOT_EDITABLE } from '../translate/copied-english.js';

/** Extra CSS for the live page (after the static page's). */
export const LIVE_STYLE = `
select{font:inherit;font-size:.82rem;padding:.1rem .3rem;border:1px solid var(--line);border-radius:6px;background:var(--paper);color:var(--ink);max-width:16rem}
.acts{display:flex;flex-wrap:wrap;gap:.25rem;margin-top:.35rem}
button.act,.editor button{font:600 .72rem system-ui,sans-serif;padding:.15rem .5rem;border:1px solid var(--line);border-radius:5px;background:var(--paper);color:var(--accent);cursor:pointer}
button.act:hover,.editor button:hover{border-color:var(--accent)}
button.accept{margin-left:.4rem;font-size:.8em}
tr.row.editing td.en > .text,tr.row.editing td.en > .findings,tr.row.editing td.en > .fuzzy{display:none}
.editor textarea{width:100%;min-height:6rem;font:15px/1.5 ui-monospace,monospace;padding:.5rem;border:2px solid var(--accent);border-radius:6px;background:var(--paper);color:var(--ink);resize:vertical}
.editor .hint{margin:.2rem 0;color:var(--muted);font:12px system-ui,sans-serif}
.editor .bar{display:flex;gap:.4rem;align-items:center;margin-top:.3rem}
.editor .msg{margin:.4rem 0 0;color:var(--finding);font:13px/1.45 system-ui,sans-serif}
.editor .msg:empty,.editor .now:empty{display:none}
.editor .now{margin:.3rem 0 0;padding:.3rem .5rem;border-left:3px solid var(--machine);background:var(--machine-bg);font-size:.9rem}
.editor .checks{margin:.3rem 0 0;padding:0;list-style:none;font:13px/1.45 system-ui,sans-serif}
.editor .checks li{color:var(--finding)}.editor .checks li.ok{color:var(--approved)}
.progress{margin:.35rem 0 0;font-size:.8rem;color:var(--muted);display:flex;gap:.6rem;align-items:center}
.progress progress{width:10rem;height:.55rem;accent-color:var(--approved)}
aside.gloss{position:fixed;right:1rem;bottom:1rem;width:22rem;max-height:40vh;overflow:auto;z-index:6;padding:.6rem .8rem;background:var(--paper);border:1px solid var(--line);border-radius:10px;box-shadow:0 4px 18px rgba(0,0,0,.12);font-size:.85rem}
aside.gloss h2{margin:0 0 .3rem;font-size:.75rem;text-transform:uppercase;letter-spacing:.08em;color:var(--muted)}
aside.gloss dl{margin:0}aside.gloss dt{font-weight:700;margin-top:.4rem}aside.gloss dd{margin:0 0 0 .8rem}
aside.gloss .forms{color:var(--muted)}aside.gloss .note{font-style:italic}
.quiet{color:var(--muted);margin:0}
#toast{position:fixed;left:50%;bottom:1rem;transform:translateX(-50%);z-index:7;padding:.4rem .9rem;border-radius:8px;background:var(--ink);color:var(--paper);font-size:.85rem}
#toast:empty{display:none}#toast.error{background:var(--missing)}
main{padding-right:24rem}
@media (max-width:1100px){main{padding-right:1.5rem}aside.gloss{position:static;width:auto;margin:0 1.5rem 2rem;max-height:none}}
`;

/** The live page's script: replaces the static page's (same filters and keys, and the live parts). */
export const LIVE_SCRIPT = `
(function () {
  'use strict';
${FILTER_JS}
  var data = JSON.parse(document.getElementById('review-data').textContent);
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.row'));
  var sections = Array.prototype.slice.call(document.querySelectorAll('section.article'));
  var shown = document.getElementById('shown');
  var toast = document.getElementById('toast');
  var glossBody = document.getElementById('gloss-body');
  var current = -1;
  var editing = null;
  var toastTimer = 0;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function say(text, error) {
    toast.textContent = text;
    toast.className = error ? 'error' : '';
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { toast.textContent = ''; }, error ? 8000 : 3000);
  }
  function apply() {
    var statuses = {};
    document.querySelectorAll('input[name=status]').forEach(function (i) { statuses[i.value] = i.checked; });
    var mode = document.querySelector('input[name=findings]:checked').value;
    var term = document.querySelector('select[name=term]').value;
    var n = 0;
    rows.forEach(function (r) {
      var has = r.getAttribute('data-findings') !== '0';
      var ok = statuses[r.getAttribute('data-status')] === true && (mode === 'all' || (mode === 'with') === has) &&
        (!term || (' ' + r.getAttribute('data-terms') + ' ').indexOf(' ' + term + ' ') >= 0);
      if (editing && editing.row === r) ok = true;
      r.hidden = !ok;
      if (ok) n++;
    });
    sections.forEach(function (s) { s.hidden = !s.querySelector('tr.row:not([hidden])'); });
    shown.textContent = n + ' of ' + rows.length + ' rows';
    keepFilter();
    counts();
  }
  function counts() {
    var by = {};
    var withFindings = 0;
    rows.forEach(function (r) {
      var s = r.getAttribute('data-status');
      by[s] = (by[s] || 0) + 1;
      if (r.getAttribute('data-findings') !== '0') withFindings++;
    });
    document.querySelectorAll('input[name=status]').forEach(function (i) {
      var b = i.parentNode.querySelector('b');
      if (b) b.textContent = String(by[i.value] || 0);
    });
    var f = document.querySelector('input[name=findings][value=with]').parentNode.querySelector('b');
    if (f) f.textContent = String(withFindings);
    sections.forEach(function (s) {
      var mine = s.querySelectorAll('tr.row');
      var done = 0;
      var approved = 0;
      mine.forEach(function (r) {
        var st = r.getAttribute('data-status');
        if (st === 'approved') approved++;
        if (st === 'reviewed' || st === 'approved' || st === 'copied') done++;
      });
      var p = s.querySelector('.progress');
      if (!p) return;
      var bar = el('progress');
      bar.max = mine.length || 1;
      bar.value = done;
      p.replaceChildren(bar, el('span', '', done + ' of ' + mine.length + ' reviewed · ' + approved + ' approved'));
    });
  }
  function onCurrent(r) { terms(r); }
${ROW_NAV_JS}  function terms(r) {
    var state = data.rows[r.id];
    var list = state ? state.terms : [];
    if (list.length === 0) { glossBody.replaceChildren(el('p', 'quiet', 'No glossary term in this pair.')); return; }
    var dl = el('dl');
    list.forEach(function (i) {
      var t = data.terms[i];
      dl.appendChild(el('dt', '', t.german + ' → ' + t.english));
      if (t.forms.length > 0) dl.appendChild(el('dd', 'forms', 'forms: ' + t.forms.map(function (f) { return f.de + ' → ' + f.en; }).join(', ')));
      if (t.note) dl.appendChild(el('dd', 'note', t.note));
    });
    glossBody.replaceChildren(dl);
  }
  function decorate(r) {
    // Each finding can be accepted as it stands (a false positive): it then leaves the page,
    // --strict and the report until the English changes.
    r.querySelectorAll('.findings li').forEach(function (li) {
      var rule = li.querySelector('.rule');
      if (!rule || li.querySelector('button[data-act=accept]')) return;
      var b = el('button', 'accept', 'Accept');
      b.type = 'button';
      b.setAttribute('data-act', 'accept');
      b.setAttribute('data-rule', rule.textContent);
      b.title = 'Accept this ' + rule.textContent + ' finding for this English (recorded in the memory with your name)';
      li.appendChild(b);
    });
  }
  function api(path, body) {
    return fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-diglot-token': data.token },
      body: JSON.stringify(body),
    }).then(function (res) {
      return res.json().then(function (json) { return { status: res.status, body: json }; }, function () {
        return { status: res.status, body: { message: 'the server answered ' + res.status } };
      });
    }, function () { return { status: 0, body: { message: 'the review server is not running (was it stopped?); nothing was saved' } }; });
  }
  function update(r, fresh) {
    if (!fresh) return;
    var t = document.createElement('template');
    t.innerHTML = fresh.html;
    var tr = t.content.querySelector('tr');
    if (!tr) return;
    var isCurrent = r.classList.contains('current');
    Array.prototype.slice.call(r.attributes).forEach(function (a) { if (a.name !== 'hidden') r.removeAttribute(a.name); });
    Array.prototype.slice.call(tr.attributes).forEach(function (a) { r.setAttribute(a.name, a.value); });
    if (isCurrent) r.classList.add('current');
    r.replaceChildren.apply(r, Array.prototype.slice.call(tr.childNodes));
    data.rows[r.id] = fresh.state;
    decorate(r);
    if (isCurrent) terms(r);
  }
  function currentRow() {
    var r = rows[current];
    if (!r || r.hidden) { say('Select a pair first (j / k)', true); return null; }
    return r;
  }
  function edit(r) {
    if (editing) { editing.ta.focus(); return; }
    var state = data.rows[r.id];
    if (!state || !state.editable) { say('This pair ${COPY_NOT_EDITABLE}', true); return; }
    var box = el('div', 'editor');
    var ta = el('textarea');
    ta.value = state.target === null ? '' : state.target;
    ta.setAttribute('aria-label', 'English');
    ta.spellcheck = true;
    var hint = el('p', 'hint', state.markdown ? 'Inline Markdown: *emphasis*, **strong**, [text](link), \`code\`' : 'Plain text');
    var checks = el('ul', 'checks');
    checks.setAttribute('aria-live', 'polite');
    var now = el('p', 'now');
    var msg = el('p', 'msg');
    msg.setAttribute('role', 'alert');
    var bar = el('div', 'bar');
    var save = el('button', '', 'Save (Ctrl+Enter)');
    save.type = 'button';
    save.setAttribute('data-act', 'save');
    var cancel = el('button', '', 'Cancel (Esc)');
    cancel.type = 'button';
    cancel.setAttribute('data-act', 'cancel');
    bar.append(save, cancel);
    box.append(ta, hint, checks, now, msg, bar);
    r.querySelector('td.en').appendChild(box);
    r.classList.add('editing');
    // Tall enough for the whole paragraph: the reviewer sees what they change.
    ta.style.height = Math.min(ta.scrollHeight + 8, window.innerHeight * 0.6) + 'px';
    editing = { row: r, ta: ta, checks: checks, now: now, msg: msg, box: box, timer: 0, seq: 0, fresh: null, busy: false };
    ta.addEventListener('input', function () {
      var e = editing;
      clearTimeout(e.timer);
      e.timer = setTimeout(function () { check(e); }, 300);
    });
    ta.focus();
    check(editing);
  }
  function check(e) {
    var seq = ++e.seq;
    api('/api/check', { row: e.row.id, target: e.ta.value }).then(function (res) {
      if (editing !== e || seq !== e.seq) return;
      var found = res.body.findings || [];
      if (res.status !== 200) { e.checks.replaceChildren(el('li', '', res.body.message)); return; }
      e.checks.replaceChildren.apply(e.checks, found.length === 0 ? [el('li', 'ok', '✓ no findings')] : found.map(function (f) {
        var li = el('li', f.severity);
        li.append(el('span', 'rule', f.rule), ' ' + f.message);
        return li;
      }));
      e.row.setAttribute('data-checked', String(seq));
    });
  }
  function close(e) {
    clearTimeout(e.timer);
    e.box.remove();
    e.row.classList.remove('editing');
    if (editing === e) editing = null;
    if (e.fresh) update(e.row, e.fresh);
    e.row.focus({ preventScroll: true });
  }
  function save(e) {
    if (e.busy) return;
    e.busy = true;
    e.msg.textContent = '';
    var row = e.row;
    var body = { row: row.id, version: row.getAttribute('data-version'), german: row.getAttribute('data-german'), target: e.ta.value };
    api('/api/save', body).then(function (res) {
      e.busy = false;
      if (res.status === 200) {
        e.fresh = res.body.row;
        close(e);
        apply();
        say(res.body.changed ? 'Saved to the memory' : 'No change');
        return;
      }
      e.msg.textContent = res.body.message;
      if (res.body.row) {
        // The pair changed elsewhere: show its English now; saving again replaces it with the text in the editor.
        e.fresh = res.body.row;
        e.row.setAttribute('data-version', res.body.row.state.version);
        e.now.textContent = 'Now in the memory: ' + (res.body.row.state.target === null ? '(no English)' : res.body.row.state.target);
      }
    });
  }
  function act(r, kind, rule) {
    if (editing) { say('Save or cancel the edit first', true); return; }
    var state = data.rows[r.id];
    var body = { row: r.id, version: r.getAttribute('data-version'), german: r.getAttribute('data-german') };
    if (kind === 'approve') body.approved = r.getAttribute('data-status') !== 'approved';
    if (kind === 'accept') body.rule = rule;
    if (kind === 'revert' && (!state || state.history.length === 0)) { say('No earlier English to go back to', true); return; }
    api('/api/' + kind, body).then(function (res) {
      if (res.body.row) update(r, res.body.row);
      apply();
      if (res.status === 200) say(kind === 'revert' ? 'Reverted to the previous English' : kind === 'accept' ? 'Accepted: ' + rule : body.approved ? 'Approved' : 'Approval withdrawn');
      else say(res.body.message, true);
    });
  }
  document.addEventListener('keydown', function (e) {
    if (editing) {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { save(editing); e.preventDefault(); }
      else if (e.key === 'Escape') { close(editing); e.preventDefault(); }
      return;
    }
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var t = e.target;
    if (t && t.matches && t.matches('input[type=text],input[type=search],textarea,select,[contenteditable]')) return;
    if (t && t.type === 'radio' && e.key.indexOf('Arrow') === 0) return;
    var r;
    if (e.key === 'j' || e.key === 'ArrowDown') step(1, false);
    else if (e.key === 'k' || e.key === 'ArrowUp') step(-1, false);
    else if (e.key === 'n') { if (!step(1, true)) cross(1); }
    else if (e.key === 'N') { if (!step(-1, true)) cross(-1); }
    else if (e.key === 'e') { if ((r = currentRow())) edit(r); }
    else if (e.key === 'a') { if ((r = currentRow())) act(r, 'approve'); }
    else return;
    e.preventDefault();
  });
  document.addEventListener('click', function (e) {
    var b = e.target.closest && e.target.closest('button[data-act]');
    if (!b) return;
    var r = b.closest('tr.row');
    var kind = b.getAttribute('data-act');
    if (kind === 'save' && editing) save(editing);
    else if (kind === 'cancel' && editing) close(editing);
    else if (kind === 'edit' && r) { go(rows.indexOf(r)); edit(r); }
    else if ((kind === 'approve' || kind === 'revert') && r) { go(rows.indexOf(r)); act(r, kind); }
    else if (kind === 'accept' && r) { go(rows.indexOf(r)); act(r, kind, b.getAttribute('data-rule')); }
    e.stopPropagation();
  });
  rows.forEach(function (r, i) {
    r.addEventListener('click', function (e) {
      if (editing && editing.row === r) return;
      if (!window.getSelection().toString()) go(i);
    });
    decorate(r);
  });
  document.querySelectorAll('.filters input, .filters select').forEach(function (i) { i.addEventListener('change', apply); });
${PAGE_START_JS}})();
`;
