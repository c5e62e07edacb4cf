// The English Markdown's links and pictures, pointed from the output folder where it is written:
// the German's are relative to its source. By hand over micromark's events and parse5's attribute
// locations: they give each URL's exact offsets (mdast only the whole link's), so the rest stays byte for byte.
import path from 'node:path';
import { parse, postprocess, preprocess } from 'micromark';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfm } from 'micromark-extension-gfm';
import { decodeString } from 'micromark-util-decode-string';
import type { Segment, TranslatedArticle } from '../model.js';
import {
  attributeValue,
  decode,
  englishFragment,
  englishSlugs,
  htmlElements,
  htmlUrls,
  relativeFile,
  toPosix,
  type LinkTargets,
} from './resolve-link.js';

/** Where the English Markdown files go, and what their links may point to. */
export interface EnglishPlace {
  /** The output folder, relative to the project root. */
  output: string;
  targets: LinkTargets;
  /** An article's English Markdown file name, by its id. */
  englishFile: (id: string) => string;
  /** A segment's English now (of another article's heading a link names): absent, such a link keeps the German id. */
  english?: (segment: Segment) => string | undefined;
}

/** Link or picture syntax, or an HTML tag that may carry one: a text without any has nothing to relocate. */
const MAY_HOLD_URLS = /\][(:[]|<(?:a|img|source|iframe|embed|video|audio|object)\s/i;

/**
 * The English Markdown of an article with its relative links and pictures pointed from the output
 * folder: a picture beside the sources at its path from there, a link to another article at that
 * article's English Markdown, and a link to a heading, in the page or in another article, at the
 * English heading (as Markdown renderers name headings, from their text). Links to the web and
 * site-relative links stay as written.
 */
export function relocateUrls(markdown: string, article: TranslatedArticle, place: EnglishPlace): string {
  if (!MAY_HOLD_URLS.test(markdown)) return markdown;
  const from = toPosix(article.article.doc.path);
  const own = englishSlugs(article.segments);
  const relocate = (url: string): string | undefined => {
    if (url.startsWith('#')) return inPage(url.slice(1), own);
    if (url.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(url)) return undefined;
    const cut = url.search(/[?#]/);
    const [file, rest] = cut < 0 ? [url, ''] : [url.slice(0, cut), url.slice(cut)];
    if (file === '') return undefined;
    const target = relativeFile(from, file);
    if (target === from && rest.startsWith('#')) return inPage(rest.slice(1), own);
    const linked = place.targets.articles.get(target);
    // A folder's closing slash stays (`path.relative` drops it): a site serves the folder's index there, not a file.
    const folder = target.endsWith('/') ? '/' : '';
    const relative = linked ? place.englishFile(linked.id) : path.posix.relative(toPosix(place.output), target) + folder;
    // A heading of another article, at its English id once that heading's English is known.
    const heading =
      linked && place.english && rest.startsWith('#') ? englishFragment(linked, decode(rest.slice(1)), place.english) : undefined;
    return escapeUrl(relative, /[\s()<>\\%#?"']/g) + (heading !== undefined ? `#${heading}` : escapeUrl(rest, /[\s()<>\\"']/g));
  };
  return splice(markdown, urlRanges(markdown), relocate);
}

/** `#fragment` at this article's English heading, by the German heading's id; `undefined` (kept) when it names none. */
function inPage(fragment: string, own: ReadonlyMap<string, string>): string | undefined {
  const english = own.get(decode(fragment));
  return english === undefined ? undefined : `#${english}`;
}

/** The URLs of a Markdown text's links, pictures and definitions, and of its raw HTML `a`, `img` and embeds, in text order. */
export function markdownUrls(markdown: string): string[] {
  return urlRanges(markdown).map((r) => r.url);
}

/**
 * A URL's place in the text (as written there) and the URL it writes (escapes and character
 * references undone); `html` in an HTML attribute.
 */
interface UrlRange {
  start: number;
  end: number;
  url: string;
  html: boolean;
}

/** The destinations of links, pictures and definitions, and the `href`/`src` of raw HTML `a` and `img`, in text order. */
function urlRanges(markdown: string): UrlRange[] {
  const events = postprocess(
    parse({ extensions: [frontmatter(['yaml', 'toml']), gfm()] })
      .document()
      .write(preprocess()(markdown, undefined, true)),
  );
  const ranges: UrlRange[] = [];
  for (const [kind, token] of events) {
    if (kind !== 'enter') continue;
    const { start, end } = { start: token.start.offset, end: token.end.offset };
    if (token.type === 'resourceDestinationString' || token.type === 'definitionDestinationString')
      ranges.push({ start, end, url: decodeString(markdown.slice(start, end)), html: false });
    else if (token.type === 'htmlFlow' || token.type === 'htmlText') {
      const html = markdown.slice(start, end);
      for (const r of [...htmlUrls(html), ...srcsetUrls(html)])
        ranges.push({ start: start + r.start, end: start + r.end, url: r.url, html: true });
    }
  }
  return ranges.sort((a, b) => a.start - b.start);
}

/**
 * The pictures a `srcset` names (of an `img`, or a `source` in a `picture`: other sizes, a dark
 * mode's), each a URL before its width or density (`a.png 1x, b.png 2x`), with its offsets in `html`.
 */
function srcsetUrls(html: string): Array<{ start: number; end: number; url: string }> {
  if (!/\ssrcset\s*=/i.test(html)) return [];
  const found: Array<{ start: number; end: number; url: string }> = [];
  for (const element of htmlElements(html)) {
    const where = element.sourceCodeLocation?.attrs?.['srcset'];
    if (!where) continue;
    const { start, written } = attributeValue(html, where);
    for (const m of written.matchAll(/([^\s,]+)[^,]*(?:,|$)/g))
      found.push({ start: start + m.index, end: start + m.index + (m[1] as string).length, url: decodeString(m[1] as string) });
  }
  return found;
}

/** The text with each range's URL replaced where `relocate` gives another. */
function splice(text: string, ranges: readonly UrlRange[], relocate: (url: string) => string | undefined): string {
  const out: string[] = [];
  let at = 0;
  for (const { start, end, url, html } of ranges) {
    const moved = relocate(url);
    if (moved === undefined) continue;
    out.push(text.slice(at, start), html ? moved.replaceAll('&', '&amp;') : moved);
    at = end;
  }
  out.push(text.slice(at));
  return out.join('');
}

/** Text as part of a URL that a Markdown destination or an attribute holds as it is: the characters `unsafe` matches percent-encoded. */
function escapeUrl(text: string, unsafe: RegExp): string {
  return text.replace(unsafe, (c) => [...Buffer.from(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
}
