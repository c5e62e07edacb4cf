import type { Nodes, PhrasingContent } from 'mdast';
import type { Segment } from '../model.js';
import { isComment, stripComments } from '../segment/html-comments.js';
import { parseInSegment } from '../segment/parse-markdown.js';
import { escapeXml } from '../text/escape.js';

/**
 * Renders a segment's text as an XHTML inline fragment. Inline Markdown keeps emphasis, strong,
 * links, code, strikethrough and line breaks; HTML comments are left out; anything else, raw HTML
 * included, becomes escaped text, so no source can inject markup into an edition.
 */
export function segmentXhtml(segment: Pick<Segment, 'source' | 'markdown' | 'phrasing'>): string {
  return segment.markdown ? markdownXhtml(segment.source, segment.phrasing) : plainXhtml(segment.source);
}

/** {@link segmentXhtml} for English in a segment's format: parsed here, as the segment's German is (see `parseInSegment`). */
export function inlineXhtml(text: string, segment: Pick<Segment, 'markdown'> & Partial<Pick<Segment, 'references' | 'encoding'>>): string {
  return segment.markdown ? markdownXhtml(text, parseInSegment(text, segment)) : plainXhtml(text);
}

function plainXhtml(text: string): string {
  return escapeXml(text.replace(/\s*\n\s*/g, ' '));
}

/** Inline Markdown from its parsed content; escaped text when it is not one run of inline content. */
function markdownXhtml(text: string, phrasing: PhrasingContent[] | undefined): string {
  if (!phrasing) return plainXhtml(stripComments(text));
  const html = phrasing.map(renderNode).join('');
  // Where a comment was left out, the spaces on either side of it would show as two.
  return text.includes('<!--') ? html.replace(/ {2,}/g, ' ').trim() : html;
}

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
    case 'imageReference':
      return escapeXml(node.alt ?? '');
    case 'footnoteReference':
      return `<sup>${escapeXml(node.label ?? node.identifier)}</sup>`;
    case 'html':
      // A comment is a note on the source, never published; other raw HTML shows as text.
      return isComment(node) ? '' : escapeXml(node.value);
    default:
      return 'children' in node
        ? (node.children as Nodes[]).map(renderNode).join('')
        : 'value' in node
          ? escapeXml(String(node.value))
          : '';
  }
}
