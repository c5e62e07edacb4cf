import type { Finding, TranslatedArticle } from '../model.js';
import { articleTitle } from '../segment/article-title.js';
import { groupBy } from '../util/group-by.js';

/** Totals of one build. */
export interface BuildTotals {
  articles: number;
  segments: number;
  fromMemory: number;
  /** Segments translated by DeepL in this run (a paragraph repeated in the run counts each time). */
  translated: number;
  missing: number;
  /** DeepL requests answered with translations: those the billed characters come from. */
  requests: number;
  billedCharacters: number;
  /** Requests sent that brought no translation back (refused, e.g. 456 or 403, or failing or unreachable after every retry). */
  failedRequests: number;
  findings: number;
}

/** One article's entry of the report (`findings`: that article's), rendered as it sits in the file. */
export function reportArticle(a: TranslatedArticle, findings: readonly Finding[]): string {
  const bySegment = groupBy(findings, (f) => f.segmentId);
  const entry = {
    id: a.article.doc.id,
    source: a.article.doc.path,
    title: articleTitle(a),
    dropped: a.article.dropped.map((d) => ({ rule: d.rule, line: d.line, text: d.text })),
    segments: a.segments.map((t) => ({
      id: t.segment.id,
      kind: t.segment.kind,
      line: t.segment.line,
      origin: t.origin ?? null,
      status: t.target === undefined ? 'missing' : (t.status ?? null),
      billedCharacters: t.billedCharacters,
      findings: (bySegment.get(t.segment.id) ?? []).map((f) => f.rule),
      // The rules whose findings a reviewer accepted for this English: left out of `findings`.
      ...(t.accepted && t.accepted.length > 0 ? { accepted: t.accepted } : {}),
    })),
  };
  return indent(JSON.stringify(entry, null, 2), 4);
}

/*
 * `report.json`: per article and segment its id, kind, line, origin, status, billed characters and
 * findings; then the findings and the totals. Keys in a fixed order and no timestamps, so it diffs
 * cleanly. Written piece by piece as a build goes: `reportHead`, each article's entry after
 * `reportSeparator`, `reportArticlesEnd`, each finding, `reportFindingsEnd`, `reportTotals` give
 * the text `JSON.stringify` of the whole report with two spaces of indentation would.
 */

/** The report's opening, up to its first article. */
export function reportHead(): string {
  return '{\n  "articles": [';
}

/** What comes before the article entry at `index`. */
export function reportSeparator(index: number): string {
  return index === 0 ? '\n' : ',\n';
}

/** What closes the articles, after `count` entries, and opens the findings. */
export function reportArticlesEnd(count: number): string {
  return `${count === 0 ? ']' : '\n  ]'},\n  "findings": `;
}

/** The finding at `index` of the findings list, as it sits in the file. */
export function reportFinding(f: Finding, index: number): string {
  return `${index === 0 ? '[\n' : ',\n'}${indent(JSON.stringify(f, null, 2), 4)}`;
}

/** What closes the findings list after `count` findings. */
export function reportFindingsEnd(count: number): string {
  return count === 0 ? '[]' : '\n  ]';
}

/** The totals and the end of the report. */
export function reportTotals(totals: BuildTotals): string {
  return `,\n  "totals": ${indent(JSON.stringify(totals, null, 2), 2).trimStart()}\n}\n`;
}

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text.replace(/^/gm, pad);
}
