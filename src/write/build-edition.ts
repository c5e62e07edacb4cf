import type { Config } from '../config/config.js';
import type { Glossary } from '../glossary/glossary.js';
import { termForms } from '../glossary/glossary.js';
import type { Edition, TranslatedArticle, TranslatedSegment } from '../model.js';
import { articleTitle } from '../align/article-title.js';
import { sha256 } from '../util/hash.js';
import { inlineXhtml } from './inline-xhtml.js';

/**
 * The edition the EPUB writer renders: complete articles only, in source order. Everything that
 * varies between builds is derived from the content (identifier, modification time), so the same
 * inputs give byte-identical books.
 */
export function buildEdition(config: Config, articles: readonly TranslatedArticle[], glossary: Glossary): Edition {
  const bodyText = articles.flatMap((a) => a.segments.map((t) => `${a.article.doc.id}\t${t.segment.source}\t${t.target ?? ''}`)).join('\n');
  const hash = sha256(`${config.title}\n${config.targetLang}\n${bodyText}`, 32);
  const identifier = `urn:uuid:${hash.slice(0, 8)}-${hash.slice(8, 12)}-5${hash.slice(13, 16)}-a${hash.slice(17, 20)}-${hash.slice(20, 32)}`;
  const updated = articles.flatMap((a) => a.segments.map((t) => t.updated ?? '')).filter((u) => u !== '').sort();
  const latest = updated[updated.length - 1];
  const modified = (latest ? new Date(latest) : new Date(Date.UTC(2000, 0, 1))).toISOString().replace(/\.\d{3}Z$/, 'Z');

  const all = articles.flatMap((a) => a.segments);
  const translationNote = describeTranslation(all, glossary.terms.length > 0);
  const german = all.map((t) => t.segment.plain).join('\n');
  const used = glossary.terms.filter((term) => termForms(term).some((f) => german.includes(f.de)));

  return {
    title: config.title,
    subtitle: config.subtitle,
    englishSubtitle: englishSubtitle(config.subtitle),
    sourceLang: config.sourceLang,
    targetLang: config.targetLang,
    identifier,
    modified,
    translationNote,
    glossary: used.map((t) => ({ de: t.german, en: t.english })),
    articles: articles.map((a) => {
      const title = articleTitle(a);
      const { meta } = a.article.doc;
      return {
        id: a.article.doc.id,
        titleDe: title.de,
        titleEn: title.en ?? title.de,
        ...(meta.date ? { date: meta.date } : {}),
        ...(meta.author ? { author: meta.author } : {}),
        ...(meta.source ? { source: meta.source } : {}),
        blocks: a.segments
          .filter((t) => t.segment.body && !(title.whole && t.segment.id === title.segmentId))
          .map((t) => ({
            segmentId: t.segment.id,
            kind: t.segment.kind,
            ...(t.segment.depth ? { depth: t.segment.depth } : {}),
            deHtml: inlineXhtml(t.segment.source, t.segment.markdown, t.segment.references),
            enHtml: inlineXhtml(t.target ?? '', t.segment.markdown, t.segment.references),
          })),
      };
    }),
  };
}

/**
 * One line on how the edition was translated: where the passages come from (people, a CAT tool's
 * TMX, DeepL) and how many were reviewed. Derived from the memory's origin and status, not from
 * what this run sent, so a rebuild after a DeepL run gives the same book.
 */
export function describeTranslation(segments: readonly TranslatedSegment[], withGlossary: boolean): string {
  const total = segments.length;
  const count = (test: (t: TranslatedSegment) => boolean): number => segments.filter(test).length;
  const human = count((t) => t.origin === 'human');
  const tmx = count((t) => t.origin === 'tmx');
  const deepl = count((t) => t.origin === 'deepl');
  const copied = count((t) => t.origin === 'copy');
  const reviewed = count((t) => t.status === 'reviewed' || t.status === 'approved');
  const sources = [
    ...(human > 0 || deepl + tmx + copied === 0 ? [`${human} translated by people`] : []),
    ...(tmx > 0 ? [`${tmx} imported from a translation tool (TMX)`] : []),
    `${deepl === 0 ? 'none' : deepl} by DeepL${deepl > 0 && withGlossary ? ' with the project glossary' : ''}`,
    ...(copied > 0 ? [`${copied} kept as in the original`] : []),
  ];
  const review =
    reviewed === total
      ? `all ${total === 1 ? '' : `${total} `}reviewed`
      : reviewed === 0
        ? 'none reviewed yet'
        : `${reviewed} reviewed, ${total - reviewed} not yet reviewed`;
  const all = total === 1 ? 'The one passage comes' : `All ${total} passages come`;
  return `${all} from the project's translation memory: ${sources.join(', ')}; ${review}.`;
}

/** The English-only edition's subtitle: a "German–English edition" subtitle becomes "English edition". */
function englishSubtitle(subtitle: string): string {
  return subtitle.replace(/\bGerman\s*[–—-]\s*English\b/i, 'English').replace(/\bbilingual\b/i, 'English');
}
