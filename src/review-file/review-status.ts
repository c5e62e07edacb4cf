import { articleTitle } from '../segment/article-title.js';
import type { Finding, TranslatedArticle } from '../model.js';
import { rowStatus } from './review-markdown.js';

/** The statuses counted, in the order they are shown. */
export const REVIEW_STATUSES = ['machine', 'reviewed', 'approved', 'missing', 'copied'] as const;

/** One article's review progress. */
export interface ArticleReviewStatus {
  id: string;
  source: string;
  title: string;
  segments: number;
  /** Segments per status: machine (a DeepL draft), reviewed, approved, missing, copied (no words). */
  statuses: Record<(typeof REVIEW_STATUSES)[number], number>;
  /** Findings of the checks on the current translations. */
  findings: number;
}

/** Per article, how many segments are in each status and how many findings remain. */
export function reviewStatus(articles: readonly TranslatedArticle[], findings: readonly Finding[]): ArticleReviewStatus[] {
  return articles.map((a) => {
    const statuses = Object.fromEntries(REVIEW_STATUSES.map((s) => [s, 0])) as ArticleReviewStatus['statuses'];
    for (const t of a.segments) {
      const s = rowStatus(t) as keyof ArticleReviewStatus['statuses'];
      statuses[s] = (statuses[s] ?? 0) + 1;
    }
    return {
      id: a.article.doc.id,
      source: a.article.doc.path,
      title: articleTitle(a).de,
      segments: a.segments.length,
      statuses,
      findings: findings.filter((f) => f.docId === a.article.doc.id).length,
    };
  });
}
