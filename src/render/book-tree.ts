// One book's tree of an article: the German document tree with the English put in (English book)
// or set beside the German at each node that holds text (bilingual book), annotated for mdast-util-to-hast.
import type {
  Blockquote,
  FootnoteDefinition,
  Heading,
  Html,
  ListItem,
  Nodes,
  Paragraph,
  Parents,
  PhrasingContent,
  Root,
  Table,
  TableCell,
  Text,
} from 'mdast';
import type { Properties } from 'hast';
import type { TranslatedArticle, TranslatedSegment } from '../model.js';
import { articleTitle, titleHeading } from '../segment/article-title.js';
import { parseInSegment, plainText } from '../segment/parse-markdown.js';
import { htmlParts, htmlPlain, saidInHtml } from '../text/html-parts.js';
import { CONTINUATION_PREFIX, HEADING_ID } from '../segment/segment-markdown.js';
import { splitLines } from '../segment/split-lines.js';
import { DIV_OPEN, onlySyntax } from '../segment/dialect-syntax.js';
import { segmentsFinder } from './article-tree.js';
import type { HtmlUrl } from './chapter-xhtml.js';
import { bookHeadingIds, CHAPTER_TITLE_ID, htmlIds, htmlUrls, resolveImage, resolveLink, type LinkTargets } from './resolve-link.js';

export type Book = 'bilingual' | 'english';

/** What a book's tree needs besides the article. */
export interface BookOptions {
  book: Book;
  /** Language tags of the German and the English passages. */
  de: string;
  en: string;
  targets: LinkTargets;
  /** Each segment's English as inline content (see {@link englishPhrasing}), shared by the books: it is not changed. */
  english: ReadonlyMap<TranslatedSegment, PhrasingContent[]>;
}

/** Each segment's English as inline content: parsed once (as Markdown for a Markdown source) for both books. */
export function englishPhrasing(article: TranslatedArticle): Map<TranslatedSegment, PhrasingContent[]> {
  const english = new Map<TranslatedSegment, PhrasingContent[]>();
  for (const t of article.segments) {
    const target = t.target ?? '';
    english.set(t, (t.segment.markdown ? parseInSegment(target, t.segment) : undefined) ?? [text(target)]);
  }
  return english;
}

/** A picture the chapter shows: the file to pack, its name in the book and media type. */
export interface BookImage {
  file: string;
  href: string;
  mediaType: string;
}

/** Where a link to another article points until the book knows that article's chapter file. */
export const ARTICLE_HREF = 'diglot:article/';

/** A valid XML id (NCName) from arbitrary text: `prefix-` followed by `[A-Za-z0-9_-]`. */
export function xmlId(prefix: string, raw: string): string {
  const body = raw.replace(/[^A-Za-z0-9_-]/g, '_');
  return `${prefix}-${body === '' ? '_' : body}`;
}

type TextHolder = Heading | Paragraph | TableCell;

/**
 * The article's tree for one book. Each paragraph, heading, table cell and note paragraph that
 * holds a segment gets its English: in the English book in place of the German, in the bilingual
 * book beside it (a `div.pair` of German then English, or both in the cell), each passage marked
 * with its language; the structure around them (lists and their numbering, tables, quotes, code)
 * stays as the source has it, once. Headings keep the ids the source's renderer gives them, so
 * in-page links still land; links and pictures are resolved for the book (see `resolve-link.ts`);
 * footnotes become EPUB notes after the text. `tree` is the article's German tree and is changed.
 */
export function bookTree(tree: Root, article: TranslatedArticle, options: BookOptions): { tree: Root; images: BookImage[] } {
  const make = new BookMaker(article, options);
  make.fill(tree);
  make.notes(tree);
  return { tree, images: [...make.images.values()] };
}

class BookMaker {
  readonly images = new Map<string, BookImage>();
  /** The segment a node of the tree holds. */
  private readonly segmentsOf: (node: Nodes) => TranslatedSegment[];
  /** Paragraphs made of one segment each of a paragraph that holds several (see {@link split}), with their segment. */
  private readonly madeFor = new WeakMap<Nodes, TranslatedSegment>();
  /** In-page fragment (a heading's slug) → the id in this chapter a link to it lands on. */
  private readonly fragments: Map<string, string>;
  /** Each heading's id in this chapter, by its segment id. */
  private readonly headingIds: Map<string, string>;
  private readonly used = new Set<string>(['x-chapter', CHAPTER_TITLE_ID]);
  private readonly titleSegment: string | undefined;
  private readonly levels = new HeadingLevels();
  /** Link reference definitions by identifier: the first of each, as CommonMark takes it. */
  private readonly definitions = new Map<string, { url: string; title: string | null | undefined }>();
  private readonly footnotes = new Map<string, FootnoteDefinition>();
  private readonly noteNumbers = new Map<string, number>();
  /** The ids a note's back-links return to, by note number: its English references, in order (the German ones where there are none). */
  private readonly backTo = new Map<number, { german: boolean; ids: string[] }>();

  constructor(
    private readonly article: TranslatedArticle,
    private readonly options: BookOptions,
  ) {
    this.segmentsOf = segmentsFinder(article);
    const title = articleTitle(article);
    // A one-sentence lead that is the whole text stays in the text too: a chapter is never only its title.
    // (A footnote's text is no text of its own: without its reference in the lead it would be lost.)
    const body = article.segments.filter((t) => t.segment.body && t.segment.kind !== 'footnote');
    const alone = body.length === 1 && body[0]?.segment.kind !== 'heading';
    // Nor does a lead with markup (emphasis, a link, a note's reference) leave the text: the title shows it as plain text.
    const lead = article.segments.find((t) => t.segment.id === title.segmentId)?.segment;
    const plain = lead !== undefined && (!lead.markdown || (lead.phrasing?.every((n) => n.type === 'text') ?? false));
    this.titleSegment = titleHeading(article.article) ?? (title.whole && !alone && plain ? title.segmentId : undefined);
    const ids = bookHeadingIds(
      article.segments.map((t) => t.segment),
      this.titleSegment,
    );
    this.fragments = ids.bySlug;
    for (const [written, id] of htmlIds(article.article.doc)) if (!this.fragments.has(written)) this.fragments.set(written, id);
    this.headingIds = ids.bySegment;
    for (const id of this.headingIds.values()) this.used.add(id);
  }

  /** Puts the English into every node that holds a segment, depth first, in document order. */
  fill(tree: Root): void {
    this.collect(tree);
    this.fillChildren(tree);
  }

  /**
   * Puts the footnotes' texts at the end, as EPUB notes, numbered in the order they are first
   * referred to in this book; a note nothing in the book refers to is left out, as the source's renderer does.
   */
  notes(tree: Root): void {
    const ordered = [...this.noteNumbers].sort((a, b) => a[1] - b[1]);
    for (const [identifier, n] of ordered) {
      const definition = this.footnotes.get(identifier) as FootnoteDefinition;
      // One back-link per reference: the first says the note's number, the others which place they return to (1.2, 1.3).
      const back = this.backTo.get(n)?.ids ?? [];
      const backlink: Paragraph = {
        type: 'paragraph',
        data: { hProperties: { className: ['backlink'] } },
        children: back.flatMap((id, k) => [
          ...(k > 0 ? [text(' ')] : []),
          link(`#${id}`, [text(k === 0 ? String(n) : `${n}.${k + 1}`)], {
            role: 'doc-backlink',
            ariaLabel: k === 0 ? `Back to reference ${n}` : `Back to reference ${n}, place ${k + 1}`,
          }),
        ]),
      };
      tree.children.push({
        type: 'blockquote',
        data: { hName: 'aside', hProperties: { id: `fn-${n}`, className: ['note'], 'epub:type': 'footnote', role: 'doc-footnote' } },
        children: [backlink, ...definition.children],
      });
    }
  }

  /** Link definitions and footnotes (taken out of the flow), in document order. */
  private collect(node: Parents): void {
    const kept: Nodes[] = [];
    for (const child of node.children as Nodes[]) {
      if (child.type === 'definition') {
        const identifier = child.identifier.toUpperCase();
        if (!this.definitions.has(identifier)) this.definitions.set(identifier, { url: child.url, title: child.title });
      }
      if (child.type === 'footnoteDefinition') {
        const id = child.identifier.toUpperCase();
        if (!this.footnotes.has(id)) this.footnotes.set(id, child);
      } else kept.push(child);
      if ('children' in child) this.collect(child);
    }
    (node as { children: Nodes[] }).children = kept;
  }

  private fillChildren(node: Parents): void {
    const children = node.children as Nodes[];
    for (let i = 0; i < children.length; i++) {
      const child = children[i] as Nodes;
      const held = this.madeFor.has(child) ? [] : this.segmentsOf(child);
      if (child.type === 'paragraph' && (held.length > 1 || this.holdsMore(child, held))) {
        children.splice(i--, 1, ...this.split(child, held));
        continue;
      }
      const t = this.madeFor.get(child) ?? held[0];
      if (t && t.segment.id === this.titleSegment && node.type === 'root') {
        // The chapter's <h1> shows the title: it is not repeated in the text.
        children.splice(i--, 1);
        continue;
      }
      // A dialect's syntax alone (`{: .lead}`, a div's `:::`, `[!NOTE]`) is no text of the article.
      if (child.type === 'paragraph' && !t && onlySyntax(plainText(child))) {
        children.splice(i--, 1);
        continue;
      }
      if (child.type === 'table') alignByClass(child);
      // A loose list (a blank line between any two items) has paragraphs in every item, as mdast-util-to-hast renders it.
      if (child.type === 'list' && (child.spread || child.children.some((item) => item.spread ?? item.children.length > 1)))
        for (const item of child.children) item.spread = true;
      if (child.type === 'heading' && !t) {
        // A heading without text (a `#` alone) is nothing to show; one of a picture only keeps its place among the levels.
        if (child.children.length === 0) {
          children.splice(i--, 1);
          continue;
        }
        child.depth = this.levels.next(child.depth) as Heading['depth'];
      }
      if (child.type === 'html') this.fillHtml(child, node, t);
      else if (t) this.fillHolder(child as TextHolder, t, node);
      else if ('children' in child) this.fillChildren(child);
    }
    // The footnotes' paragraphs are texts too.
    if (node.type === 'root') for (const definition of this.footnotes.values()) this.fillChildren(definition);
  }

  /**
   * A raw HTML block that is a segment: its English HTML in the English book; in the bilingual book
   * a pair, the German block then the English, each in a `div` marked with its language (the
   * chapter's raw HTML handler then cleans and writes each block).
   */
  private fillHtml(node: Html, parent: Parents, t: TranslatedSegment | undefined): void {
    if (t?.target === undefined) {
      // Not translated: a block without words of its own (a picture, say) is the same in both
      // languages, shown once; one with German words (`translateHtml` off) is marked German.
      this.resolveHtml(node, 'en');
      const parts = htmlParts(node.value);
      const words = parts ? htmlPlain(parts) : node.value.replace(/<[^>]*>/g, ' ');
      if (/\p{L}/u.test(words)) {
        const { de } = this.options;
        const german: Blockquote = {
          type: 'blockquote',
          data: { hName: 'div', hProperties: { lang: de, xmlLang: de } },
          children: [node as never],
        };
        const siblings = parent.children as Nodes[];
        siblings[siblings.indexOf(node)] = german;
      }
      return;
    }
    const { book, de, en } = this.options;
    const english: Html = { type: 'html', value: t.target };
    this.resolveHtml(english, 'en');
    if (book === 'english') {
      node.value = english.value;
      node.data = english.data;
      return;
    }
    const german: Html = { type: 'html', value: node.value };
    this.resolveHtml(german, 'de');
    german.data = { ...german.data, withoutIds: true } as Html['data'];
    const passage = (html: Html, side: 'de' | 'en', tag: string): Blockquote => ({
      type: 'blockquote',
      data: { hName: 'div', hProperties: { className: [side], lang: tag, xmlLang: tag } },
      children: [html as never],
    });
    const pair: Blockquote = {
      type: 'blockquote',
      data: { hName: 'div', hProperties: { className: ['pair', 'html'], id: this.uniqueId(xmlId('s', t.segment.id)) } },
      children: [passage(german, 'de', de), passage(english, 'en', en)],
    };
    const siblings = parent.children as Nodes[];
    siblings[siblings.indexOf(node)] = pair;
  }

  /**
   * A paragraph a dialect writes several texts in (a callout's title and body, a term and its
   * definitions, text around display math) as a paragraph for each, of its German; what stands
   * between or after them that is not the dialect's markers (the math, as written) a paragraph of its own.
   */
  private split(node: Paragraph, segments: readonly TranslatedSegment[]): Paragraph[] {
    const out: Paragraph[] = [];
    segments.forEach((t, k) => {
      const paragraph: Paragraph = { type: 'paragraph', children: [...(t.segment.phrasing ?? [text(t.segment.plain)])] };
      this.madeFor.set(paragraph, t);
      out.push(paragraph);
      const between = this.between(t, segments[k + 1], node);
      if (between !== '') out.push({ type: 'paragraph', children: [text(between)] });
    });
    return out;
  }

  /** Whether a paragraph holds text after its only segment that is no dialect's marker (display math at its end). */
  private holdsMore(node: Paragraph, segments: readonly TranslatedSegment[]): boolean {
    return segments.length === 1 && this.between(segments[0] as TranslatedSegment, undefined, node) !== '';
  }

  /** The source between a segment and the next one of its paragraph (or the paragraph's end), without line prefixes and markers. */
  private between(t: TranslatedSegment, next: TranslatedSegment | undefined, node: Paragraph): string {
    const end = next?.segment.start ?? node.position?.end.offset;
    if (end === undefined || end <= t.segment.end) return '';
    const { text: lines } = splitLines(this.article.article.doc.text.slice(t.segment.end, end), CONTINUATION_PREFIX);
    const gap = lines.replace(/^:[ \t]+/gm, '').trim();
    return onlySyntax(gap) || DIV_OPEN.test(gap) ? '' : gap;
  }

  private fillHolder(node: TextHolder, t: TranslatedSegment, parent: Parents): void {
    const { book, de, en } = this.options;
    const segmentId = this.uniqueId(xmlId('s', t.segment.id));
    // A task list item's box shows as the character a reader prints for it: a book has no form controls.
    const box =
      parent.type === 'listItem' && typeof parent.checked === 'boolean' && parent.children[0] === node
        ? [text(parent.checked ? '☒ ' : '☐ ')]
        : [];
    if (box.length > 0) (parent as ListItem).checked = null;
    // The German is made first (its note references come before the English ones), in the bilingual book only.
    const own = node.children as PhrasingContent[];
    // A heading's own id (`{#id}`) is its id in the book, not its text; nor are its other attributes (`{.unnumbered}`);
    // nor a dialect's syntax at a paragraph's edges (`> [!NOTE]`, `::: {.hinweis}`, `{: .lead}`): the pair's German is its own.
    const narrower =
      node.type === 'paragraph' &&
      (own[0]?.position?.start.offset !== t.segment.start || own[own.length - 1]?.position?.end.offset !== t.segment.end);
    const said = node.type === 'heading' ? withoutHeadingId(own) : narrower && t.segment.phrasing ? t.segment.phrasing : own;
    const german = book === 'bilingual' ? [...box, ...this.inline(said, 'de')] : [];
    const english = [...box, ...this.inline(this.options.english.get(t) ?? [text(t.target ?? '')], 'en')];
    const level = node.type === 'heading' ? this.levels.next(node.depth) : 0;
    const slug = node.type === 'heading' ? this.headingIds.get(t.segment.id) : undefined;
    if (book === 'english') {
      node.children = english as never;
      if (node.type === 'heading') {
        node.depth = level as Heading['depth'];
        node.data = { hProperties: { id: slug ?? segmentId } };
      } else if (node.type === 'paragraph' && parent.type === 'listItem' && !parent.spread) {
        // A tight list item's paragraph is its text, not a <p>: a span keeps the id.
        node.data = { hName: 'span', hProperties: { id: segmentId } };
      } else node.data = { hProperties: { ...node.data?.hProperties, id: segmentId } };
      return;
    }
    // Words of its own, or inline HTML that says some (a video's title, a picture's alt): a video alone is a pair too.
    const hasGerman = plainText({ type: 'paragraph', children: german }).trim() !== '' || saysWords(german);
    const langs = (tag: string): Properties => ({ lang: tag, xmlLang: tag });
    if (node.type === 'tableCell') {
      // A cell holds both languages, one after the other: the table keeps its rows and columns.
      node.data = { hProperties: { ...node.data?.hProperties, id: segmentId } };
      node.children = [
        ...(hasGerman ? [span(german, { className: ['de'], ...langs(de) }), text(' ')] : []),
        span(english, { className: ['en'], ...langs(en) }),
      ] as never;
      return;
    }
    const kind = node.type === 'heading' ? 'heading' : t.segment.kind;
    const germanPassage: Paragraph = {
      type: 'paragraph',
      data: { hProperties: { className: node.type === 'heading' ? ['de', 'h'] : ['de'], ...langs(de) } },
      children: german,
    };
    // The German side of a heading is a paragraph styled as one: one heading per section in the outline.
    const englishPassage: Paragraph | Heading =
      node.type === 'heading'
        ? {
            type: 'heading',
            depth: level as Heading['depth'],
            data: { hProperties: { className: ['en'], ...langs(en), ...(slug ? { id: slug } : {}) } },
            children: english,
          }
        : { type: 'paragraph', data: { hProperties: { className: ['en'], ...langs(en) } }, children: english };
    const pair: Paragraph = {
      type: 'paragraph',
      data: { hName: 'div', hProperties: { className: ['pair', kind], id: segmentId } },
      children: [...(hasGerman ? [germanPassage] : []), englishPassage] as never,
    };
    const siblings = parent.children as Nodes[];
    siblings[siblings.indexOf(node)] = pair;
  }

  /**
   * Where the links and pictures of a raw HTML block point in the book, resolved as a passage's
   * are (see `inline`) and kept in its data for the chapter's HTML handler (see `chapter-xhtml.ts`).
   */
  private resolveHtml(node: Html, side: 'de' | 'en'): void {
    const { targets, book } = this.options;
    const from = this.article.article.doc.path;
    const urls: Record<string, HtmlUrl> = {};
    for (const { tag, url } of htmlUrls(node.value)) {
      if (tag === 'img') {
        const picture = book === 'bilingual' && side === 'de' ? ({ kind: 'text' } as const) : resolveImage(url, from, targets.picture);
        if (picture.kind === 'local')
          this.images.set(picture.href, { file: picture.file, href: picture.href, mediaType: picture.mediaType });
        urls[url] =
          picture.kind === 'local'
            ? { kind: 'picture', href: picture.href }
            : picture.kind === 'remote'
              ? { kind: 'href', href: picture.href }
              : { kind: 'text' };
      } else {
        const to = resolveLink(url, from, this.fragments, targets);
        urls[url] =
          to.kind === 'href' ? to : to.kind === 'article' ? { kind: 'href', href: articleHref(to.id, to.fragment) } : { kind: 'text' };
      }
    }
    node.data = { ...node.data, urls } as Html['data'];
  }

  /** Links, pictures and note references of one passage, made to work in the book. */
  private inline(nodes: PhrasingContent[], side: 'de' | 'en'): PhrasingContent[] {
    const { targets, book } = this.options;
    const from = this.article.article.doc.path;
    const out: PhrasingContent[] = [];
    for (const node of nodes) {
      if (node.type === 'link' || node.type === 'linkReference') {
        const { url, title: said } = node.type === 'link' ? node : (this.definitions.get(node.identifier.toUpperCase()) ?? {});
        const children = this.inline(node.children, side);
        if (url === undefined) {
          out.push(...children);
          continue;
        }
        const to = resolveLink(url, from, this.fragments, targets);
        // A link's title (translated with its text; a reference definition's as written) is a reader's tooltip in the books too.
        const title = said ? { title: said } : {};
        if (to.kind === 'text') {
          out.push(...children);
          continue;
        }
        // No link holds another (XHTML forbids it): a note's reference in its text follows it.
        const notes: PhrasingContent[] = [];
        const inside = unlinked(children, notes);
        out.push(link(to.kind === 'href' ? to.href : articleHref(to.id, to.fragment), inside, title), ...notes);
      } else if (node.type === 'image' || node.type === 'imageReference') {
        const { url, title } = node.type === 'image' ? node : (this.definitions.get(node.identifier.toUpperCase()) ?? {});
        const alt = node.alt ?? '';
        const picture = url === undefined ? ({ kind: 'text' } as const) : resolveImage(url, from, targets.picture);
        // In the bilingual book the picture shows once, with the English; the German gives its alt text.
        if (picture.kind === 'text' || (book === 'bilingual' && side === 'de')) {
          if (alt !== '') out.push(text(alt));
        } else if (picture.kind === 'remote') out.push(link(picture.href, [text(alt || picture.href)]));
        else {
          this.images.set(picture.href, { file: picture.file, href: picture.href, mediaType: picture.mediaType });
          out.push({ type: 'image', url: picture.href, alt, ...(title ? { title } : {}) });
        }
      } else if (node.type === 'footnoteReference') {
        const identifier = node.identifier.toUpperCase();
        if (!this.footnotes.has(identifier)) {
          out.push(text(`[^${node.label ?? node.identifier}]`));
          continue;
        }
        const n = this.noteNumbers.get(identifier) ?? this.noteNumbers.size + 1;
        this.noteNumbers.set(identifier, n);
        const id = this.uniqueId(side === 'de' && book === 'bilingual' ? `fnref-${n}-de` : `fnref-${n}`);
        // A note's back-links return to its references in the English (in the German when there is none).
        const german = side === 'de' && book === 'bilingual';
        const back = this.backTo.get(n);
        if (!back || (back.german && !german)) this.backTo.set(n, { german, ids: [id] });
        else if (back.german === german) back.ids.push(id);
        out.push(link(`#fn-${n}`, [text(String(n))], { id, className: ['noteref'], 'epub:type': 'noteref', role: 'doc-noteref' }));
      } else if ('children' in node) {
        out.push({ ...node, children: this.inline(node.children as PhrasingContent[], side) } as PhrasingContent);
      } else out.push(node);
    }
    return out;
  }

  private uniqueId(base: string): string {
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}-${n}`;
    this.used.add(id);
    return id;
  }
}

/**
 * A table's column alignment as classes on its cells: XHTML has no `align` attribute (the style
 * sheet aligns `.align-left`, `.align-center`, `.align-right`).
 */
function alignByClass(table: Table): void {
  const align = table.align ?? [];
  for (const row of table.children)
    row.children.forEach((cell, i) => {
      const a = align[i];
      if (a) cell.data = { ...cell.data, hProperties: { ...cell.data?.hProperties, className: [`align-${a}`] } };
    });
  table.align = align.map(() => null);
}

function text(value: string): Text {
  return { type: 'text', value };
}

/**
 * Content without the links in it, at any depth: a note's reference (its `noteref` link) is put in
 * `notes`, another link gives its text.
 */
function unlinked(nodes: PhrasingContent[], notes: PhrasingContent[]): PhrasingContent[] {
  return nodes.flatMap((node): PhrasingContent[] => {
    if (node.type === 'link') {
      const classes = node.data?.hProperties?.['className'];
      if (Array.isArray(classes) && classes.includes('noteref')) {
        notes.push(node);
        return [];
      }
      return unlinked(node.children, notes);
    }
    return 'children' in node ? [{ ...node, children: unlinked(node.children as PhrasingContent[], notes) } as PhrasingContent] : [node];
  });
}

/**
 * A link. An in-page one keeps its fragment as the id is written (mdast-util-to-hast would
 * percent-encode `#über-uns`, which then names no id).
 */
/** A link to another article's chapter (and heading), until the book knows its file. */
function articleHref(id: string, fragment: string | undefined): string {
  return `${ARTICLE_HREF}${encodeURIComponent(id)}${fragment ? `#${encodeURIComponent(fragment)}` : ''}`;
}

function link(url: string, children: PhrasingContent[], properties: Properties = {}): PhrasingContent {
  const href = url.startsWith('#') || url.startsWith(ARTICLE_HREF) ? { href: url } : {};
  return { type: 'link', url, children: children as never, data: { hProperties: { ...href, ...properties } } };
}

function span(children: PhrasingContent[], properties: Properties): PhrasingContent {
  return { type: 'emphasis', data: { hName: 'span', hProperties: properties }, children: children as never };
}

/**
 * Maps heading depths to h2–h6 (the chapter's title is the h1) so that levels never skip and keep
 * their order: the first heading is an h2, one deeper than the heading above it one level lower.
 */
class HeadingLevels {
  private readonly stack: Array<{ depth: number; level: number }> = [];

  next(depth: number): number {
    while (this.stack.length > 0 && (this.stack[this.stack.length - 1] as { depth: number }).depth >= depth) this.stack.pop();
    const parent = this.stack[this.stack.length - 1];
    const level = Math.min((parent?.level ?? 1) + 1, 6);
    this.stack.push({ depth, level });
    return level;
  }
}

/** A heading's text without the attribute block (`{#id …}`, `{.class}`) its source ends it with (see `Segment.headingId`). */
function withoutHeadingId(children: readonly PhrasingContent[]): PhrasingContent[] {
  const last = children[children.length - 1];
  if (last?.type !== 'text') return [...children];
  return [...children.slice(0, -1), { ...last, value: last.value.replace(HEADING_ID, '') }];
}

/** Whether inline HTML among the nodes says words in an attribute (`title`, `alt`), which the book shows in their place. */
function saysWords(nodes: readonly PhrasingContent[]): boolean {
  return nodes.some((node) =>
    node.type === 'html' ? saidInHtml(node.value).some((said) => said.value.trim() !== '') : 'children' in node && saysWords(node.children),
  );
}
