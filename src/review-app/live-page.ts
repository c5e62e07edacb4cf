// The review app's pages: the static index, and each article's static page with the live hooks filled
// in (buttons, term filter, glossary panel, the page's state as JSON), and single rows for the answers to changes.
import { segmentTerms, termSet } from '../glossary/match-terms.js';
import { termForms, type GlossaryTerm } from '../glossary/glossary.js';
import type { MemoryEntry } from '../memory/entry.js';
import type { Segment, SegmentedDocument, TranslatedSegment } from '../model.js';
import { checkArticle } from '../qa/run-checks.js';
import { ReviewPage, type LiveHooks } from '../render/review-html.js';
import { ReviewIndex, reviewSummary } from '../render/review-index.js';
import { SearchIndex } from '../render/review-search.js';
import { jsonForScript } from '../render/script-json.js';
import { escapeXml } from '../text/escape.js';
import { germanTitle } from '../segment/article-title.js';
import { needsTranslation } from '../translate/needs-translation.js';
import { targetForSegment } from '../segment/target-format.js';
import { termText } from '../text/prose.js';
import { allArticles, entryOf, findPair, germanOf, rowId, type ReviewData } from './load-review-data.js';
import { LIVE_SCRIPT, LIVE_STYLE } from './live-script.js';

/** What the page's script knows of a pair besides its row: the editable text, its version and history, its terms. */
export interface RowState {
  /** The memory entry's `updated` time; `''` without an entry. */
  version: string;
  /** The English as stored (inline Markdown or plain text); `null` when missing. */
  target: string | null;
  markdown: boolean;
  /** False for a pair copied from the German (no words to translate). */
  editable: boolean;
  /** Earlier English, oldest first. */
  history: Array<{ target: string; origin: string; status: string; updated: string }>;
  /** Indices into the page's `terms`. */
  terms: number[];
}

/** Where the live pages are: the index at `/`, an article's page at `/a/<id>`, the search data at `/search.js`. */
export const LIVE_LINKS = { index: '/', article: (id: string): string => `/a/${encodeURIComponent(id)}` };

/** The live index: the static index's, counted from the memory now, linking to the live article pages. */
export function renderLiveIndex(data: ReviewData): string {
  const index = new ReviewIndex({ title: data.project.config.title, links: { prefix: '/a/', suffix: '', search: '/search.js' } });
  const entries = allArticles(data).map((a) => index.entry(reviewSummary(a.translated, a.findings)));
  return `${index.head()}${entries.join('')}${index.tail()}`;
}

/** The live index's search data (`/search.js`). */
export function renderLiveSearch(data: ReviewData): string {
  const search = new SearchIndex();
  for (const a of allArticles(data)) search.add(a.translated, termSet(a.terms));
  return search.script();
}

/** An article's live page (`undefined`: no such article); `token` goes into it for the script's requests. */
export function renderLivePage(data: ReviewData, token: string, id: string): string | undefined {
  const { articles } = data.project;
  const at = articles.findIndex((a) => a.doc.id === id);
  if (at < 0) return undefined;
  const a = data.article(at);
  const termIndex = new Map(data.project.glossary.terms.map((t, i) => [t, i]));
  const states: Record<string, RowState> = {};
  for (const t of a.translated.segments) states[rowId(t.segment.docId, t.segment.id)] = rowState(data, t, termIndex);
  const used = new Set(Object.values(states).flatMap((s) => s.terms));
  const terms = data.project.glossary.terms.map((t, i) => (used.has(i) ? termView(t) : null));
  const page = livePage(data, termIndex, {
    controls: controls(data, used),
    aside: `<aside class="gloss" aria-label="Glossary terms of the current pair"><h2>Terms of this pair</h2><div id="gloss-body"><p class="quiet">Select a pair (<kbd>j</kbd> <kbd>k</kbd>) to see its glossary terms.</p></div></aside>
<div id="toast" role="status" aria-live="polite"></div>
<script type="application/json" id="review-data">${jsonForScript({ token, rows: states, terms })}</script>`,
  });
  const around = (b: SegmentedDocument | undefined): { id: string; title: string } | undefined =>
    b ? { id: b.doc.id, title: germanTitle(b) } : undefined;
  const prev = around(articles[at - 1]);
  const next = around(articles[at + 1]);
  return page.page(a.translated, a.findings, a.terms, a.fuzzy, a.structure, {
    ...(prev ? { prev } : {}),
    ...(next ? { next } : {}),
    position: at,
  });
}

/** One row as the page shows it now, with its state: what the server sends after a change or a refusal. */
export function renderLiveRow(data: ReviewData, row: string): { html: string; state: RowState } | undefined {
  const pair = findPair(data, row);
  if (!pair) return undefined;
  const { article, index } = pair;
  const { translated, structure } = data.article(pair.at);
  const t = translated.segments[index] as TranslatedSegment;
  const terms = segmentTerms([t], data.matchTerms);
  const findings = checkArticle({ article, segments: [t] }, terms);
  const termIndex = new Map(data.project.glossary.terms.map((term, i) => [term, i]));
  const place = structure.places.get(t.segment.id);
  const html = livePage(data, termIndex, { controls: '', aside: '' }).row(t, index, article.doc.id, findings, terms, place);
  return { html, state: rowState(data, t, termIndex) };
}

function livePage(data: ReviewData, termIndex: Map<GlossaryTerm, number>, parts: Pick<LiveHooks, 'controls' | 'aside'>): ReviewPage {
  const { config } = data.project;
  return new ReviewPage({
    title: config.title,
    targetLang: config.targetLang,
    matchTerms: data.matchTerms,
    links: LIVE_LINKS,
    live: {
      script: LIVE_SCRIPT,
      style: LIVE_STYLE,
      keys: '<kbd>j</kbd> <kbd>k</kbd> row · <kbd>n</kbd> <kbd>N</kbd> finding, across articles · <kbd>e</kbd> edit · <kbd>a</kbd> approve · <kbd>Ctrl</kbd>+<kbd>Enter</kbd> save · <kbd>Esc</kbd> cancel',
      ...parts,
      row: (t, docId) => ({
        data: {
          doc: docId,
          version: t.updated ?? '',
          // Which German the page shows (a title's row id stays the same when its German changes).
          german: germanOf(t.segment),
          terms: termsOf(data, t.segment, termIndex).join(' '),
        },
        actions: actionButtons(data, t),
      }),
    },
  });
}

/** The buttons in a row's first cell: what the row allows. */
function actionButtons(data: ReviewData, t: TranslatedSegment): string {
  if (t.origin === 'copy' || !needsTranslation(t.segment)) return '';
  const entry = entryOf(data, t.segment.key);
  const buttons = [
    '<button type="button" class="act" data-act="edit" title="Edit the English (e)">Edit</button>',
    entry
      ? `<button type="button" class="act" data-act="approve" title="${t.status === 'approved' ? 'Withdraw the approval (a)' : 'Approve (a)'}">${t.status === 'approved' ? 'Unapprove' : 'Approve'}</button>`
      : '',
    entry?.history && entry.history.length > 0
      ? `<button type="button" class="act" data-act="revert" title="Go back to the previous English: ${escapeXml(clip((entry.history[entry.history.length - 1] as { target: string }).target))}">Revert</button>`
      : '',
  ];
  return `<span class="acts">${buttons.join('')}</span>`;
}

function rowState(data: ReviewData, t: TranslatedSegment, termIndex: Map<GlossaryTerm, number>): RowState {
  const entry: MemoryEntry | undefined = entryOf(data, t.segment.key);
  return {
    version: entry?.updated ?? '',
    target: t.target ?? null,
    markdown: t.segment.markdown,
    editable: t.origin !== 'copy' && needsTranslation(t.segment),
    history: (entry?.history ?? []).map((h) => ({
      target: targetForSegment({ target: h.target, markdown: entry?.markdown }, t.segment),
      origin: h.origin,
      status: h.status,
      updated: h.updated,
    })),
    terms: termsOf(data, t.segment, termIndex),
  };
}

/** The glossary terms found in a pair's German, by their place in the glossary. */
function termsOf(data: ReviewData, segment: Segment, termIndex: Map<GlossaryTerm, number>): number[] {
  return [...new Set(data.matchTerms(termText(segment)).map((m) => termIndex.get(m.term) as number))].sort((a, b) => a - b);
}

function termView(term: GlossaryTerm): { german: string; english: string; forms: Array<{ de: string; en: string }>; note: string } {
  return { german: term.german, english: term.english, forms: termForms(term).slice(1), note: term.note };
}

/** The term filter (the static page has status and findings): the terms of this article. */
function controls(data: ReviewData, used: ReadonlySet<number>): string {
  const terms = data.project.glossary.terms
    .map((t, i) => ({ t, i }))
    .filter(({ i }) => used.has(i))
    .sort((a, b) => a.t.german.localeCompare(b.t.german, 'de'))
    .map(({ t, i }) => `<option value="${i}">${escapeXml(`${t.german} → ${t.english}`)}</option>`)
    .join('');
  return `<fieldset><legend>Term</legend><select name="term" aria-label="Glossary term"><option value="">all</option>${terms}</select></fieldset>`;
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
