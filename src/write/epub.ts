/**
 * EPUB 3 writer: turns an {@link Edition} into the bytes of an `.epub` file.
 *
 * Pure: no I/O, no clock, no randomness. The same edition always gives the same bytes
 * (entry order is fixed and every zip entry carries a timestamp derived from
 * `edition.modified`, written in UTC whatever the process's time zone), whether it is rendered
 * at once ({@link renderEpub}) or chapter by chapter ({@link EpubBook}).
 *
 * Incremental: a build translates articles one by one while DeepL requests are in flight, so
 * {@link EpubBook} renders and deflates each chapter as soon as its article is ready; only the
 * front and back matter, which need the whole edition, wait for the end.
 *
 * Book structure (all under `OEBPS/`):
 *   title.xhtml        title page (edition title, subtitle, authors, publisher, languages, date range, note)
 *   nav.xhtml          table of contents + hidden landmarks (also in the spine)
 *   chapter-NNN.xhtml  one per article, in article order
 *   colophon.xhtml     identifier, modification date, translation note, glossary
 *   style.css          typography for both layouts
 */
import type { Edition, EditionArticle } from '../model.js';
import { CHAPTER_TITLE_ID } from '../render/resolve-link.js';
import { sha256 } from '../util/hash.js';
import { escapeXml } from '../text/escape.js';
import { deflatedEntrySync, inflatedData, joinPieces, storedEntry, zipPieces, zipTimeUtc, type ZipEntryData, type ZipTime } from './zip.js';
import { detached } from '../util/detached.js';

export { escapeXml };

export type EpubMode = 'bilingual' | 'english';
export type EpubLayout = 'interleaved' | 'facing';

export interface EpubOptions {
  mode: EpubMode;
  /** Bilingual layout; ignored in English mode. Default `interleaved`. */
  layout?: EpubLayout;
}

/**
 * The `dc:identifier` of one book of an edition. The interleaved bilingual book carries the
 * edition's identifier; the facing and English books carry a name-based UUID derived from it, so
 * a library that holds several of them never takes one for another, and every identifier stays
 * a function of the content.
 */
export function editionIdentifier(identifier: string, layout: 'interleaved' | 'facing' | 'english'): string {
  if (layout === 'interleaved') return identifier;
  const h = sha256(`${identifier}\n${layout}`, 32);
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Zip entry name of the chapter for the article at `index` (0-based). */
export function chapterFileName(index: number): string {
  return `chapter-${String(index + 1).padStart(3, '0')}.xhtml`;
}

const LANG_TAG = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;

function checkLang(tag: string, what: string): string {
  if (!LANG_TAG.test(tag)) throw new RangeError(`epub: ${what} is not a BCP 47 language tag: ${JSON.stringify(tag)}`);
  return tag;
}

const LANGUAGE_NAMES: Record<string, string> = {
  de: 'German',
  en: 'English',
  fr: 'French',
  es: 'Spanish',
  it: 'Italian',
  nl: 'Dutch',
  pl: 'Polish',
  pt: 'Portuguese',
  ru: 'Russian',
  uk: 'Ukrainian',
};

const REGION_NAMES: Record<string, string> = { US: 'US', GB: 'UK', AU: 'Australia', CA: 'Canada', AT: 'Austria', CH: 'Switzerland' };

/** "German", "English (US)"; the tag itself for unknown languages. */
function languageLabel(tag: string): string {
  const [primary = '', region] = tag.split('-');
  const name = LANGUAGE_NAMES[primary.toLowerCase()];
  if (name === undefined) return tag;
  const where = region === undefined ? undefined : (REGION_NAMES[region.toUpperCase()] ?? region);
  return where === undefined ? name : `${name} (${where})`;
}

/**
 * `YYYY-MM-DDThh:mm:ssZ` from `edition.modified` (milliseconds dropped) and the zip entries'
 * time (its UTC components, clamped to the DOS range), or a RangeError.
 */
function normaliseModified(modified: string): { iso: string; time: ZipTime } {
  const date = new Date(modified);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(modified) || Number.isNaN(date.getTime())) {
    throw new RangeError(`epub: edition.modified is not an ISO 8601 date-time: ${JSON.stringify(modified)}`);
  }
  return { iso: date.toISOString().replace(/\.\d{3}Z$/, 'Z'), time: zipTimeUtc(date) };
}

/** What {@link EpubBook.finish} needs besides the chapters: the edition without its articles. */
export type EpubFrontMatter = Omit<Edition, 'articles'>;

/** How one book sets its languages: fixed before the first chapter, shared by every document. */
interface BookSettings {
  bilingual: boolean;
  facing: boolean;
  /** The chapter class: how this book sets the languages. */
  layout: 'interleaved' | 'facing' | 'english';
  /** Target language tag (e.g. `en-US`), validated. */
  en: string;
  /** Source language tag (e.g. `de`), validated. */
  de: string;
}

function bookSettings(options: EpubOptions, sourceLang: string, targetLang: string): BookSettings {
  const bilingual = options.mode === 'bilingual';
  const facing = bilingual && options.layout === 'facing';
  return {
    bilingual,
    facing,
    layout: bilingual ? (facing ? 'facing' : 'interleaved') : 'english',
    en: checkLang(targetLang, 'targetLang'),
    de: checkLang(sourceLang, 'sourceLang'),
  };
}

/**
 * What the front and back matter need from a chapter. A book keeps this instead of the article,
 * so the blocks of a rendered chapter can be dropped at once.
 */
export interface ChapterSummary {
  /** File name inside `OEBPS/`. */
  file: string;
  /** English title, or a stand-in when the article has none. */
  titleEn: string;
  /** German title, trimmed (empty when none). */
  titleDe: string;
  /** The article's date as written, trimmed (empty when none). */
  date: string;
}

/** Everything the front- and back-matter builders share. */
interface FrontCtx extends BookSettings {
  front: EpubFrontMatter;
  /** This book's `dc:identifier` (see {@link editionIdentifier}). */
  identifier: string;
  /** `dcterms:modified`, normalised. */
  modified: string;
  chapters: readonly ChapterSummary[];
  /** The pictures packed into the book, in the order they were first shown. */
  images: readonly BookPicture[];
}

/** A picture of a chapter, as the book packs it: its name under `OEBPS/`, media type and bytes. */
export interface BookPicture {
  href: string;
  mediaType: string;
  bytes: Uint8Array;
}

function langAttrs(tag: string): string {
  return `lang="${tag}" xml:lang="${tag}"`;
}

function xhtmlDocument(ctx: BookSettings, title: string, body: string, bodyAttrs = ''): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<!DOCTYPE html>\n' +
    `<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" ${langAttrs(ctx.en)}>\n` +
    '<head>\n' +
    `<title>${escapeXml(title)}</title>\n` +
    '<link rel="stylesheet" type="text/css" href="style.css"/>\n' +
    '</head>\n' +
    `<body${bodyAttrs}>\n` +
    body +
    '</body>\n' +
    '</html>\n'
  );
}

const ISO_DATE = /^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$/;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "2022", "January 2022", "5 January 2022" for an ISO year, month or day (no locale data, so stable). */
function humanDate(iso: string, lang: string): string {
  const [year = '', month, day] = iso.split('-');
  if (month === undefined) return year;
  const name = MONTHS[Number(month) - 1] as string;
  if (day === undefined) return `${name} ${year}`;
  // As American English writes it (March 3, 2025), and British (3 March 2025).
  return lang === 'en-US' ? `${name} ${Number(day)}, ${year}` : `${Number(day)} ${name} ${year}`;
}

/** A date as `<time>` spelled out when it is an ISO year, month or day, else as plain text. */
function renderDate(date: string, lang: string): string {
  const trimmed = date.trim();
  return ISO_DATE.test(trimmed) ? `<time datetime="${escapeXml(trimmed)}">${escapeXml(humanDate(trimmed, lang))}</time>` : escapeXml(date);
}

/** "December 2021 – May 2024" from the articles' dates (ISO dates sorted; others in article order). */
function dateRange(chapters: readonly ChapterSummary[], lang: string): string | undefined {
  const dates = chapters.map((c) => c.date).filter((d) => d !== '');
  if (dates.length === 0) return undefined;
  const ordered = dates.every((d) => ISO_DATE.test(d)) ? [...dates].sort() : dates;
  const first = ordered[0] as string;
  const last = ordered[ordered.length - 1] as string;
  return first === last ? renderDate(first, lang) : `${renderDate(first, lang)} – ${renderDate(last, lang)}`;
}

/** Titles longer than this many characters (a first sentence standing in for a title) are set smaller. */
const LONG_TITLE = 90;

/** The chapter for the article at `index` (0-based), and what the rest of the book needs to know of it. */
function renderChapter(ctx: BookSettings, article: EditionArticle, index: number): { summary: ChapterSummary; xhtml: string } {
  const titleEn = article.titleEn.trim() || `Article ${index + 1}`;
  const summary: ChapterSummary = {
    file: chapterFileName(index),
    titleEn,
    titleDe: article.titleDe.trim(),
    date: article.date?.trim() ?? '',
  };
  let header = `<h1 id="${CHAPTER_TITLE_ID}"${titleEn.length > LONG_TITLE ? ' class="long"' : ''}>${escapeXml(titleEn)}</h1>\n`;
  if (ctx.bilingual && summary.titleDe !== '') {
    header += `<p class="title-de" ${langAttrs(ctx.de)}>${escapeXml(summary.titleDe)}</p>\n`;
  }
  // The teaser (the front matter's description): its English, and in the bilingual book its German under it.
  const teaser = article.descriptionEn?.trim();
  if (teaser) {
    header += `<p class="teaser">${escapeXml(teaser)}</p>\n`;
    const german = article.descriptionDe?.trim();
    if (ctx.bilingual && german) header += `<p class="teaser teaser-de" ${langAttrs(ctx.de)}>${escapeXml(german)}</p>\n`;
  }
  const meta: string[] = [];
  if (article.date?.trim()) meta.push(`<span class="date">${renderDate(article.date.trim(), ctx.en)}</span>`);
  if (article.author?.trim()) meta.push(`<span class="author">${escapeXml(article.author.trim())}</span>`);
  if (article.source?.trim()) meta.push(`<span class="source">Source: ${escapeXml(article.source.trim())}</span>`);
  if (meta.length > 0) header += `<p class="byline">${meta.join(' · ')}</p>\n`;
  const body =
    `<section id="x-chapter" class="chapter ${ctx.layout}" epub:type="chapter" role="doc-chapter" ` +
    `aria-labelledby="${CHAPTER_TITLE_ID}">\n` +
    `<header>\n${header}</header>\n` +
    (ctx.bilingual ? article.bilingual : article.english) +
    '</section>\n';
  return { summary, xhtml: xhtmlDocument(ctx, titleEn, body, ' epub:type="bodymatter"') };
}

/**
 * A chapter's links to other articles (`diglot:article/<id>#<fragment>`, see `book-tree.ts`)
 * pointed at their chapters; a link to an article that is not in the book becomes its text.
 */
function linkArticles(xhtml: string, chapterOf: ReadonlyMap<string, string>): string {
  return xhtml.replace(
    /<a href="diglot:article\/([^"#]*)(#[^"]*)?"([^>]*)>([\s\S]*?)<\/a>/g,
    (_all, id: string, fragment: string | undefined, rest: string, inner: string) => {
      const file = chapterOf.get(decodeURIComponent(id));
      const to = fragment === undefined ? '' : `#${escapeXml(decodeURIComponent(fragment.slice(1)))}`;
      return file === undefined ? inner : `<a href="${file}${to}"${rest}>${inner}</a>`;
    },
  );
}

/** How the two languages are set, for the title page. */
function layoutPhrase(ctx: BookSettings): string {
  if (!ctx.bilingual) return `Translated from ${languageLabel(ctx.de)} into ${languageLabel(ctx.en)}`;
  const pair = `${languageLabel(ctx.de)} and ${languageLabel(ctx.en)}`;
  return ctx.facing ? `${pair} side by side` : `${pair}, paragraph by paragraph`;
}

/** The book's title: the edition's, and the volume's label when it is one of several. */
function bookTitle(edition: EpubFrontMatter): string {
  return edition.volume ? `${edition.title} — ${edition.volume.label}` : edition.title;
}

/** "2 of 4"; "3 of 12 (May 2024)" when the label says more than the number. */
function volumePhrase(volume: NonNullable<EpubFrontMatter['volume']>): string {
  const place = `${volume.position} of ${volume.of}`;
  return volume.label === `Volume ${volume.position}` ? place : `${place} (${volume.label})`;
}

function renderTitlePage(ctx: FrontCtx): string {
  const edition = ctx.front;
  const subtitle = (ctx.bilingual ? edition.subtitle : (edition.englishSubtitle ?? edition.subtitle))?.trim();
  let body = '<section id="titlepage" class="titlepage" epub:type="titlepage" aria-labelledby="book-title">\n';
  body += `<h1 id="book-title">${escapeXml(edition.title)}</h1>\n`;
  if (subtitle) body += `<p class="subtitle">${escapeXml(subtitle)}</p>\n`;
  if (edition.volume) body += `<p class="subtitle volume">${escapeXml(edition.volume.label)}</p>\n`;
  if (edition.authors?.length) body += `<p class="authors">${escapeXml(edition.authors.join(', '))}</p>\n`;
  if (edition.publisher) body += `<p class="publisher">${escapeXml(edition.publisher)}</p>\n`;
  body += `<p class="languages">${escapeXml(layoutPhrase(ctx))}</p>\n`;
  const range = dateRange(ctx.chapters, ctx.en);
  const count = ctx.chapters.length;
  body += `<p class="dates">${count} ${count === 1 ? 'article' : 'articles'}${range === undefined ? '' : `, ${range}`}</p>\n`;
  if (edition.translationNote.trim()) body += `<p class="note">${escapeXml(edition.translationNote.trim())}</p>\n`;
  body += '</section>\n';
  return xhtmlDocument(ctx, bookTitle(edition), body, ' epub:type="frontmatter"');
}

function renderNav(ctx: FrontCtx): string {
  let toc = '<nav id="toc" epub:type="toc" role="doc-toc" aria-labelledby="toc-title">\n<h1 id="toc-title">Contents</h1>\n<ol>\n';
  for (const { file, titleEn, titleDe } of ctx.chapters) {
    let label = `<span class="toc-en">${escapeXml(titleEn)}</span>`;
    // Reading systems show the label as plain text ("English — German"); the style sheet sets the
    // German on a line of its own and hides the dash.
    if (ctx.bilingual && titleDe !== '') {
      label += `<span class="toc-sep"> — </span><span class="toc-de" ${langAttrs(ctx.de)}>${escapeXml(titleDe)}</span>`;
    }
    toc += `<li><a href="${file}">${label}</a></li>\n`;
  }
  toc += '<li><a href="colophon.xhtml">Colophon and glossary</a></li>\n</ol>\n</nav>\n';
  let landmarks = '<nav id="landmarks" epub:type="landmarks" hidden="">\n<h2>Landmarks</h2>\n<ol>\n';
  landmarks += '<li><a epub:type="titlepage" href="title.xhtml">Title page</a></li>\n';
  landmarks += '<li><a epub:type="toc" href="nav.xhtml#toc">Contents</a></li>\n';
  const first = ctx.chapters[0];
  if (first !== undefined) landmarks += `<li><a epub:type="bodymatter" href="${first.file}">Start of content</a></li>\n`;
  landmarks += '<li><a epub:type="colophon" href="colophon.xhtml">Colophon</a></li>\n';
  landmarks += '</ol>\n</nav>\n';
  return xhtmlDocument(ctx, 'Contents', toc + landmarks, ' epub:type="frontmatter"');
}

function renderColophon(ctx: FrontCtx): string {
  const edition = ctx.front;
  const day = ctx.modified.slice(0, 10);
  const range = dateRange(ctx.chapters, ctx.en);
  const count = ctx.chapters.length;
  let body = '<section id="colophon" class="colophon" epub:type="colophon" role="doc-colophon" aria-labelledby="colophon-title">\n';
  body += '<h1 id="colophon-title">Colophon</h1>\n';
  body += `<p><span class="label">Title:</span> ${escapeXml(edition.title)}</p>\n`;
  if (edition.volume) body += `<p><span class="label">Volume:</span> ${escapeXml(volumePhrase(edition.volume))}</p>\n`;
  body += `<p><span class="label">Edition:</span> ${escapeXml(layoutPhrase(ctx))}; ${count} ${count === 1 ? 'article' : 'articles'}${range === undefined ? '' : `, ${range}`}</p>\n`;
  if (edition.translationNote.trim())
    body += `<p><span class="label">Translation:</span> ${escapeXml(edition.translationNote.trim())}</p>\n`;
  body += `<p><span class="label">Last modified:</span> <time datetime="${ctx.modified}">${humanDate(day, ctx.en)}</time></p>\n`;
  body += `<p><span class="label">Identifier:</span> <code>${escapeXml(ctx.identifier)}</code></p>\n`;
  body += '<h2 id="glossary">Glossary</h2>\n';
  if (edition.glossary.length === 0) {
    body += '<p>No glossary terms were used.</p>\n';
  } else {
    body += `<p>The ${escapeXml(languageLabel(ctx.de))} terms of the project glossary that occur in this ${edition.volume ? 'volume' : 'edition'}, and the ${escapeXml(languageLabel(ctx.en))} used for them throughout.</p>\n`;
    body += '<dl class="glossary">\n';
    for (const term of edition.glossary) {
      body += `<dt ${langAttrs(ctx.de)}>${escapeXml(term.de)}</dt>\n<dd ${langAttrs(ctx.en)}>${escapeXml(term.en)}</dd>\n`;
    }
    body += '</dl>\n';
  }
  body += '</section>\n';
  return xhtmlDocument(ctx, 'Colophon', body, ' epub:type="backmatter"');
}

function renderOpf(ctx: FrontCtx): string {
  const edition = ctx.front;
  // A book with pictures is read visually too: its summary and access modes say so (the alt texts are the sources').
  const pictures = ctx.images.length > 0;
  const kind = pictures ? 'Text with pictures (each with the alt text its source gives it)' : 'Text-only publication';
  const summary = ctx.bilingual
    ? `${kind}. Each German passage is followed by (or set beside) its English translation; ` +
      'every passage is marked with its language. Navigation by table of contents and headings; ' +
      'the reading order follows the original articles.'
    : `${kind}, in English. Navigation by table of contents and headings; the reading order follows the original articles.`;
  const languages = ctx.bilingual ? [ctx.en, ctx.de] : [ctx.en];
  const meta = [
    `<dc:identifier id="pub-id">${escapeXml(ctx.identifier)}</dc:identifier>`,
    `<dc:title id="title">${escapeXml(bookTitle(edition))}</dc:title>`,
    ...(edition.authors ?? []).map((name) => `<dc:creator>${escapeXml(name)}</dc:creator>`),
    ...(edition.publisher ? [`<dc:publisher>${escapeXml(edition.publisher)}</dc:publisher>`] : []),
    ...languages.map((l) => `<dc:language>${l}</dc:language>`),
    `<meta property="dcterms:modified">${ctx.modified}</meta>`,
    // A volume belongs to the edition as a series (EPUB 3 collections): libraries shelve the volumes together, in order.
    ...(edition.volume
      ? [
          `<meta property="belongs-to-collection" id="edition">${escapeXml(edition.title)}</meta>`,
          '<meta refines="#edition" property="collection-type">series</meta>',
          `<meta refines="#edition" property="group-position">${edition.volume.position}</meta>`,
        ]
      : []),
    '<meta property="schema:accessMode">textual</meta>',
    ...(pictures ? ['<meta property="schema:accessMode">visual</meta>'] : []),
    `<meta property="schema:accessModeSufficient">${pictures ? 'textual,visual' : 'textual'}</meta>`,
    '<meta property="schema:accessibilityFeature">structuralNavigation</meta>',
    '<meta property="schema:accessibilityFeature">tableOfContents</meta>',
    '<meta property="schema:accessibilityFeature">readingOrder</meta>',
    '<meta property="schema:accessibilityFeature">displayTransformability</meta>',
    '<meta property="schema:accessibilityHazard">none</meta>',
    `<meta property="schema:accessibilitySummary">${escapeXml(summary)}</meta>`,
  ];
  const items = [
    '<item id="titlepage" href="title.xhtml" media-type="application/xhtml+xml"/>',
    '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
    ...ctx.chapters.map((c, i) => `<item id="${chapterItemId(i)}" href="${c.file}" media-type="application/xhtml+xml"/>`),
    '<item id="colophon" href="colophon.xhtml" media-type="application/xhtml+xml"/>',
    '<item id="css" href="style.css" media-type="text/css"/>',
    ...ctx.images.map((p, i) => `<item id="image-${i + 1}" href="${escapeXml(p.href)}" media-type="${p.mediaType}"/>`),
  ];
  const spine = ['titlepage', 'nav', ...ctx.chapters.map((_, i) => chapterItemId(i)), 'colophon'];
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" xml:lang="${ctx.en}">\n` +
    '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n' +
    meta.join('\n') +
    '\n</metadata>\n<manifest>\n' +
    items.join('\n') +
    '\n</manifest>\n<spine>\n' +
    spine.map((id) => `<itemref idref="${id}"/>`).join('\n') +
    '\n</spine>\n</package>\n'
  );
}

function chapterItemId(index: number): string {
  return `chapter-${String(index + 1).padStart(3, '0')}`;
}

const CONTAINER_XML =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n' +
  '<rootfiles>\n' +
  '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>\n' +
  '</rootfiles>\n' +
  '</container>\n';

/**
 * Typography. German and English differ by size, style and an indent with a rule, never by
 * colour alone. `.facing` sets each pair as two columns and stacks them on narrow screens.
 */
const STYLE_CSS = `@charset "UTF-8";
body { font-family: Georgia, "Times New Roman", serif; line-height: 1.5; margin: 0 1em; }
h1 { font-size: 1.6em; line-height: 1.25; margin: 1em 0 0.3em; }
h1.long { font-size: 1.3em; }
h2 { font-size: 1.3em; margin: 1.2em 0 0.4em; }
h3 { font-size: 1.15em; margin: 1em 0 0.3em; }
h4, h5, h6 { font-size: 1em; margin: 1em 0 0.3em; }
h1, h2, h3, h4, h5, h6 { page-break-after: avoid; break-after: avoid; }
p { margin: 0 0 0.8em; }
header { margin-bottom: 1.8em; }
.title-de { font-size: 1.05em; font-style: italic; line-height: 1.4; margin: 0 0 0.6em; }
.teaser { font-size: 1.05em; line-height: 1.4; margin: 0 0 0.6em; }
.teaser-de { font-style: italic; }
.byline { font-size: 0.9em; letter-spacing: 0.02em; margin: 0; }
.byline .author { font-variant: small-caps; }
.pair { margin: 0 0 1.1em; }
.pair .de { font-size: 0.88em; font-style: italic; line-height: 1.4; margin: 0 0 0.35em; padding-left: 0.8em; border-left: 0.15em solid #767676; }
.pair .de em, .pair .de i { font-style: normal; }
.pair .en { margin: 0; }
.pair .h { font-weight: bold; }
.pair.heading { margin-top: 1.6em; page-break-after: avoid; break-after: avoid; }
.pair.heading .en { margin: 0; }
li { margin: 0 0 0.4em; }
li > .pair { margin-bottom: 0.5em; }
blockquote { margin: 0 0 0.8em 1.5em; }
pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.85em; line-height: 1.35; white-space: pre-wrap; margin: 0 0 1em; padding: 0.5em 0.7em; border-left: 0.15em solid #767676; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.9em; }
table { border-collapse: collapse; margin: 0 0 1.1em; }
th, td { border: 1px solid #767676; padding: 0.3em 0.5em; vertical-align: top; }
th .de, td .de { display: block; font-size: 0.88em; font-style: italic; }
th .en, td .en { display: block; }
.align-left { text-align: left; }
.align-center { text-align: center; }
.align-right { text-align: right; }
img { max-width: 100%; }
.noteref { font-size: 0.75em; vertical-align: super; line-height: 0; text-decoration: none; }
.note { font-size: 0.85em; margin: 1em 0 0; padding-top: 0.4em; border-top: 1px solid #767676; }
.note .backlink { margin: 0 0 0.2em; }
.html { margin: 0 0 0.8em; }
.lead { font-weight: bold; }
.facing .pair { display: grid; grid-template-columns: 1fr 1fr; column-gap: 1.5em; align-items: baseline; }
.facing .pair .de { margin: 0; }
.facing .pair > * { min-width: 0; hyphens: auto; }
@media (max-width: 40em) {
  .facing .pair { display: block; }
  .facing .pair .de { margin: 0 0 0.35em; }
}
.titlepage { margin-top: 20%; text-align: center; }
.titlepage h1 { font-size: 2em; }
.subtitle { font-size: 1.2em; font-style: italic; }
.titlepage .languages { margin-top: 2em; }
.titlepage .note { font-size: 0.9em; margin: 3em auto 0; max-width: 30em; }
nav ol { list-style: none; padding-left: 0; }
nav li { margin: 0 0 0.9em; }
nav#toc a { text-decoration: none; }
.toc-de { display: block; font-style: italic; font-size: 0.88em; }
.toc-sep { display: none; }
.glossary dt { font-style: italic; margin-top: 0.4em; }
.glossary dd { margin-left: 1.5em; }
.label { font-weight: bold; }
`;

const utf8 = new TextEncoder();
const utf8decode = new TextDecoder();

/** The entries every book shares, made once: compressing them again would give the same bytes. */
let sharedEntries: { mimetype: ZipEntryData; container: ZipEntryData; css: ZipEntryData } | undefined;

function shared(): NonNullable<typeof sharedEntries> {
  sharedEntries ??= {
    // OCF: the first entry, stored, so that `application/epub+zip` sits at byte 38 of the file.
    mimetype: storedEntry('mimetype', utf8.encode('application/epub+zip')),
    container: deflatedEntrySync('META-INF/container.xml', utf8.encode(CONTAINER_XML)),
    css: deflatedEntrySync('OEBPS/style.css', utf8.encode(STYLE_CSS)),
  };
  return sharedEntries;
}

/** The documents that need the whole edition, so they are written last. */
interface FrontEntries {
  opf: ZipEntryData;
  nav: ZipEntryData;
  title: ZipEntryData;
  colophon: ZipEntryData;
}

/** Renders and compresses the front and back matter. */
function frontEntries(ctx: FrontCtx): FrontEntries {
  return {
    opf: deflatedEntrySync('OEBPS/content.opf', utf8.encode(renderOpf(ctx))),
    nav: deflatedEntrySync('OEBPS/nav.xhtml', utf8.encode(renderNav(ctx))),
    title: deflatedEntrySync('OEBPS/title.xhtml', utf8.encode(renderTitlePage(ctx))),
    colophon: deflatedEntrySync('OEBPS/colophon.xhtml', utf8.encode(renderColophon(ctx))),
  };
}

function frontContext(
  book: BookSettings,
  front: EpubFrontMatter,
  modified: string,
  chapters: readonly ChapterSummary[],
  images: readonly BookPicture[],
): FrontCtx {
  return { ...book, front, identifier: editionIdentifier(front.identifier, book.layout), modified, chapters, images };
}

/**
 * The archive in its fixed entry order: mimetype (first and stored, as OCF requires), container,
 * package document, then the documents in reading order with the style sheet among them.
 */
function assemble(time: ZipTime, front: FrontEntries, chapters: readonly ZipEntryData[]): Iterable<Uint8Array> {
  const { mimetype, container, css } = shared();
  return zipPieces([mimetype, container, front.opf, front.nav, css, front.title, ...chapters, front.colophon], time);
}

/** Options of an {@link EpubBook}: the layout, and the languages every chapter is marked with. */
/** A chapter as a book keeps it: its article's id, its summary and its compressed entry (`linked`: it links to other articles). */
export interface StoredChapter {
  id: string;
  summary: ChapterSummary;
  entry: ZipEntryData;
  linked: boolean;
}

export interface EpubBookOptions extends EpubOptions {
  sourceLang: string;
  targetLang: string;
}

/**
 * An EPUB written chapter by chapter. {@link addChapter} renders and compresses the next article
 * at once, keeping only the compressed entry and a small summary (file name, titles, date);
 * {@link finish} renders the front and back matter, which need the whole edition, and lays out
 * the archive.
 *
 * Language tags are checked here, before the first chapter; `modified` when the book is finished.
 */
export class EpubBook {
  readonly #book: BookSettings;
  readonly #chapters: ChapterSummary[] = [];
  /**
   * Each chapter compressed. A chapter that links to other articles (its index in `#linked`) is
   * compressed as rendered and, in `finish`, when every article's chapter file is known,
   * inflated, linked and compressed again: a book holds bytes, never a chapter's text.
   */
  readonly #entries: ZipEntryData[] = [];
  readonly #linked = new Set<number>();
  readonly #chapterOf = new Map<string, string>();
  readonly #pictures = new Map<string, BookPicture>();
  #finished = false;

  constructor(options: EpubBookOptions) {
    this.#book = bookSettings(options, options.sourceLang, options.targetLang);
  }

  /** Chapters added so far; the next chapter gets this index. */
  get chapterCount(): number {
    return this.#chapters.length;
  }

  /**
   * Renders and compresses the chapter for the next article (index = chapters added so far),
   * with the pictures it shows (a picture already in the book is packed once). Returns the chapter
   * as the book keeps it, which a later build may add again with {@link addStoredChapter}.
   */
  addChapter(article: EditionArticle, pictures: readonly BookPicture[] = []): StoredChapter {
    const { summary, xhtml } = renderChapter(this.#book, article, this.#chapters.length);
    const stored: StoredChapter = {
      id: article.id,
      summary,
      entry: chapterEntry(summary.file, xhtml),
      linked: xhtml.includes('<a href="diglot:article/'),
    };
    this.addStoredChapter(stored, pictures);
    return stored;
  }

  /** Adds a chapter {@link addChapter} gave before, at the same index (a RangeError elsewhere), without rendering it again. */
  addStoredChapter(stored: StoredChapter, pictures: readonly BookPicture[] = []): void {
    if (this.#finished) throw new Error('EpubBook: addChapter after finish');
    const file = chapterFileName(this.#chapters.length);
    if (stored.summary.file !== file) throw new RangeError(`EpubBook: a stored ${stored.summary.file} added as ${file}`);
    this.#chapterOf.set(stored.id, file);
    if (stored.linked) this.#linked.add(this.#entries.length);
    this.#entries.push(stored.entry);
    // Kept until the book is finished: its titles and date as copies, which do not keep the article's text.
    this.#chapters.push(detached(stored.summary));
    for (const picture of pictures) if (!this.#pictures.has(picture.href)) this.#pictures.set(picture.href, picture);
  }

  /**
   * Renders the front and back matter from `front` (the edition without its articles: title,
   * identifier, modified, note, glossary) and returns the book's bytes in pieces, made as they are
   * written (see `zipPieces`). Throws a RangeError when `front.modified` is not an ISO date-time or
   * its languages are not the book's. A book is finished once.
   */
  finish(front: EpubFrontMatter): Iterable<Uint8Array> {
    if (this.#finished) throw new Error('EpubBook: finish called twice');
    const modified = normaliseModified(front.modified);
    if (front.sourceLang !== this.#book.de || front.targetLang !== this.#book.en) {
      throw new RangeError(
        `EpubBook: the edition's languages (${front.sourceLang} → ${front.targetLang}) are not the book's (${this.#book.de} → ${this.#book.en})`,
      );
    }
    this.#finished = true;
    const pictures = [...this.#pictures.values()];
    const chapters = this.#entries.map((e, i) =>
      this.#linked.has(i)
        ? chapterEntry(this.#chapters[i]?.file as string, linkArticles(utf8decode.decode(inflatedData(e)), this.#chapterOf))
        : e,
    );
    // Pictures are compressed already: stored as they are.
    const images = pictures.map((p) => storedEntry(`OEBPS/${p.href}`, p.bytes));
    const ctx = frontContext(this.#book, front, modified.iso, this.#chapters, pictures);
    const epub = assemble(modified.time, frontEntries(ctx), [...chapters, ...images]);
    // The archive holds its own copy: let the compressed chapters go even if the book is kept.
    this.#entries.length = 0;
    this.#linked.clear();
    this.#chapterOf.clear();
    this.#pictures.clear();
    return epub;
  }
}

function chapterEntry(file: string, xhtml: string): ZipEntryData {
  return deflatedEntrySync(`OEBPS/${file}`, utf8.encode(xhtml));
}

/**
 * Renders an edition as an EPUB 3 publication at once: an {@link EpubBook} given every article,
 * and the bytes of its pictures by name in the book.
 *
 * `english` mode contains only the English blocks (German appears only as glossary terms in the
 * colophon, marked `lang="de"`); `bilingual` mode pairs each German block with its English
 * translation, one after the other (`interleaved`, default) or side by side (`facing`).
 */
export function renderEpub(edition: Edition, options: EpubOptions, pictures: ReadonlyMap<string, Uint8Array> = new Map()): Uint8Array {
  const book = new EpubBook({ ...options, sourceLang: edition.sourceLang, targetLang: edition.targetLang });
  for (const article of edition.articles) {
    const shown = article.images.flatMap((i) => {
      const bytes = pictures.get(i.href);
      return bytes ? [{ href: i.href, mediaType: i.mediaType, bytes }] : [];
    });
    book.addChapter(article, shown);
  }
  return joinPieces(book.finish(edition));
}
