import type { Nodes, PhrasingContent, Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { plainMarkdown } from './plain-markdown.js';

const parser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm);

/** Parses CommonMark + GFM (tables, footnotes, strikethrough) with YAML front matter. */
export function parseMarkdown(text: string): Root {
  return plainMarkdown(text) ?? parser.parse(text);
}

/** The text of a node without markup: text, inline code and image alt text, in order. */
export function plainText(node: Nodes): string {
  if ('value' in node && typeof node.value === 'string') {
    return node.type === 'html' || node.type === 'yaml' ? '' : node.value;
  }
  if (node.type === 'image' || node.type === 'imageReference') return node.alt ?? '';
  if (node.type === 'break') return '\n';
  if ('children' in node) return (node.children as Nodes[]).map(plainText).join('');
  return '';
}

/**
 * Parses a segment's inline Markdown on its own, as it parses inside its article: the article's
 * reference and footnote labels are defined after it, so `[^1]` stays a footnote reference.
 * Returns the phrasing content, or `undefined` when the text is not one run of inline content.
 */
export function parseInline(source: string, references = ''): PhrasingContent[] | undefined {
  const tree = parseMarkdown(references ? `${source}\n\n${references}` : source);
  const blocks = tree.children.filter((node) => node.type !== 'definition' && node.type !== 'footnoteDefinition');
  const first = blocks[0];
  if (blocks.length !== 1 || !first || (first.type !== 'paragraph' && first.type !== 'heading')) return undefined;
  return first.children;
}
