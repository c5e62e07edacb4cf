import { createHash } from 'node:crypto';
import { articleTitle } from '../segment/article-title.js';
import { counted } from '../util/format-count.js';
import { englishPattern } from '../glossary/english-term.js';
import type { SegmentTerms, TermMatch, TermMatcher } from '../glossary/match-terms.js';
import type { Finding, TranslatedArticle, TranslatedSegment } from '../model.js';
import type { FuzzyMatch } from '../review-file/fuzzy-match.js';
import { groupBy } from '../util/group-by.js';
import { escapeXml } from '../text/escape.js';
import { inlineXhtml, segmentXhtml } from './inline-xhtml.js';
import { rowStatus, statusLabel } from '../review-file/review-markdown.js';
import { ARTICLE_SCRIPT as SCRIPT } from './review-script.js';
import type { ContextBlock, SegmentPlace } from './segment-places.js';
import { asRead, asReadAt } from '../text/prose.js';

/** What an article's review page needs besides the article. */
export interface ReviewPageOptions {
  /** The edition's title (plain text). */
  title: string;
  /** BCP 47 tag of the English, e.g. `en-US`. */
  targetLang: string;
  /** The glossary's terms, compiled once by the caller (the build's checks use the same). */
  matchTerms: TermMatcher;
  /** Where an article page's links point: the index and the other articles' pages (the static files' by default). */
  links?: ReviewLinks;
  /** The live review app's additions (`diglot review serve`); absent for the static page. */
  live?: LiveHooks;
}

/** Addresses as an article page links them. */
export interface ReviewLinks {
  /** The index page. */
  index: string;
  /** Another article's page. */
  article: (id: string) => string;
}

/** The static pages' links: `output/review/<id>.html` beside each other, the index `output/review.html` one folder up. */
export const STATIC_LINKS: ReviewLinks = { index: '../review.html', article: (id) => `${encodeURIComponent(id)}.html` };

/** The articles before and after an article, as its page links them. */
export interface ArticleNav {
  prev?: { id: string; title: string };
  next?: { id: string; title: string };
  /** The article's place in the edition (0-based). */
  position?: number;
}

/** What the live review app adds to the page; everything else is the static page's. */
export interface LiveHooks {
  /** The page's script, in place of the static page's; the CSP admits it by hash and lets it call the server. */
  script: string;
  /** More CSS, after the page's. */
  style: string;
  /** More controls in the filter bar (HTML, escaped by the caller). */
  controls: string;
  /** The keyboard help in the filter bar (HTML). */
  keys: string;
  /** HTML after the article (the glossary panel). */
  aside: string;
  /** A row's extra `data-*` attributes (names without `data-`; values are escaped here) and the HTML of its buttons. */
  row: (t: TranslatedSegment, docId: string) => { data: Record<string, string>; actions: string };
}

/** The statuses a row can have, in the order the filters list them. */
export const STATUSES = ['machine', 'reviewed', 'approved', 'missing', 'copied'] as const;

/**
 * An article's review page (`output/review/<id>.html`): one self-contained page (inline CSS and
 * script, no network, works from `file://`) with the article as a table, German left and English
 * right, one row per segment. Glossary terms are marked in both languages, findings and fuzzy
 * matches on their row; filters by status and findings and keyboard navigation (j/k, arrows, n for
 * the next finding, across pages through the index) come from a small script. Every text is
 * escaped, and a Content-Security-Policy admits only that script (by its hash): even a `<script>`
 * that slipped through would not run. The filters chosen carry over to the other pages (in the
 * address's query and the browser's local storage).
 */
export class ReviewPage {
  constructor(private readonly input: ReviewPageOptions) {}

  /** The whole page of one article; the arguments as `section` takes them, and the articles around it. */
  page(
    a: TranslatedArticle,
    findings: readonly Finding[],
    terms: SegmentTerms,
    fuzzy?: ReadonlyMap<string, FuzzyMatch>,
    structure?: { places: ReadonlyMap<string, SegmentPlace>; context: readonly ContextBlock[] },
    nav: ArticleNav = {},
  ): string {
    return `${this.head(a, findings, nav)}${this.section(a, findings, terms, fuzzy, structure)}${this.tail()}`;
  }

  /**
   * One article's section; `findings` are that article's, `fuzzy` its matches by segment id,
   * `structure` where each segment sits (list, table, quote, note) and the code and HTML between them.
   */
  section(
    a: TranslatedArticle,
    findings: readonly Finding[],
    terms: SegmentTerms,
    fuzzy?: ReadonlyMap<string, FuzzyMatch>,
    structure?: { places: ReadonlyMap<string, SegmentPlace>; context: readonly ContextBlock[] },
  ): string {
    const title = articleTitle(a);
    const doc = a.article.doc;
    const findingsOf = groupBy(findings, (f) => f.segmentId);
    const rows = a.segments.map((t, i) => {
      const mine = findingsOf.get(t.segment.id) ?? [];
      const row = renderRow(t, i, doc.id, mine, terms, fuzzy?.get(t.segment.id), structure?.places.get(t.segment.id), this.input);
      return [row, ...(structure?.context ?? []).filter((c) => c.after === i).map(contextRow)].join('\n');
    });
    const before = (structure?.context ?? []).filter((c) => c.after < 0).map(contextRow);
    const meta = [doc.path, doc.meta.date, doc.meta.author, counted(a.segments.length, 'segment')]
      .filter((x): x is string => Boolean(x))
      .map(escapeXml)
      .join(' · ');
    return `<section class="article" id="${attr(`a-${doc.id}`)}">
<header class="article-head"${this.input.live ? ` data-article="${escapeXml(doc.id)}"` : ''}><h2><span lang="de">${escapeXml(title.de)}</span>${title.en === undefined ? '' : `<span class="en-title" lang="${escapeXml(this.input.targetLang)}">${escapeXml(title.en)}</span>`}</h2><p class="meta">${meta}</p>${this.input.live ? '<p class="progress" aria-live="polite"></p>' : ''}</header>
<table class="pairs"><colgroup><col class="c-meta"><col class="c-de"><col class="c-en"></colgroup>
<thead><tr><th scope="col"><span class="sr">Segment</span></th><th scope="col" lang="de">Deutsch</th><th scope="col">English</th></tr></thead>
<tbody>
${[...before, ...rows].join('\n')}
</tbody></table>
</section>`;
  }

  /** Everything before the article's section: the bar with the article's counts, filters and links. */
  private head(a: TranslatedArticle, findings: readonly Finding[], nav: ArticleNav): string {
    const { input } = this;
    const links = input.links ?? STATIC_LINKS;
    const counts = new Map<string, number>(STATUSES.map((s) => [s, 0]));
    for (const t of a.segments) counts.set(rowStatus(t), (counts.get(rowStatus(t)) ?? 0) + 1);
    const withFindings = new Set(findings.map((f) => f.segmentId)).size;
    const total = a.segments.length;
    const chips = STATUSES.map(
      (s) =>
        `<label class="chip st-${s}"${counts.get(s) === 0 ? ' data-empty=""' : ''}><input type="checkbox" name="status" value="${s}" checked> ${s} <b>${counts.get(s) ?? 0}</b></label>`,
    ).join('');
    const { live } = input;
    const script = live?.script ?? SCRIPT;
    const hash = createHash('sha256').update(script).digest('base64');
    const title = articleTitle(a);
    const id = a.article.doc.id;
    const link = (rel: string, to: { id: string; title: string } | undefined, label: string, key: string): string =>
      to
        ? `<a rel="${rel}" href="${escapeXml(links.article(to.id))}" data-href="${escapeXml(links.article(to.id))}" title="${escapeXml(to.title)}">${label}</a>`
        : `<span class="off" aria-disabled="true">${label}</span>${key}`;
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'; img-src data:${live ? "; connect-src 'self'" : ''}">
<title>${escapeXml(title.de)} · ${escapeXml(input.title)} · review</title>
<style>${STYLE}${live?.style ?? ''}</style>
</head>
<body data-article="${escapeXml(id)}" data-index="${escapeXml(links.index)}">
<header class="top">
<div class="brand"><h1>${escapeXml(input.title)}</h1><p>Review · ${nav.position === undefined ? '' : `article ${nav.position + 1} · `}${total} segment${total === 1 ? '' : 's'} · ${findings.length} finding${findings.length === 1 ? '' : 's'}</p>
<nav class="pages" aria-label="Articles"><a rel="index" href="${escapeXml(links.index)}" data-href="${escapeXml(links.index)}">☰ all articles</a> ${link('prev', nav.prev, '‹ previous', '')} ${link('next', nav.next, 'next ›', '')}</nav></div>
<form class="filters" aria-label="Filters">
<fieldset><legend>Status</legend>${chips}</fieldset>
<fieldset><legend>Findings</legend><label class="chip"><input type="radio" name="findings" value="all" checked> all</label><label class="chip st-finding"><input type="radio" name="findings" value="with"> with findings <b>${withFindings}</b></label><label class="chip"><input type="radio" name="findings" value="without"> without</label></fieldset>
${live?.controls ?? ''}<p class="keys">${live?.keys ?? KEYS} · <output id="shown">${total} of ${total} rows</output></p>
</form>
</header>
<main>
`;
  }

  /**
   * One row alone, as `section` renders it: what the live app sends back after a change.
   * `index` is the segment's place in its article (0-based).
   */
  row(t: TranslatedSegment, index: number, docId: string, findings: readonly Finding[], terms: SegmentTerms, place?: SegmentPlace): string {
    return renderRow(t, index, docId, findings, terms, undefined, place, this.input);
  }

  /** Everything after the section. */
  private tail(): string {
    return `
</main>${this.input.live ? `\n${this.input.live.aside}` : ''}
<script>${this.input.live?.script ?? SCRIPT}</script>
</body>
</html>
`;
  }
}

/** The keyboard help of the static pages. */
const KEYS =
  '<kbd>j</kbd> <kbd>k</kbd> or <kbd>↓</kbd> <kbd>↑</kbd> next / previous row · <kbd>n</kbd> <kbd>N</kbd> next / previous finding, on to the next article';

function renderRow(
  t: TranslatedSegment,
  index: number,
  docId: string,
  findings: readonly Finding[],
  terms: SegmentTerms,
  fuzzy: FuzzyMatch | undefined,
  place: SegmentPlace | undefined,
  { matchTerms, targetLang, live }: ReviewPageOptions,
): string {
  const { segment } = t;
  const status = rowStatus(t);
  const extra = live?.row(t, docId);
  const data = extra
    ? Object.entries(extra.data)
        .map(([k, v]) => ` data-${k}="${escapeXml(v)}"`)
        .join('')
    : '';
  // A list item shows its marker, and everything nested is indented, as in the article.
  const marker = place?.marker ? `<span class="marker">${escapeXml(place.marker)}</span> ` : '';
  const nested = place && place.depth > 0 ? ` d${Math.min(place.depth, 6)}` : '';
  const deHtml = segmentXhtml(segment);
  const dePlain = decode(deHtml);
  // The checks' matches, where the page shows the text they were found in; else (raw HTML as written, note labels,
  // soft hyphens the checks read past) found here.
  const matches =
    dePlain === segment.plain && asRead(dePlain) === dePlain ? (terms.get(segment.id) ?? []) : termsAsWritten(dePlain, matchTerms);
  const deMarked = highlight(
    deHtml,
    matches.map((m) => ({ start: m.start, end: m.end, title: `${m.term.german} → ${m.form.en}` })),
  );
  let enCell: string;
  if (t.target === undefined) {
    enCell = '<p class="text missing">no translation yet</p>';
  } else {
    const enHtml = inlineXhtml(t.target, segment);
    const enPlain = decode(enHtml);
    const ranges: Range[] = [];
    // Each English form is looked for once, however often its German occurs.
    const wanted = new Map<string, string>();
    for (const m of matches)
      for (const en of [m.form.en, m.term.english]) if (!wanted.has(en)) wanted.set(en, `${m.term.english} ← ${m.term.german}`);
    for (const [en, title] of wanted) {
      const re = new RegExp(englishPattern(en).source, 'gu');
      for (const found of enPlain.matchAll(re)) ranges.push({ start: found.index, end: found.index + found[0].length, title });
    }
    enCell = `<p class="text">${marker}${highlight(enHtml, ranges)}</p>`;
  }
  const kindClass = segment.kind === 'heading' ? ` h h${segment.depth ?? 2}` : segment.kind === 'title' ? ' h h1' : '';
  const findingList =
    findings.length === 0
      ? ''
      : `<ul class="findings">${findings.map((f) => `<li class="${f.severity}"><span class="rule">${escapeXml(f.rule)}</span> ${escapeXml(f.message)}</li>`).join('')}</ul>`;
  const fuzzyBox = fuzzy
    ? `<details class="fuzzy" open><summary>≈ ${Math.floor(fuzzy.similarity * 100)}% match: the memory's translation of an earlier German text (${escapeXml(fuzzy.status)}, ${escapeXml(fuzzy.origin)})</summary><p class="diff" lang="de">${fuzzy.diff
        .map((p, i, all) =>
          p.op === 'same'
            ? escapeXml(p.text)
            : p.op === 'removed'
              ? `<del>${escapeXml(p.text)}</del>${all[i + 1]?.op === 'added' ? ' ' : ''}`
              : `<ins>${escapeXml(p.text)}</ins>`,
        )
        .join(
          '',
        )}</p><p class="old" lang="${escapeXml(targetLang)}">${inlineXhtml(fuzzy.target, { markdown: segment.markdown })}</p></details>`
    : '';
  const id = `${docId}/${segment.id}`;
  return `<tr class="row st-${status}${findings.length > 0 ? ' has-findings' : ''}" id="${attr(id)}" tabindex="-1" data-status="${status}" data-findings="${findings.length}" data-segment="${escapeXml(segment.id)}"${data}>
<td class="meta"><div class="m"><a class="num" href="#${attr(id)}" title="segment ${escapeXml(segment.id)}">${index + 1}</a><span class="badge st-${status}">${escapeXml(statusLabel(t))}</span><span class="kind">${escapeXml(segment.kind)}${segment.depth ? ` ${segment.depth}` : ''}</span><span class="kind">line ${segment.line}</span>${place?.path ? `<span class="place">${escapeXml(place.path)}</span>` : ''}${findings.length > 0 ? `<span class="warn" title="${findings.length} finding${findings.length === 1 ? '' : 's'}">⚠ ${findings.length}</span>` : ''}${extra?.actions ?? ''}</div></td>
<td class="de${kindClass}${nested}" lang="de"><p class="text">${marker}${deMarked}</p></td>
<td class="en${kindClass}${nested}" lang="${escapeXml(targetLang)}">${enCell}${findingList}${fuzzyBox}</td>
</tr>`;
}

/** Code or raw HTML between two pairs: shown as it is, once, across both columns; not translated. */
function contextRow(block: ContextBlock): string {
  const label = block.kind === 'code' ? `code${block.lang ? ` ${block.lang}` : ''}, not translated` : 'HTML, not translated';
  const meta = `<td class="meta"><span class="kind">${escapeXml(label)}</span></td>`;
  return `<tr class="context">${meta}<td colspan="2"><pre>${escapeXml(block.text)}</pre></td></tr>`;
}

interface Range {
  start: number;
  end: number;
  title: string;
}

/** An attribute value from an id: escaped, white space replaced (ids may not contain it). */
/**
 * The terms of a text as the page shows it, found in it as read (composed, past soft hyphens, as the
 * checks find them) and placed where they stand in it as written.
 */
function termsAsWritten(text: string, matchTerms: TermMatcher): TermMatch[] {
  if (asRead(text) === text) return matchTerms(text);
  const { read, from } = asReadAt(text);
  return matchTerms(read).map((m) => ({ ...m, start: from[m.start] ?? text.length, end: from[m.end] ?? text.length }));
}

function attr(text: string): string {
  return escapeXml(text.replace(/\s/g, '_'));
}

/** The text of an escaped fragment: tags removed, the entities `escapeXml` writes decoded. */
function decode(fragment: string): string {
  return fragment
    .split(/(<[^>]*>)/)
    .filter((_, i) => i % 2 === 0)
    .map(unescapeXml)
    .join('');
}

function unescapeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name] ?? '');
}

/**
 * Wraps text ranges of an escaped inline fragment (offsets into its decoded text) in `<mark>`s.
 * A range that crosses a tag is closed before it and reopened after, so the result stays
 * well-formed. Overlapping ranges keep the first (longest at the same start).
 */
function highlight(fragment: string, ranges: readonly Range[]): string {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Range[] = [];
  for (const r of sorted) if (r.end > r.start && (kept.length === 0 || r.start >= (kept[kept.length - 1] as Range).end)) kept.push(r);
  if (kept.length === 0) return fragment;
  let pos = 0;
  let k = 0;
  let open: Range | undefined;
  const out: string[] = [];
  const openTag = (r: Range): string => `<mark class="term" title="${escapeXml(r.title)}">`;
  fragment.split(/(<[^>]*>)/).forEach((part, i) => {
    if (i % 2 === 1) {
      out.push(open ? `</mark>${part}${openTag(open)}` : part);
      return;
    }
    const text = unescapeXml(part);
    let chunk = '';
    for (const ch of text) {
      if (open && pos === open.end) {
        out.push(escapeXml(chunk), '</mark>');
        chunk = '';
        open = undefined;
        k++;
      }
      const next = kept[k];
      if (!open && next && pos === next.start) {
        out.push(escapeXml(chunk), openTag(next));
        chunk = '';
        open = next;
      }
      chunk += ch;
      pos += ch.length;
    }
    out.push(escapeXml(chunk));
  });
  if (open) out.push('</mark>');
  return out.join('').replace(/<mark class="term" title="[^"]*"><\/mark>/g, '');
}

/** The pages' style: the article pages' and the index's (`review-index.ts` adds its own). */
export const STYLE = `
:root{--bg:#f6f4ef;--paper:#fffdf8;--ink:#1f2328;--muted:#6b6f76;--line:#e4dfd3;--accent:#2f5d8a;
--machine:#b26b00;--machine-bg:#fff3dc;--reviewed:#2f5d8a;--reviewed-bg:#e6eef7;--approved:#2d7a46;--approved-bg:#e3f3e8;
--missing:#b3261e;--missing-bg:#fbe6e4;--copied:#6b6f76;--copied-bg:#eeeeee;--term:#fff0b3;--term-line:#d8a800;--finding:#b3261e;--current:#2f5d8a}
@media (prefers-color-scheme:dark){:root{--bg:#16181c;--paper:#1e2126;--ink:#e6e6e6;--muted:#9aa0a8;--line:#30343b;--accent:#8ab4e8;
--machine:#f0b45a;--machine-bg:#3a2e16;--reviewed:#8ab4e8;--reviewed-bg:#1f2e40;--approved:#7fcf98;--approved-bg:#1c3324;
--missing:#f28b82;--missing-bg:#3d1f1d;--copied:#9aa0a8;--copied-bg:#2a2d33;--term:#4a3f12;--term-line:#c9a227;--finding:#f28b82;--current:#8ab4e8}}
*{box-sizing:border-box}
html{scroll-padding-top:9rem}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.top{position:sticky;top:0;z-index:5;display:flex;flex-wrap:wrap;gap:.5rem 2rem;align-items:center;padding:.7rem 1.5rem;background:var(--paper);border-bottom:1px solid var(--line);box-shadow:0 1px 6px rgba(0,0,0,.06)}
.brand h1{margin:0;font-size:1.15rem;letter-spacing:.01em}
.brand p{margin:.1rem 0 0;color:var(--muted);font-size:.85rem}
.filters{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;align-items:center;margin:0}
fieldset{border:0;margin:0;padding:0;display:flex;gap:.3rem;align-items:center;flex-wrap:wrap}
legend{float:left;margin-right:.4rem;color:var(--muted);font-size:.8rem;text-transform:uppercase;letter-spacing:.06em}
.chip{display:inline-flex;align-items:center;gap:.3rem;padding:.15rem .55rem;border:1px solid var(--line);border-radius:999px;font-size:.82rem;cursor:pointer;user-select:none;background:var(--paper)}
.chip b{font-weight:600;color:var(--muted)}
.chip[data-empty]{opacity:.5}
.chip input{margin:0;accent-color:var(--accent)}
.chip.st-machine{border-color:var(--machine)}.chip.st-reviewed{border-color:var(--reviewed)}.chip.st-approved{border-color:var(--approved)}
.chip.st-missing{border-color:var(--missing)}.chip.st-finding{border-color:var(--finding)}
.keys{margin:0;color:var(--muted);font-size:.8rem}
kbd{font:600 .75rem ui-monospace,monospace;padding:.05rem .35rem;border:1px solid var(--line);border-bottom-width:2px;border-radius:4px;background:var(--bg);color:var(--ink)}
output{margin-left:.4rem;font-weight:600;color:var(--ink)}
.pages{margin:.25rem 0 0;display:flex;gap:.9rem;font-size:.85rem}
.pages a{color:var(--accent);text-decoration:none}.pages a:hover{text-decoration:underline}.pages .off{color:var(--muted);opacity:.6}
.notice{max-width:1400px;margin:1rem auto 0;padding:.5rem 1rem;border:1px solid var(--line);border-radius:8px;background:var(--paper);color:var(--muted)}
.notice:empty{display:none}
main{max-width:1400px;margin:0 auto;padding:.5rem 1.5rem 4rem}
.article{margin:1.5rem 0 2.5rem;background:var(--paper);border:1px solid var(--line);border-radius:10px;overflow:clip}
.article-head{padding:1rem 1.2rem .6rem;border-bottom:1px solid var(--line)}
.article-head h2{margin:0;font:600 1.15rem/1.35 Georgia,"Iowan Old Style","Palatino Linotype",serif;display:grid;gap:.2rem}
.en-title{font-weight:400;font-style:italic;color:var(--muted)}
.meta{margin:.35rem 0 0;color:var(--muted);font-size:.8rem}
table.pairs{width:100%;border-collapse:collapse;table-layout:fixed}
col.c-meta{width:10rem}
thead th{position:sticky;top:var(--top,0);text-align:left;font-size:.72rem;text-transform:uppercase;letter-spacing:.08em;color:var(--muted);padding:.5rem .9rem;background:var(--paper);border-bottom:1px solid var(--line)}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
tr.row td{vertical-align:top;padding:.7rem .9rem;border-bottom:1px solid var(--line)}
tr.row td.d1{padding-left:2.1rem}tr.row td.d2{padding-left:3.3rem}tr.row td.d3{padding-left:4.5rem}tr.row td.d4,tr.row td.d5,tr.row td.d6{padding-left:5.7rem}
.marker{color:var(--muted);font-variant-numeric:tabular-nums}.place{display:block;margin-top:.2rem}
tr.context td{padding:.4rem .9rem;border-bottom:1px solid var(--line);font-size:.75rem;color:var(--muted);vertical-align:top}
tr.context pre{margin:0;white-space:pre-wrap;font-size:.8rem;color:inherit}
tr.row:last-child td{border-bottom:0}
tr.row td.meta{border-left:4px solid transparent;font-size:.75rem;color:var(--muted)}
.m{display:flex;flex-direction:column;gap:.15rem;align-items:flex-start}
.badge{margin:.15rem 0}
tr.st-machine td.meta{border-left-color:var(--machine)}tr.st-reviewed td.meta{border-left-color:var(--reviewed)}
tr.st-approved td.meta{border-left-color:var(--approved)}tr.st-missing td.meta{border-left-color:var(--missing)}tr.st-copied td.meta{border-left-color:var(--copied)}
.num{font:600 .85rem ui-monospace,monospace;color:var(--muted);text-decoration:none}
.badge{padding:.05rem .45rem;border-radius:4px;font-weight:600;font-size:.72rem;white-space:nowrap}
.badge.st-machine{color:var(--machine);background:var(--machine-bg)}.badge.st-reviewed{color:var(--reviewed);background:var(--reviewed-bg)}
.badge.st-approved{color:var(--approved);background:var(--approved-bg)}.badge.st-missing{color:var(--missing);background:var(--missing-bg)}
.badge.st-copied{color:var(--copied);background:var(--copied-bg)}
.warn{color:var(--finding);font-weight:700}
td.de,td.en{font:16px/1.6 Georgia,"Iowan Old Style","Palatino Linotype",serif;overflow-wrap:anywhere}
td.de{border-right:1px solid var(--line)}
.text{margin:0}
td.h .text{font-weight:700}td.h1 .text{font-size:1.25rem}td.h2 .text{font-size:1.12rem}
.missing{color:var(--missing);font-style:italic}
td.h .missing{font-size:1rem;font-weight:400}
tr.has-findings td.en{background:linear-gradient(90deg,var(--missing-bg),transparent 70%)}
.findings{margin:.5rem 0 0;padding:0;list-style:none;font:13px/1.45 system-ui,sans-serif}
.findings li{padding:.15rem 0 .15rem 1.3rem;position:relative;color:var(--finding)}
.findings li::before{content:"⚠";position:absolute;left:0}
.findings li.warning{color:var(--machine)}
.rule{font-weight:700;font-family:ui-monospace,monospace;font-size:.8rem}
mark.term{background:var(--term);color:inherit;border-bottom:2px solid var(--term-line);border-radius:2px;padding:0 .08em}
.fuzzy{margin-top:.6rem;padding:.4rem .7rem;border:1px dashed var(--line);border-radius:6px;font-size:.9rem;background:var(--bg)}
.fuzzy summary{cursor:pointer;font:600 12px system-ui,sans-serif;color:var(--muted)}
.fuzzy p{margin:.35rem 0}
del{background:var(--missing-bg);color:var(--missing)}ins{background:var(--approved-bg);color:var(--approved);text-decoration:none}
tr.row{scroll-margin-top:9rem}
tr.row:focus{outline:none}
tr.row.current td{background-color:color-mix(in srgb,var(--current) 9%,transparent)}
tr.row.current td.meta{border-left-color:var(--current);box-shadow:inset 3px 0 0 var(--current)}
tr.row[hidden],section[hidden]{display:none}
a{color:var(--accent)}
@media (max-width:800px){col.c-meta{width:5rem}.top{position:static}}
@media print{.top{display:none}}
`;
