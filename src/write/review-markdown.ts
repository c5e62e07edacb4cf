import type { DroppedText, Finding, TranslatedArticle, TranslatedSegment } from '../model.js';
import { articleTitle } from '../align/article-title.js';
import { escapeMarkdown, segmentMarkdown } from './markdown-text.js';

/** First line of every review file; `review import` recognises the file by it. */
export const REVIEW_HEADER = '<!-- diglot review file: edit only the English under each "EN" marker, then run `diglot review import` -->';

/**
 * The aligned bilingual review file of one article. Each segment is a pair: an HTML comment with
 * its id, kind, origin and status; the German as a quote; the English as a plain block; a closing
 * comment. Blank lines separate every block, so any CommonMark renderer shows German and English
 * as separate paragraphs. Dropped noise is listed where it was, struck through, with its rule.
 */
export function renderReviewMarkdown(translated: TranslatedArticle, findings: readonly Finding[]): string {
  const { doc, dropped } = translated.article;
  const title = articleTitle(translated);
  const counts = countStatuses(translated.segments);
  const out: string[] = [
    REVIEW_HEADER,
    '',
    `# ${escapeMarkdown(title.de)}`,
    '',
    `- Source: \`${doc.path}\`${doc.meta.date ? ` · ${escapeMarkdown(doc.meta.date)}` : ''}${doc.meta.author ? ` · ${escapeMarkdown(doc.meta.author)}` : ''}`,
    `- English title: ${title.en === undefined ? '*(not translated yet)*' : escapeMarkdown(title.en)}`,
    `- Segments: ${translated.segments.length} · ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(' · ')}${dropped.length > 0 ? ` · dropped lines ${dropped.length}` : ''}`,
    '',
  ];
  const bySegment = new Map<number, DroppedText[]>();
  for (const d of dropped) bySegment.set(d.beforeSegment, [...(bySegment.get(d.beforeSegment) ?? []), d]);
  translated.segments.forEach((t, i) => {
    for (const d of bySegment.get(i) ?? []) out.push(...renderDropped(d));
    out.push(...renderPair(t, findings.filter((f) => f.segmentId === t.segment.id)));
  });
  for (const d of bySegment.get(translated.segments.length) ?? []) out.push(...renderDropped(d));
  return `${out.join('\n')}\n`;
}

function renderPair(t: TranslatedSegment, findings: readonly Finding[]): string[] {
  const { segment } = t;
  const marker = segment.kind === 'heading' ? `${'#'.repeat(segment.depth ?? 2)} ` : '';
  const de = segmentMarkdown(segment.source, segment.markdown);
  const lines = [
    `<!-- segment ${segment.id} · ${segment.kind}${segment.depth ? ` ${segment.depth}` : ''} · line ${segment.line} · ${statusLabel(t)} -->`,
    '',
    ...`${marker}${de}`.split('\n').map((line) => `> ${line}`),
    '',
  ];
  for (const f of findings) lines.push(`> ⚠ **${f.rule}**: ${escapeMarkdown(f.message)}`, '');
  lines.push('<!-- EN -->', '');
  if (t.target === undefined) lines.push('<!-- missing: no translation yet; write the English here -->');
  else lines.push(`${marker}${segmentMarkdown(t.target, segment.markdown)}`);
  lines.push('', '<!-- /segment -->', '');
  return lines;
}

function renderDropped(d: DroppedText): string[] {
  return [`<!-- dropped · rule ${d.rule} · line ${d.line} -->`, '', `> ~~${escapeMarkdown(d.text)}~~ *(dropped by rule "${d.rule}", not in the editions)*`, ''];
}

/** machine (DeepL draft), reviewed (human or imported), approved, missing. */
export function statusLabel(t: TranslatedSegment): string {
  if (t.target === undefined) return 'missing';
  if (t.origin === 'copy') return 'copied';
  if (t.status === 'approved') return 'approved';
  if (t.status === 'reviewed') return `reviewed (${t.origin ?? 'human'})`;
  return `machine (${t.origin ?? 'deepl'})`;
}

function countStatuses(segments: readonly TranslatedSegment[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of segments) {
    const label = statusLabel(t).replace(/ \(.*\)$/, '');
    counts[label] = (counts[label] ?? 0) + 1;
  }
  return counts;
}
