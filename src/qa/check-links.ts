// Links and pictures in the sources that no book can follow or show: warned of at their line,
// before anything is sent (the books show their text instead).
import type { Nodes, PhrasingContent } from 'mdast';
import type { Message, SegmentedDocument } from '../model.js';
import { headingIds, htmlReferences, resolveImage, resolveLink, type LinkTargets } from '../render/resolve-link.js';

/** One warning per link or picture (with a URL of its own) that the books will show as text, in article and segment order. */
export function checkLinks(articles: readonly SegmentedDocument[], targets: LinkTargets): Message[] {
  const messages: Message[] = [];
  for (const { doc, segments } of articles) {
    const first = messages.length;
    const ids = headingIds(targets, doc.path);
    for (const segment of segments) {
      const walk = (nodes: readonly PhrasingContent[]): void => {
        for (const node of nodes) {
          const problem =
            node.type === 'link'
              ? resolveLink(node.url, doc.path, ids, targets)
              : node.type === 'image'
                ? resolveImage(node.url, doc.path, targets.picture)
                : undefined;
          if (problem?.kind === 'text' && (node.type === 'link' || node.type === 'image')) {
            const before = segment.source.slice(0, node.position?.start.offset ?? 0);
            messages.push({
              file: doc.path,
              line: segment.line + (before.match(/\n/g)?.length ?? 0),
              rule: node.type === 'link' ? 'link' : 'picture',
              severity: 'warning',
              message: `${node.type === 'link' ? 'link' : 'picture'} "${node.url}" shows as text in the books: ${problem.why}`,
              segmentId: segment.id,
            });
          }
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
