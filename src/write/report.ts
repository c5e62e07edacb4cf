import type { Finding, TranslatedArticle } from '../model.js';
import { articleTitle } from '../align/article-title.js';

/** Totals of one build. */
export interface BuildTotals {
  articles: number;
  segments: number;
  fromMemory: number;
  translated: number;
  missing: number;
  requests: number;
  billedCharacters: number;
  findings: number;
}

/**
 * `report.json`: per article and segment its id, kind, line, origin, status, billed characters and
 * findings; then totals. Keys in a fixed order and no timestamps, so it diffs cleanly.
 */
export function renderReport(articles: readonly TranslatedArticle[], findings: readonly Finding[], totals: BuildTotals): string {
  // Grouped once: looking them up per segment in the whole list grows with the square of the corpus.
  const rules = new Map<string, string[]>();
  for (const f of findings) {
    if (f.segmentId === undefined) continue;
    const key = `${f.docId}\u0000${f.segmentId}`;
    const list = rules.get(key);
    if (list) list.push(f.rule);
    else rules.set(key, [f.rule]);
  }
  const report = {
    articles: articles.map((a) => ({
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
        findings: rules.get(`${a.article.doc.id}\u0000${t.segment.id}`) ?? [],
      })),
    })),
    findings,
    totals,
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
