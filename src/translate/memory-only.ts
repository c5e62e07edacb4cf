import type { Project } from '../load-project.js';
import type { TranslatedArticle } from '../model.js';
import { translatedArticle } from './translated-article.js';

/**
 * Every segment with what the memory holds for it, without an engine: nothing is sent and nothing
 * is billed. What `qa` and `review status` look at.
 */
export function fromMemoryOnly(project: Project): TranslatedArticle[] {
  return project.articles.map((article) => translatedArticle(article, project.memory, project.config.targetLang));
}
