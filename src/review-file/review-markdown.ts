import type { DroppedText, Finding, Segment, TranslatedArticle, TranslatedSegment } from '../model.js';
import { articleTitle } from '../segment/article-title.js';
import type { FuzzyMatch } from './fuzzy-match.js';
import type { DiffPart } from './word-diff.js';
import { groupBy } from '../util/group-by.js';
import { escapeMarkdown, segmentMarkdown } from '../text/markdown-text.js';

/** First line of every review file; `review import` recognises the file by it. */
export const REVIEW_HEADER = '<!-- diglot review file: edit only the English under each "EN" marker, then run `diglot review import` -->';

/** How to review, right under the header: an HTML comment, so renderers do not show it. */
export const REVIEW_INSTRUCTIONS = [
  '<!--',
  'How to review this file:',
  '- Edit the English paragraph between a pair\'s "EN" marker and its "/segment" line. Keep it one paragraph.',
  '- To approve a pair, change the status at the end of its "segment" line (machine (deepl), reviewed (human) …) to: approved',
  "  (or a machine translation's to: reviewed, to mark it reviewed as it stands; no other status can be set by hand).",
  '  Editing the English of an approved pair withdraws its approval: approve the new English once it is imported.',
  '- Leave the German (the "> " quote), the segment ids and the order of the pairs as they are: `diglot review import`',
  '  refuses a file where they changed. Lines starting with "⚠" (findings of the checks) and "≈" (a fuzzy match:',
  '  the translation of a similar, earlier German text, with the German changes as ~~removed~~ **added**) are for',
  '  information and are ignored on import.',
  '- To accept a finding as it stands (a false positive), add a comment line under it written like the "EN" marker',
  '  line, with "ok: " and the finding\'s rule in place of "EN" (ok: term; several rules: ok: term, number). The finding',
  '  then no longer counts until the German or the English changes; delete that line to withdraw the acceptance.',
  '- Then run `diglot review import`; `diglot build` will not overwrite this file while it holds edits not imported.',
  '-->',
];

/**
 * The aligned bilingual review file of one article. Each segment is a pair: an HTML comment with
 * its id, kind, origin and status; the German as a quote; the checks' findings; the rules whose
 * findings a reviewer accepted (`<!-- ok: term -->`); the English as a plain block; a closing
 * comment. Blank lines separate every block, so any CommonMark renderer shows German and English
 * as separate paragraphs. Dropped noise is listed where it was, struck through, with its rule.
 */
export function renderReviewMarkdown(
  translated: TranslatedArticle,
  findings: readonly Finding[],
  fuzzy: ReadonlyMap<string, FuzzyMatch> = new Map(),
): string {
  const { doc, dropped } = translated.article;
  const title = articleTitle(translated);
  const counts = countStatuses(translated.segments);
  const out: string[] = [
    REVIEW_HEADER,
    ...REVIEW_INSTRUCTIONS,
    '',
    `# ${escapeMarkdown(title.de)}`,
    '',
    `- Source: \`${doc.path}\`${doc.meta.date ? ` · ${escapeMarkdown(doc.meta.date)}` : ''}${doc.meta.author ? ` · ${escapeMarkdown(doc.meta.author)}` : ''}`,
    `- English title: ${title.en === undefined ? '*(not translated yet)*' : escapeMarkdown(title.en)}`,
    `- Segments: ${[
      translated.segments.length,
      ...Object.entries(counts).map(([k, v]) => `${k} ${v}`),
      ...(dropped.length > 0 ? [`dropped lines ${dropped.length}`] : []),
    ].join(' · ')}`,
    '',
  ];
  const droppedBefore = groupBy(dropped, (d) => d.beforeSegment);
  const findingsOf = groupBy(findings, (f) => f.segmentId);
  translated.segments.forEach((t, i) => {
    for (const d of droppedBefore.get(i) ?? []) out.push(...renderDropped(d));
    out.push(...renderPair(t, findingsOf.get(t.segment.id) ?? [], fuzzy.get(t.segment.id)));
  });
  for (const d of droppedBefore.get(translated.segments.length) ?? []) out.push(...renderDropped(d));
  return `${out.join('\n')}\n`;
}

function renderPair(t: TranslatedSegment, findings: readonly Finding[], fuzzy: FuzzyMatch | undefined): string[] {
  const { segment } = t;
  const lines = [
    segmentComment(segment, statusLabel(t)),
    '',
    ...reviewGerman(segment)
      .split('\n')
      .map((line) => `> ${line}`),
    '',
  ];
  for (const f of findings) lines.push(`> ⚠ **${f.rule}**: ${escapeMarkdown(oneLine(f.message))}`, '');
  if (fuzzy) lines.push(...renderFuzzy(fuzzy, segment.markdown));
  if (t.accepted && t.accepted.length > 0 && t.origin !== 'copy') lines.push(okMarker(t.accepted), '');
  lines.push('<!-- EN -->', '');
  if (t.target === undefined) lines.push(MISSING_MARKER);
  else lines.push(reviewEnglish(t.target, segment));
  lines.push('', '<!-- /segment -->', '');
  return lines;
}

/** The line that accepts findings of these rules for a pair's English: `<!-- ok: term, number -->`. */
export function okMarker(rules: readonly string[]): string {
  return `<!-- ok: ${[...rules].sort().join(', ')} -->`;
}

/** Stands in the English block of a segment without a translation. */
export const MISSING_MARKER = '<!-- missing: no translation yet; write the English here -->';

/** The comment that opens a pair: id, kind (and heading level), source line, status. */
export function segmentComment(segment: Pick<Segment, 'id' | 'kind' | 'depth' | 'line'>, status: string): string {
  return `<!-- segment ${segment.id} · ${segment.kind}${segment.depth ? ` ${segment.depth}` : ''} · line ${segment.line} · ${status} -->`;
}

/** The German of a pair as the review file shows it (before the `> ` prefixes). */
export function reviewGerman(segment: Pick<Segment, 'kind' | 'depth' | 'source' | 'markdown'>): string {
  // A raw HTML block is shown as written, its lines and indentation kept.
  if (segment.kind === 'html') return segment.source;
  return `${headingMarker(segment)}${segmentMarkdown(segment.source, segment.markdown)}`;
}

/** An English text as the review file shows it under the EN marker. */
export function reviewEnglish(target: string, segment: Pick<Segment, 'kind' | 'depth' | 'markdown'>): string {
  if (segment.kind === 'html') return target;
  return `${headingMarker(segment)}${segmentMarkdown(target, segment.markdown)}`;
}

function headingMarker(segment: Pick<Segment, 'kind' | 'depth'>): string {
  return segment.kind === 'heading' ? `${'#'.repeat(segment.depth ?? 2)} ` : '';
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

/** A fuzzy match: similarity and the German changes on one line, the earlier English on another. */
function renderFuzzy(match: FuzzyMatch, markdown: boolean): string[] {
  const percent = Math.floor(match.similarity * 100);
  const english = oneLine(segmentMarkdown(match.target, markdown));
  return [
    `> ≈ **fuzzy match ${percent}%**, German earlier → now: ${renderDiff(match.diff)}`,
    '',
    `> ≈ *English of the earlier German (${match.status}, ${match.origin}):* ${english}`,
    '',
  ];
}

/** A word diff as Markdown: removed text struck through, added text in bold, markup escaped. */
export function renderDiff(parts: readonly DiffPart[]): string {
  return parts
    .map((part) => {
      const text = oneLine(part.text);
      if (part.op === 'same') return escapeInline(text);
      const [, lead, core, trail] = /^(\s*)([\s\S]*?)(\s*)$/.exec(text) ?? ['', '', text, ''];
      if (core === '') return text;
      const mark = part.op === 'removed' ? '~~' : '**';
      return `${lead}${mark}${escapeInline(core ?? '')}${mark}${trail}${part.op === 'removed' ? ' ' : ''}`;
    })
    .join('')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** Backslash-escapes the characters that could start inline Markdown in the middle of a line. */
function escapeInline(text: string): string {
  return text.replace(/[\\`*_[\]<>~&|]/g, '\\$&');
}

function renderDropped(d: DroppedText): string[] {
  return [
    `<!-- dropped · rule ${d.rule} · line ${d.line} -->`,
    '',
    `> ~~${escapeMarkdown(d.text)}~~ *(dropped by rule "${d.rule}", not in the editions)*`,
    '',
  ];
}

/** machine (DeepL draft), reviewed (human or imported), approved, missing. */
export function statusLabel(t: Pick<TranslatedSegment, 'target' | 'origin' | 'status'>): string {
  if (t.target === undefined) return 'missing';
  if (t.origin === 'copy') return 'copied';
  if (t.status === 'approved') return 'approved';
  if (t.status === 'reviewed') return `reviewed (${t.origin ?? 'human'})`;
  return `machine (${t.origin ?? 'deepl'})`;
}

/** A status label without its origin: `reviewed (human)` → `reviewed`. */
export function rowStatus(t: Pick<TranslatedSegment, 'target' | 'origin' | 'status'>): string {
  return statusLabel(t).replace(/ \(.*\)$/, '');
}

function countStatuses(segments: readonly TranslatedSegment[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of segments) {
    const label = rowStatus(t);
    counts[label] = (counts[label] ?? 0) + 1;
  }
  return counts;
}
