import type { Project } from '../load-project.js';
import type { Logger } from '../util/logger.js';
import { translateSegments, type TranslateOutcome } from './translate-segments.js';

/**
 * Every segment with what the memory holds for it, without an engine: nothing is sent and nothing
 * is billed. What `qa` and `review status` look at.
 */
export function fromMemoryOnly(project: Project, log: Logger): Promise<TranslateOutcome> {
  return translateSegments(project.articles, {
    engine: undefined,
    memory: project.memory,
    lang: project.config.targetLang,
    concurrency: 1,
    glossaryEntries: [],
    now: () => new Date().toISOString(),
    log,
  });
}
