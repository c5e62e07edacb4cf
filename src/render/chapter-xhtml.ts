// A book tree (mdast) as an XHTML fragment: mdast-util-to-hast, then hast-util-to-xast and
// xast-util-to-xml, which write XML (every element closed, attributes quoted) as EPUB requires.
import type { Element, ElementContent, Root as HastRoot, RootContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { defaultSchema, sanitize, type Schema } from 'hast-util-sanitize';
import { toXast } from 'hast-util-to-xast';
import type { Html, Nodes, Parents, Root } from 'mdast';
import { type Handlers, toHast, type State } from 'mdast-util-to-hast';
import type { Element as XastElement, Root as XastRoot } from 'xast';
import { toXml } from 'xast-util-to-xml';
import { isComment } from '../segment/html-comments.js';
import { escapeXml } from '../text/escape.js';
import { VOID_ELEMENTS } from '../text/html-parts.js';

/** Containers whose raw HTML children are blocks of their own (elsewhere HTML is inline, within text). */
export const BLOCK_PARENTS = new Set(['root', 'blockquote', 'listItem', 'footnoteDefinition']);

/**
 * GitHub's cleaning, which keeps the text of the elements it removes but a script's: a style
 * sheet's text would show in the book as words, so it goes too.
 */
const BOOK_SCHEMA: Schema = {
  ...defaultSchema,
  // A picture's figure and its caption too (EPUB 3 has them): without them a caption runs into the text before it.
  tagNames: [...(defaultSchema.tagNames ?? []), 'figure', 'figcaption'],
  strip: [...(defaultSchema.strip ?? []), 'style'],
  attributes: withoutObsolete(defaultSchema.attributes ?? {}),
};

/**
 * The attributes of HTML 4 that HTML 5 made obsolete (`<div align="center">`, `<td width>`, as
 * READMEs and old CMS pages write them): GitHub keeps them, but an EPUB 3 with one is invalid.
 * A picture keeps its width and height, which HTML 5 has.
 */
function withoutObsolete(attributes: NonNullable<Schema['attributes']>): NonNullable<Schema['attributes']> {
  const obsolete = new Set([
    ...['align', 'axis', 'border', 'cellPadding', 'cellSpacing', 'char', 'charOff', 'charSet', 'clear', 'color', 'compact'],
    ...['frame', 'hSpace', 'height', 'longDesc', 'noHref', 'noShade', 'noWrap', 'rev', 'rules', 'size', 'summary', 'vAlign', 'width'],
  ]);
  const kept = Object.entries(attributes).map(([tag, list]) => [tag, list.filter((a) => !obsolete.has(typeof a === 'string' ? a : a[0]))]);
  const img = (attributes['img'] ?? []).filter((a) => a !== 'longDesc');
  return { ...Object.fromEntries(kept), img: [...img, 'width', 'height'] };
}

/** The element that holds a child's place while a sentence's inline HTML is parsed. */
const KEPT = 'diglot-kept';

/** The node that gathers a parent's children where they hold inline HTML (see `groupInlineHtml`). */
const INLINE_HTML = 'diglotInlineHtml';

/**
 * What inline HTML may leave in a sentence: GitHub's phrasing elements that XHTML 5 still has and
 * that stand alone (no `a`, whose link would not be resolved as a Markdown link is, no `img`,
 * `strike`, `tt` or ruby), with a title and a language tag; anything else is unwrapped to its text.
 * `diglot-kept` holds the place of the sentence's Markdown between the tags (see `inlineHtml`).
 */
const INLINE_SCHEMA: Schema = {
  ...BOOK_SCHEMA,
  tagNames: ['b', 'br', 'code', 'del', 'em', 'i', 'ins', 'kbd', 'q', 's', 'samp', 'span', 'strong', 'sub', 'sup', 'var', KEPT],
  attributes: { '*': ['title', ['lang', /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$/]], [KEPT]: ['dataKept'] },
  required: {},
};

/**
 * Where a link (`a href`) or picture (`img src`) of a raw HTML block points in the book, as the
 * book tree resolved it (see `book-tree.ts`): a link's href, a picture packed into the book, or
 * nothing (the link's text, the picture's alt text, stay). A remote picture is a link to it.
 */
export type HtmlUrl = { kind: 'href'; href: string } | { kind: 'picture'; href: string } | { kind: 'text' };

/** A raw HTML node's URLs as the book resolved them, kept in its `data`. */
export interface HtmlData {
  urls?: Record<string, HtmlUrl>;
  /** The German copy of a pair in the bilingual book: its ids are the English copy's, which links land on. */
  withoutIds?: boolean;
}

/** The chapter's content as XHTML elements, to be placed in the chapter's `<section>`. */
export function chapterXhtml(tree: Root): string {
  const handlers = { html: rawHtml, [INLINE_HTML]: (state: State, node: Parents) => inlineHtml(state, node) } as Handlers;
  const xast = toXast(toHast(groupInlineHtml(tree), { handlers })) as XastRoot;
  // The chapter document declares the XHTML namespace once, on <html>.
  for (const child of xast.children) if (child.type === 'element') delete child.attributes['xmlns'];
  uniqueIds(xast);
  escapeCdataEnd(xast);
  return `${toXml(xast, { allowDangerousXml: true })}\n`;
}

/**
 * Each id once in the chapter: a later element with an id taken before (raw HTML that repeats one, as
 * pasted CMS boxes do) gets a numbered one (`user-content-box-2`), as XHTML requires; links land on the first.
 */
function uniqueIds(root: XastRoot): void {
  const ids = (node: XastRoot | XastElement): string[] =>
    node.children.flatMap((child) =>
      child.type === 'element' ? [...(typeof child.attributes['id'] === 'string' ? [child.attributes['id']] : []), ...ids(child)] : [],
    );
  const taken = new Set(ids(root));
  const seen = new Set<string>();
  const visit = (node: XastRoot | XastElement): void => {
    for (const child of node.children) {
      if (child.type !== 'element') continue;
      const id = child.attributes['id'];
      // An id with white space is none in XHTML (raw HTML may write one): dropped.
      if (typeof id === 'string' && /\s/.test(id)) delete child.attributes['id'];
      else if (typeof id === 'string') {
        if (seen.has(id)) {
          let n = 2;
          while (taken.has(`${id}-${n}`)) n++;
          child.attributes['id'] = `${id}-${n}`;
          taken.add(`${id}-${n}`);
        } else seen.add(id);
      }
      visit(child);
    }
  };
  visit(root);
}

/**
 * `]]>` may not stand in XML text, and xast-util-to-xml escapes only `<` and `&` there: a text that
 * holds it is written as escaped raw XML (`>` as `&gt;`), the one kind of raw node in a chapter.
 */
function escapeCdataEnd(node: XastRoot | XastElement): void {
  node.children.forEach((child, i) => {
    if (child.type === 'element') escapeCdataEnd(child);
    else if (child.type === 'text' && child.value.includes(']]>'))
      node.children[i] = { type: 'raw', value: escapeXml(child.value) } as never;
  });
}

/**
 * The tree with the children of each parent that holds inline HTML (a paragraph, a heading, a cell,
 * an emphasis …) gathered under one node of their own, which {@link inlineHtml} renders: `<kbd>`
 * and `</kbd>` around a word make one `kbd`, as GitHub shows them. Parents without are the same
 * objects; the tree given is not changed.
 */
function groupInlineHtml<T extends Nodes>(node: T): T {
  if (!('children' in node)) return node;
  const children = (node.children as Nodes[]).map(groupInlineHtml);
  const changed = children.some((child, i) => child !== node.children[i]);
  const inline = !BLOCK_PARENTS.has(node.type) && children.some((c) => c.type === 'html' && !isComment(c));
  if (inline) return { ...node, children: [{ type: INLINE_HTML, children }] };
  return changed ? { ...node, children } : node;
}

/**
 * A parent's children with their inline HTML made into elements and cleaned. The tags and a
 * placeholder for each other child (its text and Markdown, rendered as usual) are parsed together
 * as HTML, cleaned with {@link INLINE_SCHEMA}, and each placeholder is replaced by its child: only
 * what the HTML itself brings is cleaned, never what the book made (links, notes, ids).
 */
function inlineHtml(state: State, node: Parents): ElementContent[] {
  const kept: ElementContent[][] = [];
  let html = '';
  for (const child of node.children) {
    if (child.type === 'html') {
      if (!isComment(child)) html += child.value;
      continue;
    }
    const made = state.one(child, node);
    kept.push(made === undefined ? [] : Array.isArray(made) ? made : [made as ElementContent]);
    html += `<${KEPT} data-kept="${kept.length - 1}"></${KEPT}>`;
  }
  const clean = sanitize(picturesAsText(fromHtml(html, { fragment: true })), INLINE_SCHEMA) as HastRoot;
  const restore = (children: readonly RootContent[]): ElementContent[] =>
    children.flatMap((child): ElementContent[] => {
      if (child.type === 'text') return [child];
      if (child.type !== 'element') return [];
      if (child.tagName === KEPT) return kept[Number(child.properties['dataKept'])] ?? [];
      return [{ ...child, children: restore(child.children) }];
    });
  return restore(clean.children);
}

/**
 * A sentence's inline pictures as their alt text, and its embedded pages and media as their title
 * (else their address): the cleaning would drop them whole, and a reader would miss the words.
 */
function picturesAsText<T extends HastRoot | ElementContent>(node: T): T {
  if (!('children' in node)) return node;
  const children = node.children.map((child): ElementContent | RootContent => {
    if (child.type !== 'element') return child;
    if (child.tagName === 'img') {
      const alt = child.properties['alt'];
      return { type: 'text', value: typeof alt === 'string' ? alt : '' };
    }
    const embed = embedOf(child);
    return embed ? { type: 'text', value: embed.name } : picturesAsText(child);
  });
  return { ...node, children } as T;
}

/**
 * Raw HTML. A comment is a note on the source, never published. A block that parses as HTML
 * cleanly (without an error, and without an element the parser made up: see {@link madeUp}) is
 * carried into the book, cleaned as GitHub cleans it (no scripts, styles or event
 * handlers; ids prefixed) and written as XML; anything else shows as the text it is (a `<strong>`
 * left open, which the parser carries on into the next paragraph, would put a paragraph in it and
 * make the chapter invalid). A tag within a sentence is no element by itself: {@link inlineHtml}
 * joins it to the others.
 */
function rawHtml(_state: State, node: Html, parent: Parents | undefined): ElementContent | ElementContent[] | undefined {
  if (isComment(node)) return undefined;
  if (!parent || !BLOCK_PARENTS.has(parent.type)) return { type: 'text', value: node.value };
  const children = cleanHtmlBlock(node.value);
  if (children === undefined)
    return { type: 'element', tagName: 'p', properties: { className: ['html'] }, children: [{ type: 'text', value: node.value }] };
  // Nothing left to show (a script, a style, an end tag alone): no empty block in the book.
  if (!children.some((child) => child.type === 'element' || child.value.trim() !== '')) return undefined;
  const data = node.data as HtmlData | undefined;
  const shown = withUrls(children, data?.urls ?? {});
  return { type: 'element', tagName: 'div', properties: { className: ['html'] }, children: data?.withoutIds ? withoutIds(shown) : shown };
}

/** A raw HTML block's elements and text as the book holds them; `undefined` when it does not parse cleanly (it shows as its text). */
function cleanHtmlBlock(html: string): ElementContent[] | undefined {
  let errors = 0;
  const parsed = fromHtml(html, {
    fragment: true,
    onerror: () => {
      errors++;
    },
  });
  if (errors > 0 || madeUp(parsed)) return undefined;
  const clean = captionsInPlace(withoutOpenContainers(sanitize(embedsAsLinks(picturesAsImages(parsed)), BOOK_SCHEMA) as HastRoot, html));
  return clean.children.filter((child): child is ElementContent => child.type === 'element' || child.type === 'text');
}

/**
 * The ids the elements of a Markdown text's raw HTML blocks have in the books, by the id as
 * written (`<div id="kasten">`): cleaned as GitHub cleans them, `user-content-kasten`. A link to
 * `#kasten` lands there, as on GitHub. Inline HTML keeps no ids (see `INLINE_SCHEMA`).
 */
export function htmlBlockIds(tree: Root): Map<string, string> {
  const ids = new Map<string, string>();
  const prefix = BOOK_SCHEMA.clobberPrefix ?? '';
  const collect = (nodes: readonly ElementContent[]): void => {
    for (const node of nodes) {
      if (node.type !== 'element') continue;
      const id = node.properties['id'];
      // Only an id a link can name as it is (letters, digits, `_ . -`): `a"b`, `50%` or `a#b` would make its href no URI.
      if (typeof id === 'string' && LINKABLE_ID.test(id) && id.startsWith(prefix) && !ids.has(id.slice(prefix.length)))
        ids.set(id.slice(prefix.length), id);
      collect(node.children);
    }
  };
  const visit = (node: Nodes): void => {
    if (!('children' in node)) return;
    for (const child of node.children as Nodes[])
      if (child.type !== 'html') visit(child);
      else if (BLOCK_PARENTS.has(node.type) && !isComment(child)) collect(cleanHtmlBlock(child.value) ?? []);
  };
  visit(tree);
  return ids;
}

/** An id a fragment names as it is written. */
const LINKABLE_ID = /^[\p{L}\p{N}_.-]+$/u;

/** Elements without their ids (`id`, and `name`, which an `a` may use as one). */
function withoutIds(nodes: ElementContent[]): ElementContent[] {
  return nodes.map((node) => {
    if (node.type !== 'element') return node;
    const { id: _id, name: _name, ...properties } = node.properties;
    return { ...node, properties, children: withoutIds(node.children) };
  });
}

/**
 * A `<picture>` as its `<img>`, the picture every reader can show: its `<source>` alternatives name
 * files by `srcset`, which the book neither packs nor points anywhere.
 */
function picturesAsImages<T extends HastRoot | ElementContent>(node: T): T {
  if (!('children' in node)) return node;
  const children = node.children.flatMap((child): Array<ElementContent | RootContent> => {
    if (child.type !== 'element') return [child];
    if (child.tagName === 'picture') return child.children.filter((c) => c.type === 'element' && c.tagName === 'img');
    return [picturesAsImages(child)];
  });
  return { ...node, children } as T;
}

/** Elements that embed another page or a medium, by the attribute that names it (see {@link embedsAsLinks}). */
export const EMBED_SOURCE: Readonly<Record<string, string>> = { iframe: 'src', embed: 'src', video: 'src', audio: 'src', object: 'data' };

/**
 * Embedded pages and media (a video's `<iframe>`, `<video src>`) as links to them, named by their
 * title: a book may not embed remote content, and cleaning would drop them without a trace.
 */
function embedsAsLinks<T extends HastRoot | ElementContent>(node: T): T {
  if (!('children' in node)) return node;
  const children = node.children.map((child): ElementContent | RootContent => {
    if (child.type !== 'element') return child;
    const embed = embedOf(child);
    if (embed?.url === undefined) return embedsAsLinks(child);
    return { type: 'element', tagName: 'a', properties: { href: embed.url }, children: [{ type: 'text', value: embed.name }] };
  });
  return { ...node, children } as T;
}

/** An embedded page or medium: its address, where it has one, and its name: its title, else its address. */
function embedOf(element: Element): { url: string | undefined; name: string } | undefined {
  const attribute = EMBED_SOURCE[element.tagName];
  if (attribute === undefined) return undefined;
  const source = element.properties[attribute];
  // Named by its title, else by the label a screen reader reads out, else by its address.
  const name = [element.properties['title'], element.properties['ariaLabel']].find((v) => typeof v === 'string' && v.trim() !== '');
  const url = typeof source === 'string' && source !== '' ? source : undefined;
  return { url, name: typeof name === 'string' ? name : (url ?? '') };
}

/** What a container left open holds that cannot stand without it: unwrapped with it. */
const UNWRAPPED = new Set(['thead', 'tbody', 'tfoot', 'tr', 'colgroup', 'col']);
/** What a container left open holds that is text of its own without it: a paragraph. */
const FREED = new Set(['summary', 'th', 'td', 'caption', 'li', 'dt', 'dd']);

/**
 * The tree without the elements the block opens and leaves open (`<details><summary>…</summary>`,
 * `<div class="hinweis">`, `<table><tr><td>`): their content follows as Markdown, as GitHub reads
 * a container with blank lines in it, and the book cannot hold it inside them (each block is
 * cleaned on its own). They are unwrapped to what they hold, so the book shows that content in its
 * order rather than an empty box before it; a `summary` so freed is a paragraph.
 */
function withoutOpenContainers(tree: HastRoot, html: string): HastRoot {
  const count = (pattern: string): number => html.match(new RegExp(pattern, 'gi'))?.length ?? 0;
  const open = new Map<string, boolean>();
  const isOpen = (tag: string): boolean => {
    if (!open.has(tag)) open.set(tag, !VOID_ELEMENTS.has(tag) && count(`<${tag}(?=[\\s/>])`) > count(`</${tag}\\s*>`));
    return open.get(tag) === true;
  };
  const unwrap = (children: readonly RootContent[], inOpen: boolean): RootContent[] =>
    children.flatMap((child): RootContent[] => {
      if (child.type !== 'element') return [child];
      // An element the parser made up inside one (the `tbody` of `<table><tr>`) goes with it, and so
      // does what only its container may hold: a row, or the rows' groups, freed from their table.
      if (isOpen(child.tagName) || (inOpen && (child.position === undefined || UNWRAPPED.has(child.tagName))))
        return unwrap(child.children, true);
      // A summary, a cell or an item so freed is a paragraph.
      const freed = inOpen && FREED.has(child.tagName);
      return [
        { ...child, ...(freed ? { tagName: 'p', properties: {} } : {}), children: unwrap(child.children, false) as ElementContent[] },
      ];
    });
  return { ...tree, children: unwrap(tree.children, false) };
}

/**
 * The tree with each `figcaption` where XHTML allows one, its `figure`'s first or last element;
 * anywhere else (a caption between two pictures, or outside a figure) it becomes a `div`.
 */
function captionsInPlace(tree: HastRoot): HastRoot {
  const stack: Array<HastRoot | ElementContent> = [tree];
  while (stack.length > 0) {
    const node = stack.pop() as HastRoot | ElementContent;
    if (!('children' in node)) continue;
    const elements = (node.children as RootContent[]).filter((c): c is Element => c.type === 'element');
    for (const [i, child] of elements.entries()) {
      const placed = node.type === 'element' && node.tagName === 'figure' && (i === 0 || i === elements.length - 1);
      if (child.tagName === 'figcaption' && !placed) child.tagName = 'div';
    }
    stack.push(...(node.children as ElementContent[]));
  }
  return tree;
}

/**
 * Whether the parser made up an element the source does not write: a copy of a formatting tag left
 * open, carried on past where its parent closed. A copy starts where its original does.
 */
function madeUp(tree: HastRoot): boolean {
  const starts = new Set<number>();
  const stack: Array<HastRoot | ElementContent> = [tree];
  while (stack.length > 0) {
    const node = stack.pop() as HastRoot | ElementContent;
    if (node.type === 'element') {
      const start = node.position?.start.offset;
      if (start !== undefined && starts.has(start)) return true;
      if (start !== undefined) starts.add(start);
    }
    if ('children' in node) stack.push(...(node.children as ElementContent[]));
  }
  return false;
}

/**
 * Links and pictures of raw HTML pointed where the book resolved them (`urls`): a picture at its
 * file in the book, or a link to it when it is on the web, else its alt text; a link at its target,
 * else its text. A URL not resolved is taken as pointing nowhere, so no book holds a dead reference.
 */
function withUrls(children: readonly ElementContent[], urls: Readonly<Record<string, HtmlUrl>>): ElementContent[] {
  return children.flatMap((child): ElementContent[] => {
    if (child.type !== 'element') return [child];
    const inner = withUrls(child.children, urls);
    if (child.tagName === 'img') {
      const { src, alt, ...rest } = child.properties;
      const to = typeof src === 'string' ? urls[src] : undefined;
      const altText = typeof alt === 'string' ? alt : '';
      if (to?.kind === 'picture') return [{ ...child, properties: { src: to.href, alt: altText, ...rest } }];
      if (to?.kind === 'href')
        return [{ type: 'element', tagName: 'a', properties: { href: to.href }, children: [{ type: 'text', value: altText || to.href }] }];
      return altText === '' ? [] : [{ type: 'text', value: altText }];
    }
    if (child.tagName === 'a' && child.properties['href'] !== undefined) {
      const { href, ...rest } = child.properties;
      const to = typeof href === 'string' ? urls[href] : undefined;
      // The href first: the book finds links to other articles by it (see `epub.ts`).
      return to?.kind === 'href' ? [{ ...child, properties: { href: to.href, ...rest }, children: inner }] : inner;
    }
    return [{ ...child, children: inner }];
  });
}
