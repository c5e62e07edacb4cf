// A book tree (mdast) as an XHTML fragment: mdast-util-to-hast, then hast-util-to-xast and
// xast-util-to-xml, which write XML (every element closed, attributes quoted) as EPUB requires.
import type { ElementContent, Root as HastRoot } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { defaultSchema, sanitize } from 'hast-util-sanitize';
import { toXast } from 'hast-util-to-xast';
import type { Html, Parents, Root } from 'mdast';
import { toHast, type State } from 'mdast-util-to-hast';
import type { Element as XastElement, Root as XastRoot } from 'xast';
import { toXml } from 'xast-util-to-xml';
import { isComment } from '../segment/html-comments.js';
import { escapeXml } from '../text/escape.js';

/** Containers whose raw HTML children are blocks of their own (elsewhere HTML is inline, within text). */
const BLOCK_PARENTS = new Set(['root', 'blockquote', 'listItem', 'footnoteDefinition']);

/**
 * GitHub's cleaning, which keeps the text of the elements it removes but a script's: a style
 * sheet's text would show in the book as words, so it goes too.
 */
const BOOK_SCHEMA = { ...defaultSchema, strip: [...(defaultSchema.strip ?? []), 'style'] };

/** The chapter's content as XHTML elements, to be placed in the chapter's `<section>`. */
export function chapterXhtml(tree: Root): string {
  const xast = toXast(toHast(tree, { handlers: { html: rawHtml } })) as XastRoot;
  // The chapter document declares the XHTML namespace once, on <html>.
  for (const child of xast.children) if (child.type === 'element') delete child.attributes['xmlns'];
  escapeCdataEnd(xast);
  return `${toXml(xast, { allowDangerousXml: true })}\n`;
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
 * Raw HTML. A comment is a note on the source, never published. A block that parses as HTML
 * without an error is carried into the book, cleaned as GitHub cleans it (no scripts, styles or
 * event handlers; ids prefixed) and written as XML; anything else, and inline HTML (a lone
 * `<kbd>` or `</kbd>` within a sentence is no element by itself), shows as the text it is.
 */
function rawHtml(_state: State, node: Html, parent: Parents | undefined): ElementContent | ElementContent[] | undefined {
  if (isComment(node)) return undefined;
  if (!parent || !BLOCK_PARENTS.has(parent.type)) return { type: 'text', value: node.value };
  let errors = 0;
  const parsed = fromHtml(node.value, {
    fragment: true,
    onerror: () => {
      errors++;
    },
  });
  if (errors > 0)
    return { type: 'element', tagName: 'p', properties: { className: ['html'] }, children: [{ type: 'text', value: node.value }] };
  const clean = sanitize(parsed, BOOK_SCHEMA) as HastRoot;
  const children = clean.children.filter((child): child is ElementContent => child.type === 'element' || child.type === 'text');
  return { type: 'element', tagName: 'div', properties: { className: ['html'] }, children };
}
