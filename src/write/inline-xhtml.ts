import type { Nodes, PhrasingContent } from 'mdast';
import { parseInline } from '../segment/parse-markdown.js';
import { escapeXml } from './escape.js';

/**
 * Renders a segment's text as an XHTML inline fragment. Inline Markdown keeps emphasis, strong,
 * links, code, strikethrough and line breaks; anything else, raw HTML included, becomes escaped
 * text, so no source can inject markup into an edition.
 */
export function inlineXhtml(text: string, markdown: boolean, references = ''): string {
  const phrasing = markdown ? parseInline(text, references) : undefined;
  if (!phrasing) return escapeXml(text.replace(/\s*\n\s*/g, ' '));
  return phrasing.map(renderNode).join('');
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
      return escapeXml(node.alt ?? '');
    case 'footnoteReference':
      return `<sup>${escapeXml(node.label ?? node.identifier)}</sup>`;
    case 'html':
      return escapeXml(node.value);
    default:
      return 'children' in node ? (node.children as Nodes[]).map(renderNode).join('') : 'value' in node ? escapeXml(String(node.value)) : '';
  }
}
