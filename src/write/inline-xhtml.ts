import type { Nodes, PhrasingContent } from 'mdast';
import { isComment, stripComments } from '../segment/html-comments.js';
import { parseInline } from '../segment/parse-markdown.js';
import { escapeXml } from './escape.js';

/**
 * Renders a segment's text as an XHTML inline fragment. Inline Markdown keeps emphasis, strong,
 * links, code, strikethrough and line breaks; HTML comments are left out; anything else, raw HTML
 * included, becomes escaped text, so no source can inject markup into an edition.
 */
export function inlineXhtml(text: string, markdown: boolean, references = ''): string {
  if (!markdown) return escapeXml(text.replace(/\s*\n\s*/g, ' '));
  const known = recent.get(text);
  if (known !== undefined && known.references === references) return known.html;
  const phrasing = parseInline(text, references);
  let html = phrasing ? phrasing.map(renderNode).join('') : escapeXml(stripComments(text).replace(/\s*\n\s*/g, ' '));
  // Where a comment was left out, the spaces on either side of it would show as two.
  if (phrasing && text.includes('<!--')) html = html.replace(/ {2,}/g, ' ').trim();
  if (recent.size >= RECENT) recent.clear();
  recent.set(text, { references, html });
  return html;
}

/**
 * The last texts rendered: a build renders each segment for the EPUB chapters and again for the
 * review page, one article after the other, and parsing is the costly part. Bounded, so it never
 * holds more than a few articles' texts.
 */
const recent = new Map<string, { references: string; html: string }>();
const RECENT = 512;

function renderNode(node: PhrasingContent | Nodes): string {
  switch (node.type) {
    case 'text':
      return escapeXml(node.value.replace(/\s*\n\s*/g, ' '));
    case 'emphasis':
      return `<em>${node.children.map(renderNode).join('')}</em>`;
    case 'strong':
      return `<strong>${node.children.map(renderNode).join('')}</strong>`;
    case 'delete':
      return `<del>${node.children.map(renderNode).join('')}</del>`;
    case 'inlineCode':
      return `<code>${escapeXml(node.value)}</code>`;
    case 'break':
      return '<br/>';
    case 'link': {
      const safe = /^(https?:|mailto:|#)/i.test(node.url);
      const inner = node.children.map(renderNode).join('');
      return safe ? `<a href="${escapeXml(node.url)}">${inner}</a>` : inner;
    }
    case 'image':
      return escapeXml(node.alt ?? '');
    case 'footnoteReference':
      return `<sup>${escapeXml(node.label ?? node.identifier)}</sup>`;
    case 'html':
      // A comment is a note on the source, never published; other raw HTML shows as text.
      return isComment(node) ? '' : escapeXml(node.value);
    default:
      return 'children' in node ? (node.children as Nodes[]).map(renderNode).join('') : 'value' in node ? escapeXml(String(node.value)) : '';
  }
}
