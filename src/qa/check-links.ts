// Links and pictures in the sources that no book can follow or show: warned of at their line,
// before anything is sent (the books show their text instead).
import type { Nodes, PhrasingContent } from 'mdast';
import type { Message, SegmentedDocument, SourceDocument } from '../model.js';
import { parseMarkdown } from '../segment/parse-markdown.js';
import { headingIds, htmlReferences, resolveImage, resolveLink, type LinkTargets } from '../render/resolve-link.js';

/** One warning per link or picture (with a URL of its own) that the books will show as text, in article and segment order. */
export function checkLinks(articles: readonly SegmentedDocument[], targets: LinkTargets): Message[] {
  const messages: Message[] = [];
  for (const { doc, segments } of articles) {
    const first = messages.length;
    const ids = headingIds(targets, doc.path);
    const definitions = definitionsOf(doc);
    for (const segment of segments) {
      const warn = (node: PhrasingContent, rule: 'link' | 'picture', message: string): void => {
        const before = segment.source.slice(0, node.position?.start.offset ?? 0);
        messages.push({
          file: doc.path,
          line: segment.line + (before.match(/\n/g)?.length ?? 0),
          rule,
          severity: 'warning',
          message,
          segmentId: segment.id,
        });
      };
      const walk = (nodes: readonly PhrasingContent[]): void => {
        for (const node of nodes) {
          // A reference (`[text][label]`) points where its definition does.
          const url =
            node.type === 'link' || node.type === 'image'
              ? node.url
              : node.type === 'linkReference' || node.type === 'imageReference'
                ? definitions.get(node.identifier)
                : undefined;
          const rule = node.type === 'link' || node.type === 'linkReference' ? 'link' : 'picture';
          const to =
            url === undefined
              ? undefined
              : rule === 'link'
                ? resolveLink(url, doc.path, ids, targets)
                : resolveImage(url, doc.path, targets.picture);
          // Inline HTML in a sentence keeps only phrasing tags in the books: a link or picture written so is its text.
          const tag = node.type === 'html' ? /^<(a|img)\b/i.exec(node.value)?.[1]?.toLowerCase() : undefined;
          if (tag !== undefined) {
            const [what, shown, markdown] = tag === 'a' ? ['link', 'its text', '[text](url)'] : ['picture', 'its alt text', '![alt](file)'];
            const block = tag === 'img' ? ' or as an HTML block of its own' : '';
            warn(
              node,
              tag === 'a' ? 'link' : 'picture',
              `${what} written as HTML within a sentence (<${tag}>) shows as ${shown} in the books: ` +
                `write it in Markdown (${markdown})${block}`,
            );
          }
          if (to?.kind === 'text') warn(node, rule, `${rule} "${url}" shows as text in the books: ${to.why}`);
          else if (to?.kind === 'article' && to.fragment === undefined && url?.includes('#'))
            warn(
              node,
              rule,
              `link "${url}" goes to the start of its article in the books: ` +
                `no heading or HTML element there has the id "${url.slice(url.indexOf('#') + 1)}"`,
            );
          if ('children' in node) walk((node as Nodes & { children: PhrasingContent[] }).children);
        }
      };
      walk(segment.phrasing ?? []);
    }
    for (const { tag, url, line } of htmlReferences(doc)) {
      const problem = tag === 'a' ? resolveLink(url, doc.path, ids, targets) : resolveImage(url, doc.path, targets.picture);
      if (problem.kind !== 'text') continue;
      const what = tag === 'a' ? 'link' : 'picture';
      messages.push({
        file: doc.path,
        line,
        rule: what,
        severity: 'warning',
        message: `${what} "${url}" in HTML shows as ${tag === 'a' ? 'its text' : 'its alt text'} in the books: ${problem.why}`,
      });
    }
    // The article's warnings in the order of its lines (those of its HTML came last).
    messages.splice(first, messages.length - first, ...messages.slice(first).sort((a, b) => a.line - b.line));
  }
  return messages;
}

/** An article's link reference definitions (`[label]: url`), by normalised label: the first of each counts. */
function definitionsOf(doc: SourceDocument): Map<string, string> {
  const found = new Map<string, string>();
  if (doc.format !== 'md' || !doc.text.includes(']:')) return found;
  const stack: Nodes[] = [parseMarkdown(doc.text)];
  while (stack.length > 0) {
    const node = stack.pop() as Nodes;
    if (node.type === 'definition' && !found.has(node.identifier)) found.set(node.identifier, node.url);
    const children = 'children' in node ? (node.children as Nodes[]) : [];
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Nodes);
  }
  return found;
}
