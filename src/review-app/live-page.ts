// The review app's page: the static review page (src/render/review-html.ts) with the live hooks filled
// in (buttons, term and article filters, glossary panel, the page's state as JSON), and single rows for
// the answers to changes.
import { segmentTerms } from '../glossary/match-terms.js';
import { termForms, type GlossaryTerm } from '../glossary/glossary.js';
import type { MemoryEntry } from '../memory/entry.js';
import type { Segment, TranslatedSegment } from '../model.js';
import { checkArticle } from '../qa/run-checks.js';
import { ReviewPage, type LiveHooks } from '../render/review-html.js';
import { escapeXml } from '../text/escape.js';
import { articleTitle } from '../segment/article-title.js';
import { translatedArticle } from '../translate/translated-article.js';
import { needsTranslation } from '../translate/needs-translation.js';
import { targetForSegment } from '../segment/target-format.js';
import { entryOf, rowId, type ReviewData } from './load-review-data.js';
import { LIVE_SCRIPT, LIVE_STYLE } from './live-script.js';

/** What the page's script knows of a pair besides its row: the editable text, its version and history, its terms. */
export interface RowState {
  /** The memory entry's `updated` time; `''` without an entry. */
  version: string;
  /** The English as stored (inline Markdown or plain text); `null` when missing. */
  target: string | null;
  markdown: boolean;
  /** False for a pair copied unchanged (no words to translate). */
  editable: boolean;
  /** Earlier English, oldest first. */
  history: Array<{ target: string; origin: string; status: string; updated: string }>;
  /** Indices into the page's `terms`. */
  terms: number[];
}

/** The whole live page; `token` goes into it for the script's requests. */
export function renderLivePage(data: ReviewData, token: string): string {
  const termIndex = new Map(data.project.glossary.terms.map((t, i) => [t, i]));
  const states: Record<string, RowState> = {};
  for (const a of data.articles) {
    for (const t of a.translated.segments) states[rowId(t.segment.docId, t.segment.id)] = rowState(data, t, termIndex);
  }
  const used = new Set(Object.values(states).flatMap((s) => s.terms));
  const terms = data.project.glossary.terms.map(termView);
  const page = livePage(data, termIndex, {
    controls: controls(data, used),
    aside: `<aside class="gloss" aria-label="Glossary terms of the current pair"><h2>Terms of this pair</h2><div id="gloss-body"><p class="quiet">Select a pair (<kbd>j</kbd> <kbd>k</kbd>) to see its glossary terms.</p></div></aside>
<div id="toast" role="status" aria-live="polite"></div>
<script type="application/json" id="review-data">${jsonForScript({ token, rows: states, terms })}</script>`,
  });
  const sections = data.articles.map((a) => page.section(a.translated, a.findings, a.terms, a.fuzzy, a.structure));
  return `${page.head()}${sections.join('\n')}${page.tail()}`;
}

/** One row as the page shows it now, with its state: what the server sends after a change or a refusal. */
export function renderLiveRow(data: ReviewData, row: string): { html: string; state: RowState } | undefined {
  const slash = row.lastIndexOf('/');
  const article = data.project.articles.find((a) => a.doc.id === row.slice(0, slash));
  const index = article?.segments.findIndex((s) => s.id === row.slice(slash + 1)) ?? -1;
  if (!article || index < 0) return undefined;
  const translated = translatedArticle(article, data.project.memory, data.project.config.targetLang);
  const t = translated.segments[index] as TranslatedSegment;
  const terms = segmentTerms([t], data.matchTerms);
  const findings = checkArticle({ article, segments: [t] }, terms);
  const termIndex = new Map(data.project.glossary.terms.map((term, i) => [term, i]));
  const place = data.articles.find((a) => a.translated.article === article)?.structure.places.get(t.segment.id);
  const html = livePage(data, termIndex, { controls: '', aside: '' }).row(t, index, article.doc.id, findings, terms, place);
  return { html, state: rowState(data, t, termIndex) };
}

function livePage(data: ReviewData, termIndex: Map<GlossaryTerm, number>, parts: Pick<LiveHooks, 'controls' | 'aside'>): ReviewPage {
  const { config } = data.project;
  return new ReviewPage({
    title: config.title,
    targetLang: config.targetLang,
    matchTerms: data.matchTerms,
    live: {
      script: LIVE_SCRIPT,
      style: LIVE_STYLE,
      keys: '<kbd>j</kbd> <kbd>k</kbd> row · <kbd>n</kbd> <kbd>N</kbd> finding · <kbd>e</kbd> edit · <kbd>a</kbd> approve · <kbd>Ctrl</kbd>+<kbd>Enter</kbd> save · <kbd>Esc</kbd> cancel',
      ...parts,
      row: (t, docId) => ({
        data: {
          doc: docId,
          version: t.updated ?? '',
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
  return [...new Set(data.matchTerms(segment.plain).map((m) => termIndex.get(m.term) as number))].sort((a, b) => a - b);
}

function termView(term: GlossaryTerm): { german: string; english: string; forms: Array<{ de: string; en: string }>; note: string } {
  return { german: term.german, english: term.english, forms: termForms(term).slice(1), note: term.note };
}

/** The article and term filters (the static page has status and findings). */
function controls(data: ReviewData, used: ReadonlySet<number>): string {
  const articles = data.articles
    .map((a) => {
      const doc = a.translated.article.doc;
      return `<option value="${escapeXml(doc.id)}">${escapeXml(clip(articleTitle(a.translated).de))}</option>`;
    })
    .join('');
  const terms = data.project.glossary.terms
    .map((t, i) => ({ t, i }))
    .filter(({ i }) => used.has(i))
    .sort((a, b) => a.t.german.localeCompare(b.t.german, 'de'))
    .map(({ t, i }) => `<option value="${i}">${escapeXml(`${t.german} → ${t.english}`)}</option>`)
    .join('');
  return `<fieldset><legend>Article</legend><select name="article" aria-label="Article"><option value="">all</option>${articles}</select></fieldset>
<fieldset><legend>Term</legend><select name="term" aria-label="Glossary term"><option value="">all</option>${terms}</select></fieldset>`;
}

/** JSON that may stand inside a `<script>` element: nothing in it can end the element or open a comment. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
