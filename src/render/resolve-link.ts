// Where a link or image of an article points in a book: an id in the same chapter, another
// article's chapter, the web, a picture packed into the book, or nowhere (kept as text).
import path from 'node:path';
import GithubSlugger from 'github-slugger';
import type { VolumesSetting } from '../config/config.js';
import type { Nodes } from 'mdast';
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import type { PictureType, Segment, SegmentedDocument, SourceDocument, VolumePlan } from '../model.js';
import { BLOCK_PARENTS, EMBED_SOURCE, htmlBlockIds } from './chapter-xhtml.js';
import { titleHeading } from '../segment/article-title.js';
import { parseMarkdown } from '../segment/parse-markdown.js';
import { markdownToPlain } from '../segment/target-format.js';
import { sha256 } from '../util/hash.js';
import { planVolumes } from './plan-volumes.js';
import { detached } from '../util/detached.js';

/** What every chapter's links and pictures may point to: the articles by source path, with their headings' ids, and the files. */
export interface LinkTargets {
  /**
   * By the source's path relative to the root, `/`-separated. With volumes, `volume` is the
   * article's (an index into `volumes.volumes`) and `site` its path under the sources folder.
   */
  articles: Map<string, ArticleTarget>;
  /** The volumes of the edition when the config splits it (`volumes`): a link between two volumes leaves the book. */
  volumes?: VolumePlan;
  /** Site-relative links (`/docs/x`) are made absolute against this; without it they become text. */
  baseUrl?: string;
  /** What a picture file (relative to the root) holds: a local picture is packed only when it is of a type a book shows. */
  picture: (file: string) => PictureType;
}

/**
 * An article a link may point to: its id, the ids of its headings and raw HTML elements in the
 * books (by the id a link names), its headings, its volume and its path on the site.
 */
export interface ArticleTarget {
  id: string;
  slugs: Map<string, string>;
  headings: Segment[];
  volume?: number;
  site?: string;
}

/** Where a link points in a book; `text` (with the reason) when it would point nowhere. */
export type ResolvedLink =
  | { kind: 'href'; href: string }
  | { kind: 'article'; id: string; fragment: string | undefined }
  | { kind: 'text'; why: string };

/** What a book shows for a picture; `text` (its alt text, with the reason) when it cannot show the picture. */
export type ResolvedImage =
  | { kind: 'local'; file: string; href: string; mediaType: string }
  | { kind: 'remote'; href: string }
  | { kind: 'text'; why: string };

/** An HTML tag with an `id` attribute, somewhere in a text: only then are its raw HTML blocks searched for ids. */
const HTML_ID = /<[a-z][^>]*\sid\s*=/i;

/** The id of a chapter's title in the books. */
export const CHAPTER_TITLE_ID = 'x-title';

/** The extension of a picture in the book, by its media type (one a reading system must show: EPUB 3's core media types). */
const IMAGE_EXTENSIONS: Record<string, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/svg+xml': '.svg',
};

/**
 * Ids of an article's headings, as the source's renderer makes them (an id the heading gives itself, `{#id}`, else GitHub's slugs, numbered
 * when repeated), by segment id. Worked out from the German: links in the sources point at them,
 * and the English book keeps them so that those links still land.
 */
export function headingSlugs(segments: readonly Segment[]): Map<string, string> {
  const slugger = new GithubSlugger();
  const slugs = new Map<string, string>();
  for (const s of segments) if (s.body && s.kind === 'heading') slugs.set(s.id, s.headingId ?? slugger.slug(s.plain));
  return slugs;
}

/**
 * The id a Markdown renderer gives each English heading (GitHub's slugs, numbered when repeated), by
 * the German heading's (see {@link headingSlugs}). A heading with an id of its own (`{#id}`, kept
 * after its English) keeps it: links to it stay as written; one without English yet has none.
 */
export function englishSlugs(segments: ReadonlyArray<{ segment: Segment; target: string | undefined }>): Map<string, string> {
  const german = headingSlugs(segments.map((t) => t.segment));
  const slugger = new GithubSlugger();
  const slugs = new Map<string, string>();
  for (const t of segments) {
    const was = german.get(t.segment.id);
    if (was === undefined || t.target === undefined || t.segment.headingId !== undefined) continue;
    slugs.set(was, slugger.slug(t.segment.markdown ? markdownToPlain(t.target) : t.target));
  }
  return slugs;
}

/** The English Markdown's id of another article's heading, by the German's; `undefined` while its English is not known. */
export function englishFragment(
  target: Pick<ArticleTarget, 'headings'>,
  fragment: string,
  english: (segment: Segment) => string | undefined,
): string | undefined {
  return englishSlugs(target.headings.map((segment) => ({ segment, target: english(segment) }))).get(fragment);
}

/** Ids a chapter gives itself (its own and its title's, its notes' and their references'): no heading takes one. */
const CHAPTER_OWN_ID = /^(?:x-chapter|x-title|fn-\d+|fnref-\d+(?:-de)?(?:-\d+)?)$/;

/**
 * The id each heading has in the books (see {@link headingSlugs}), by its segment id (`bySegment`),
 * and the id a link to a slug lands on (`bySlug`: the first heading's with it, as in a browser): the
 * slug, but the chapter title's is {@link CHAPTER_TITLE_ID}, and a heading whose slug is empty
 * (`## 🎉`), taken (a second `{#id}` the same, or a `{#id}` a slug made before) or an id the chapter gives itself
 * (`## Fn 1`) has one made from its segment id (`h-…`), so that every id of a chapter is valid and its own.
 */
export function bookHeadingIds(
  segments: readonly Segment[],
  title: string | undefined,
): { bySlug: Map<string, string>; bySegment: Map<string, string> } {
  const bySlug = new Map<string, string>();
  const bySegment = new Map<string, string>();
  const used = new Set<string>();
  for (const [segmentId, slug] of headingSlugs(segments)) {
    const own = slug === '' || used.has(slug) || CHAPTER_OWN_ID.test(slug);
    const id = segmentId === title ? CHAPTER_TITLE_ID : own ? `h-${segmentId}` : slug;
    if (!bySlug.has(slug)) bySlug.set(slug, id);
    bySegment.set(segmentId, id);
    used.add(id);
  }
  return { bySlug, bySegment };
}

/**
 * The ids an article's raw HTML elements give themselves (`<div id="kasten">`), by the id a link
 * names, as the books write them (see `htmlBlockIds`): targets too, after its headings' slugs.
 * An article without such a tag is not parsed.
 */
export function htmlIds(doc: SourceDocument): Map<string, string> {
  return doc.format === 'md' && HTML_ID.test(doc.text) ? htmlBlockIds(parseMarkdown(doc.text)) : new Map();
}

/**
 * The link targets of a build: every article's path and heading ids, how to tell what a picture
 * file holds and, when `split.volumes` is set, which volume each article is in (see `plan-volumes.ts`).
 */
export function linkTargets(
  articles: readonly SegmentedDocument[],
  picture: (file: string) => PictureType,
  baseUrl?: string,
  split?: { volumes?: VolumesSetting | undefined; sources: string },
): LinkTargets {
  // The site's address is a folder: an article's path goes under it (`…/artikel` + `a.md` is `…/artikel/a.md`).
  const site = baseUrl && !baseUrl.endsWith('/') ? `${baseUrl}/` : baseUrl;
  const targets: LinkTargets = { articles: new Map(), picture, ...(site ? { baseUrl: site } : {}) };
  const plan = split?.volumes
    ? planVolumes(
        articles.map((a) => ({ id: a.doc.id, date: a.doc.meta.date })),
        split.volumes,
      )
    : undefined;
  if (plan) targets.volumes = plan;
  for (const a of articles) {
    const slugs = bookHeadingIds(a.segments, titleHeading(a)).bySlug;
    for (const [written, id] of htmlIds(a.doc)) if (!slugs.has(written)) slugs.set(written, id);
    const file = toPosix(a.doc.path);
    const volume = plan?.byArticle.get(a.doc.id);
    const site = split ? path.posix.relative(toPosix(path.normalize(split.sources)), file) : undefined;
    // Its headings, for the English Markdown's links into it (their English is known only as the build goes):
    // copies, kept to the end of the build, that do not keep the article's text.
    const headings = detached(a.segments.filter((s) => s.body && s.kind === 'heading'));
    targets.articles.set(file, { id: a.doc.id, slugs, headings, ...(volume === undefined ? {} : { volume, site }) });
  }
  return targets;
}

/**
 * How every link and picture of an article resolves against `targets` (its URLs, each with where
 * it points as a link and as a picture), as one string: what a kept chapter depends on besides the
 * article itself. Empty for an article without link or picture syntax, which depends on nothing else.
 */
export function linkResolutions(
  article: SegmentedDocument,
  targets: LinkTargets,
  /** A segment's English now: a link to another article's heading depends on that heading's English (in the English Markdown). */
  english?: (segment: Segment) => string | undefined,
): string {
  const { doc } = article;
  if (doc.format !== 'md' || !/\][(:[]|<(?:a|img|iframe|embed|video|audio|object)\s/i.test(doc.text)) return '';
  const urls = new Set<string>();
  // Markdown's links and pictures, and those of raw HTML, in a block or within a sentence.
  const walk = (node: Nodes): void => {
    if ('url' in node) urls.add(node.url);
    if (node.type === 'html') for (const { url } of htmlUrls(node.value)) urls.add(url);
    if ('children' in node) for (const child of node.children) walk(child);
  };
  walk(parseMarkdown(doc.text));
  const none = new Map<string, string>();
  const inEnglish = (url: string): string | null => {
    const linked = english && headingOfArticle(url, doc.path, targets);
    return (linked && english && englishFragment(linked.target, linked.fragment, english)) ?? null;
  };
  return JSON.stringify(
    [...urls].map((url) => [url, resolveLink(url, doc.path, none, targets), resolveImage(url, doc.path, targets.picture), inEnglish(url)]),
  );
}

/**
 * The links (`a href`) and pictures (`img src`) of an article's raw HTML blocks, with their lines
 * in the source; none in an article without such tags (it is not parsed again).
 */
export function htmlReferences(doc: SourceDocument): HtmlReference[] {
  if (doc.format !== 'md' || !/<(?:a|img|iframe|embed|video|audio|object)\s/i.test(doc.text)) return [];
  const found: HtmlReference[] = [];
  // Through every parent (a list holds the items whose HTML is a block); HTML within a sentence is no block.
  const inMarkdown = (node: Nodes): void => {
    if (!('children' in node)) return;
    for (const child of node.children as Nodes[]) {
      if (child.type !== 'html') inMarkdown(child);
      else if (BLOCK_PARENTS.has(node.type))
        for (const { tag, url, line } of htmlUrls(child.value))
          found.push({ tag, url, line: (child.position?.start.line ?? 1) + line - 1 });
    }
  };
  inMarkdown(parseMarkdown(doc.text));
  return found;
}

/** A link (`a href`) or picture (`img src`) of raw HTML, with its line. */
export interface HtmlReference {
  tag: 'a' | 'img';
  url: string;
  line: number;
}

/** A link or picture of an HTML fragment, with where its URL is written in the fragment (the attribute's value, within any quotes). */
export interface HtmlUrl extends HtmlReference {
  start: number;
  end: number;
}

/** The links and pictures of an HTML fragment, in document order, each at its line and offsets in the fragment. */
export function htmlUrls(html: string): HtmlUrl[] {
  const found: HtmlUrl[] = [];
  for (const element of htmlElements(html)) {
    // An embedded page or medium (`<iframe src>`) is a link in the books (see `embedsAsLinks`).
    const name = element.tagName === 'a' ? 'href' : element.tagName === 'img' ? 'src' : EMBED_SOURCE[element.tagName];
    const url = element.attrs.find((a) => a.name === name)?.value;
    const where = name === undefined ? undefined : element.sourceCodeLocation?.attrs?.[name];
    if (url === undefined || !where) continue;
    const { start, written } = attributeValue(html, where);
    found.push({
      tag: element.tagName === 'img' ? 'img' : 'a',
      url,
      line: element.sourceCodeLocation?.startLine ?? 1,
      start,
      end: start + written.length,
    });
  }
  return found;
}

/** The elements of an HTML fragment, in document order, each with where it and its attributes are written. */
export function htmlElements(html: string): Array<DefaultTreeAdapterMap['element']> {
  const found: Array<DefaultTreeAdapterMap['element']> = [];
  const visit = (nodes: readonly DefaultTreeAdapterMap['childNode'][]): void => {
    for (const node of nodes) {
      if (!('tagName' in node)) continue;
      found.push(node);
      visit(node.childNodes);
    }
  };
  visit(parseFragment(html, { sourceCodeLocationInfo: true }).childNodes);
  return found;
}

/**
 * An attribute's value as written in the HTML it was parsed from (`src="x"`, `src='x'`, `src=x`,
 * `src`), character references as they stand, and where it starts: after the `=`, within any quotes.
 */
export function attributeValue(html: string, where: { startOffset: number; endOffset: number }): { start: number; written: string } {
  const value = /=\s*(["']?)(.*)\1$/s.exec(html.slice(where.startOffset, where.endOffset));
  const written = value?.[2] ?? '';
  return { start: where.endOffset - (value?.[1] ?? '').length - written.length, written };
}

/** The heading ids of the article at `file` (its source path), as in-page links name them. */
export function headingIds(targets: LinkTargets, file: string): ReadonlyMap<string, string> {
  return targets.articles.get(toPosix(file))?.slugs ?? new Map();
}

/**
 * A link's target in the book of the article at `from` (its source path). An in-page fragment
 * points at the id `ids` gives it (a heading's); a link to another source article points at its chapter (and heading);
 * web and mail links stay; a site-relative link is made absolute against `baseUrl`; anything else
 * (a fragment that names nothing, a relative file that is no article, another scheme) becomes text,
 * so that no link in a book points nowhere.
 */
export function resolveLink(url: string, from: string, ids: ReadonlyMap<string, string>, targets: LinkTargets): ResolvedLink {
  if (url.startsWith('#')) {
    const id = ids.get(decode(url.slice(1)));
    return id === undefined
      ? { kind: 'text', why: 'no heading or HTML element of this article has that id' }
      : { kind: 'href', href: `#${id}` };
  }
  if (/^(?:https?:|mailto:)/i.test(url)) return { kind: 'href', href: url };
  if (url.startsWith('//')) return { kind: 'href', href: `https:${url}` };
  if (url.startsWith('/'))
    return targets.baseUrl
      ? { kind: 'href', href: new URL(url, targets.baseUrl).href }
      : { kind: 'text', why: 'it is site-relative: set "baseUrl" in diglot.config.json to link it' };
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return { kind: 'text', why: 'only http, https and mailto links are kept' };
  const [file = '', fragment] = splitFragment(url);
  const target = targets.articles.get(relativeFile(from, file));
  if (!target) return { kind: 'text', why: 'it names no article of the sources' };
  const slug = fragment === undefined ? undefined : target.slugs.get(decode(fragment));
  const here = targets.articles.get(toPosix(from))?.volume;
  if (target.volume !== undefined && here !== undefined && target.volume !== here) {
    // Books cannot link into one another: the article on the site, or its text.
    const other = targets.volumes?.volumes[target.volume]?.label ?? 'another volume';
    if (!targets.baseUrl)
      return { kind: 'text', why: `it points into another volume (${other}): set "baseUrl" in diglot.config.json to link it to the site` };
    // The heading as the link names it, which is its id on the site (in a book, the chapter's title has its own).
    const at = fragment === undefined ? '' : `#${encodeURIComponent(decode(fragment))}`;
    return { kind: 'href', href: new URL(`${encodeURI(target.site ?? '')}${at}`, targets.baseUrl).href };
  }
  return { kind: 'article', id: target.id, fragment: slug };
}

/**
 * An image's place in the book: a local picture whose content is of a core media type (asked of
 * `picture`, given its path relative to the root) is packed under `images/`, named for that type; a
 * picture on the web is not fetched (a book holds no remote resources), so it becomes a link; the rest text.
 */
export function resolveImage(url: string, from: string, picture: (file: string) => PictureType): ResolvedImage {
  if (/^https?:/i.test(url)) return { kind: 'remote', href: url };
  if (url.startsWith('//')) return { kind: 'remote', href: `https:${url}` };
  if (url === '' || url.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(url))
    return { kind: 'text', why: 'only pictures beside the sources or on the web can be shown' };
  const [name = ''] = splitFragment(url.split('?')[0] as string);
  const file = relativeFile(from, name);
  // Outside the project: not read, whether it exists or not (a book is made of the project's files).
  if (file.startsWith('../'))
    return { kind: 'text', why: `${name} lies outside the project: copy it beside the sources (or into a folder of them)` };
  const mediaType = picture(file);
  if (mediaType === 'missing') return { kind: 'text', why: `${file} does not exist` };
  if (mediaType === 'not-a-file') return { kind: 'text', why: `${file} is not a file (a folder, a pipe or a device)` };
  if (mediaType === 'outside')
    return { kind: 'text', why: `${file} is a link to a file outside the project: copy the picture beside the sources` };
  if (mediaType === 'other')
    return { kind: 'text', why: `a book shows PNG, JPEG, GIF and SVG pictures only, and ${file} holds none of them` };
  if (mediaType === 'svg-unfit')
    return {
      kind: 'text',
      why:
        `${file} is an SVG no EPUB may hold (a script, an event handler, a remote or external reference, or no SVG namespace): ` +
        'save it as plain SVG without them',
    };
  return { kind: 'local', file, href: `images/${sha256(file, 16)}${IMAGE_EXTENSIONS[mediaType]}`, mediaType };
}

/**
 * The article of the sources a relative link points into, and the heading (its German id, decoded)
 * it names there; `undefined` for any other link (in-page, to the web, to an article as a whole).
 */
export function headingOfArticle(url: string, from: string, targets: LinkTargets): { target: ArticleTarget; fragment: string } | undefined {
  if (url.startsWith('#') || url.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(url)) return undefined;
  const [file = '', fragment] = splitFragment(url);
  if (fragment === undefined || file === '') return undefined;
  const target = targets.articles.get(relativeFile(from, file));
  return target && { target, fragment: decode(fragment) };
}

/** The file a relative URL names from the source at `from`, as a path from the root (`/`-separated, its escapes undone). */
export function relativeFile(from: string, url: string): string {
  return path.posix.normalize(path.posix.join(path.posix.dirname(toPosix(from)), decode(url)));
}

function splitFragment(url: string): [string, string | undefined] {
  const hash = url.indexOf('#');
  return hash < 0 ? [url, undefined] : [url.slice(0, hash), url.slice(hash + 1)];
}

/** A path with `/` between its parts, whatever the platform's separator. */
export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** A URL's percent-encoding undone; the text as it is where it is not valid. */
export function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
