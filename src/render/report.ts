// The build's machine-readable record, small at any corpus size: `report.json` (totals and one
// summary line per article), `findings.jsonl` (one finding a line) and `segments.jsonl` (one segment a line).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Finding, Origin, Status, TranslatedArticle } from '../model.js';
import { articleTitle } from '../segment/article-title.js';
import { groupBy } from '../util/group-by.js';

/** Totals of one build. */
export interface BuildTotals {
  articles: number;
  segments: number;
  fromMemory: number;
  /** Segments without words, never sent: their English is their German, its figures in English notation. */
  copied: number;
  /** Segments translated by DeepL in this run (a paragraph repeated in the run counts each time). */
  translated: number;
  /** Distinct texts DeepL translated in this run: `translated` less the repeats within the run. */
  textsTranslated: number;
  missing: number;
  /** DeepL requests answered with translations: those the billed characters come from. */
  requests: number;
  billedCharacters: number;
  /** Requests sent that brought no translation back (refused, e.g. 456 or 403, or failing or unreachable after every retry). */
  failedRequests: number;
  findings: number;
}

/** One article's line of `report.json`: what it holds and what was found, counted. */
export interface ArticleSummary {
  id: string;
  source: string;
  title: { de: string; en: string | null };
  segments: {
    total: number;
    /** Segments without an English: counted here only, not by origin or status. */
    missing: number;
    origin: Record<Origin, number>;
    status: Record<Status, number>;
  };
  billedCharacters: number;
  /** Findings by rule, rules in alphabetical order. */
  findings: Record<string, number>;
  /** Findings a reviewer accepted (one per segment and rule): left out of `findings`. */
  accepted: number;
  /** Passages the cleanup rules dropped from the source. */
  dropped: number;
}

/** One line of `segments.jsonl`. */
export interface SegmentLine {
  docId: string;
  segmentId: string;
  kind: string;
  line: number;
  origin: Origin | null;
  status: Status | 'missing' | null;
  billedCharacters: number;
  /** The rules of the findings on this segment, in the checks' order. */
  findings: string[];
  /** The rules whose findings a reviewer accepted for this English. */
  accepted: string[];
}

/** Every origin and status, in the order their counts appear. */
const ORIGINS: readonly Origin[] = ['deepl', 'human', 'tmx', 'copy'];
const STATUSES: readonly Status[] = ['draft', 'reviewed', 'approved'];

/** An article's summary for `report.json`. */
export function summarizeArticle(a: TranslatedArticle, findings: readonly Finding[]): ArticleSummary {
  const title = articleTitle(a);
  const origin = Object.fromEntries(ORIGINS.map((o) => [o, 0])) as Record<Origin, number>;
  const status = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  let missing = 0;
  let billed = 0;
  let accepted = 0;
  for (const t of a.segments) {
    billed += t.billedCharacters;
    accepted += t.accepted?.length ?? 0;
    if (t.target === undefined) {
      missing++;
      continue;
    }
    if (t.origin !== undefined) origin[t.origin]++;
    // A passage kept as in the original has no review status worth counting: it was never translated.
    if (t.status !== undefined && t.origin !== 'copy') status[t.status]++;
  }
  const byRule = new Map<string, number>();
  for (const f of findings) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
  return {
    id: a.article.doc.id,
    source: a.article.doc.path,
    title: { de: title.de, en: title.en ?? null },
    segments: { total: a.segments.length, missing, origin, status },
    billedCharacters: billed,
    findings: Object.fromEntries([...byRule].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))),
    accepted,
    dropped: a.article.dropped.length,
  };
}

/*
 * `report.json` is written piece by piece: `reportHead` (the totals, known at the end), then each
 * article's line after `reportSeparator`, then `reportEnd`. Keys in a fixed order, no timestamps,
 * one article a line: a rebuild gives the same bytes, and a changed article changes one line.
 */

/** The report's opening with the build's totals, up to its first article. */
export function reportHead(totals: BuildTotals): string {
  return `{\n  "totals": ${JSON.stringify(totals, null, 2).replace(/\n/g, '\n  ')},\n  "articles": [`;
}

/**
 * The segments a report says had an English (from the memory or translated), read from its start,
 * where {@link reportHead} puts the totals: a report of any size is not parsed whole.
 */
export function reportedTranslations(start: string): number {
  const total = (key: keyof BuildTotals): number => Number(new RegExp(`"${key}": (\\d+)`).exec(start)?.[1] ?? 0);
  return total('fromMemory') + total('translated');
}

/** What comes before the article at `index`. */
export function reportSeparator(index: number): string {
  return index === 0 ? '\n    ' : ',\n    ';
}

/** An article's line of the report (without its separator). */
export function reportArticle(a: TranslatedArticle, findings: readonly Finding[]): string {
  return JSON.stringify(summarizeArticle(a, findings));
}

/** What closes the report after `count` articles. */
export function reportEnd(count: number): string {
  return count === 0 ? ']\n}\n' : '\n  ]\n}\n';
}

/** A finding's line of `findings.jsonl`: its keys always in the same order, newline included. */
export function findingLine(f: Finding): string {
  return `${JSON.stringify({
    file: f.file,
    line: f.line,
    column: f.column,
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    segmentId: f.segmentId,
    docId: f.docId,
    ...(f.actual !== undefined ? { actual: f.actual } : {}),
    ...(f.expected !== undefined ? { expected: f.expected } : {}),
  })}\n`;
}

/** The findings of lines of `findings.jsonl` (as {@link findingLine} writes them). */
export function parseFindingLines(lines: string): Finding[] {
  // One parse of the lines as an array: a parse a line takes several times as long.
  return lines === '' ? [] : (JSON.parse(`[${lines.trimEnd().split('\n').join(',')}]`) as Finding[]);
}

/** The findings of a `findings.jsonl`, one line at a time. */
export async function* readFindings(file: string): AsyncIterable<Finding> {
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY }))
    if (line !== '') yield JSON.parse(line) as Finding;
}

/** An article's lines of `segments.jsonl`, one per segment in order, each ending in a newline. */
export function segmentLines(a: TranslatedArticle, findings: readonly Finding[]): string {
  const bySegment = groupBy(findings, (f) => f.segmentId);
  const docId = a.article.doc.id;
  let text = '';
  for (const t of a.segments) {
    const line: SegmentLine = {
      docId,
      segmentId: t.segment.id,
      kind: t.segment.kind,
      line: t.segment.line,
      origin: t.origin ?? null,
      status: t.target === undefined ? 'missing' : (t.status ?? null),
      billedCharacters: t.billedCharacters,
      findings: (bySegment.get(t.segment.id) ?? []).map((f) => f.rule),
      accepted: t.accepted ?? [],
    };
    text += `${JSON.stringify(line)}\n`;
  }
  return text;
}
