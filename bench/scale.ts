// The scale scenario of `npm run bench -- --only scale --scale-n 1000,10000` (issue 21): cold
// builds of large corpora against the network floor, with the outputs' sizes; on demand only.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ReviewTiming } from './review-timing.js';
import type { VolumeCheck } from './volume-check.js';

/** What the scenario takes from one diglot run (a subset of bench/run.ts's `Row`). */
export interface ScaleRun {
  articles: number;
  wallMs: number;
  workMs: number;
  cpuMs: number;
  peakRssMb: number;
  requests: number;
  networkFloorMs: number;
  afterRequestsMs: number;
  exitCode: number;
  findings?: number;
}

/** One size of the scenario: the run and what it wrote. */
export interface ScaleRow {
  run: ScaleRun;
  /** Bytes of the files of `output/` the issue follows (0 for one not written). */
  sizes: { reviewHtml: number; otherHtml: number; reportJson: number; findingsJsonl: number; segmentsJsonl: number };
  /** The review pages in headless Chromium; absent without Chromium. */
  review?: ReviewTiming;
}

/** The sizes of a build's outputs, from its output folder. */
export function outputSizes(out: string): ScaleRow['sizes'] {
  const size = (name: string): number => {
    try {
      return statSync(path.join(out, name)).size;
    } catch {
      return 0;
    }
  };
  // Review pages other than review.html (per-article pages, wherever they are put), summed.
  let otherHtml = 0;
  for (const entry of readdirSync(out, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (entry.isFile() && entry.name.endsWith('.html') && file !== path.join(out, 'review.html')) otherHtml += statSync(file).size;
  }
  return {
    reviewHtml: size('review.html'),
    otherHtml,
    reportJson: size('report.json'),
    findingsJsonl: size('findings.jsonl'),
    segmentsJsonl: size('segments.jsonl'),
  };
}

/** The scenario's section of BENCHMARKS.md: a table and issue 21's targets. */
export function scaleSection(
  rows: readonly ScaleRow[],
  p: { latency: number; perKb: number; concurrency: number; segments: number; date: string; machine: string; load: string },
  /** The largest corpus split into volumes and checked by epubcheck (`--scale-volumes`). */
  volumes?: VolumeCheck,
): string {
  const s = (ms: number): string => (ms / 1000).toFixed(1);
  const n = (x: number): string => x.toLocaleString('en-US');
  const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
  const table = [
    '| articles | wall s | CPU s | CPU ms per article | peak RSS MB | requests | network floor s | wall ÷ floor | after the last answer s | review.html MB | other review pages MB | report.json MB | findings.jsonl MB | segments.jsonl MB | findings |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      ({ run: r, sizes: z }) =>
        `| ${n(r.articles)} | ${s(r.wallMs)} | ${s(r.cpuMs)} | ${(r.cpuMs / r.articles).toFixed(1)} | ${r.peakRssMb.toFixed(0)} | ${n(r.requests)} | ${s(r.networkFloorMs)} | ${(r.wallMs / r.networkFloorMs).toFixed(2)} | ${s(r.afterRequestsMs)} | ${mb(z.reviewHtml)} | ${mb(z.otherHtml)} | ${mb(z.reportJson)} | ${mb(z.findingsJsonl)} | ${mb(z.segmentsJsonl)} | ${n(r.findings ?? NaN)} |`,
    ),
  ];
  const pages = rows.flatMap(({ run, review }) =>
    review
      ? [
          `| ${n(run.articles)} | ${review.indexReadyMs} | ${n(review.indexElements)} | ${review.pageReadyMs} | ${review.crossMs.toFixed(0)} (to ${review.crossedTo}) |`,
        ]
      : [],
  );
  const largestRow = rows.reduce((a, b) => (b.run.articles > a.run.articles ? b : a));
  const largest = largestRow.run;
  const thousand = rows.find((r) => r.run.articles === 1000)?.run;
  const mark = (ok: boolean): string => (ok ? '**met**' : '**not met**');
  const growth =
    rows.length > 1
      ? (() => {
          const smallest = rows.reduce((a, b) => (b.run.articles < a.run.articles ? b : a)).run;
          const perArticle = ((largest.peakRssMb - smallest.peakRssMb) * 1024) / (largest.articles - smallest.articles);
          return `- Peak RSS grows by ${perArticle.toFixed(0)} KB per article from ${n(smallest.articles)} to ${n(largest.articles)} articles.`;
        })()
      : '';
  const targets = [
    `- Cold build ≤ 1.5 × the network floor at ${n(largest.articles)} articles: **${(largest.wallMs / largest.networkFloorMs).toFixed(2)}×** (${s(largest.wallMs)} s against ${s(largest.networkFloorMs)} s) — ${mark(largest.wallMs <= 1.5 * largest.networkFloorMs)}`,
    `- CPU ≤ 5 ms per article: **${(largest.cpuMs / largest.articles).toFixed(1)} ms** — ${mark(largest.cpuMs / largest.articles <= 5)}`,
    `- Peak RSS < 512 MB${thousand && thousand !== largest ? ' and within 10 % of the 1,000-article figure' : ''}: **${largest.peakRssMb.toFixed(0)} MB**${thousand && thousand !== largest ? ` against ${thousand.peakRssMb.toFixed(0)} MB at 1,000 (${(((largest.peakRssMb - thousand.peakRssMb) / thousand.peakRssMb) * 100).toFixed(0)} %)` : ''} — ${mark(largest.peakRssMb < 512 && (!thousand || thousand === largest || largest.peakRssMb <= 1.1 * thousand.peakRssMb))}`,
    growth,
    thousand && thousand !== largest
      ? (() => {
          // Issue 20's per-article target: the work after start-up, per article, from 1,000 to the largest corpus.
          const [from, to] = [thousand.workMs / thousand.articles, largest.workMs / largest.articles];
          const change = Math.abs(to - from) / from;
          return `- Time per article after start-up within 15 % from 1,000 to ${n(largest.articles)} articles (issue 20): ${from.toFixed(2)} → ${to.toFixed(2)} ms (${(change * 100).toFixed(1)} %) — ${mark(change <= 0.15)}`;
        })()
      : '',
    largestRow.review
      ? `- Review index of ${n(largest.articles)} articles ready in Chromium in under 2 s: **${largestRow.review.indexReadyMs} ms** — ${mark(largestRow.review.indexReadyMs < 2000)}; an article page in under 1 s: **${largestRow.review.pageReadyMs} ms** — ${mark(largestRow.review.pageReadyMs < 1000)}; \`n\` on an article's last finding crosses to the next article's page: **${largestRow.review.crossedTo === 'review.html' ? 'no' : 'yes'}** — ${mark(largestRow.review.crossedTo !== 'review.html')}`
      : '- Review pages in Chromium: not measured (no Chromium)',
    volumes
      ? `- Volumes of ${n(volumes.articlesPerVolume)} articles from the ${n(largest.articles)}: **${volumes.passed} of ${volumes.books}** books pass epubcheck 4.2.6 at its default settings — ${mark(volumes.books > 0 && volumes.passed === volumes.books)}${volumes.failures.length > 0 ? ` (${volumes.failures.slice(0, 3).join('; ')})` : ''}`
      : '',
  ].filter((line) => line !== '');
  const pagesTable =
    pages.length > 0
      ? `\n*Review pages*: each build's \`review.html\` and the article page nearest the middle of the corpus that has findings, opened from disk in headless Chromium (a fresh profile for each size). *Ready* is the page's own \`data-ready\` mark, set when its script has drawn it, in ms since its navigation began; *n to the next article* is from pressing \`n\` on that page's last finding to the next page's mark.\n\n| articles | index ready ms | index elements | article page ready ms | n to the next article ms |\n| ---: | ---: | ---: | ---: | --- |\n${pages.join('\n')}\n`
      : '';
  const volumesLine = volumes
    ? `\n*Volumes*: the ${n(largest.articles)}-article project with \`"volumes": { "articles": ${volumes.articlesPerVolume} }\`, built again from its memory (${s(volumes.buildMs)} s), then \`java -jar epubcheck.jar BOOK\` on each of its ${volumes.books} books (default settings, as many at a time as the machine has CPUs): ${(volumes.checkMedianMs / 1000).toFixed(1)} s a book (median), ${(volumes.checkMaxMs / 1000).toFixed(1)} s the slowest.\n`
    : '';
  return `${SCALE_HEADING}

Produced by \`npm run bench -- --only scale --scale-n ${rows.map((r) => r.run.articles).join(',')}${volumes ? ` --scale-volumes ${volumes.articlesPerVolume}` : ''}\` (\`bench/scale.ts\`) on ${p.date}; ${p.machine}; load average before and after ${p.load}. On demand only: not part of \`npm run bench\` or CI. Each size is one cold build of a fresh project (empty memory, ${p.segments} segments an article) against the test server at ${p.latency} ms + ${p.perKb} ms per KiB, diglot's \`concurrency\` ${p.concurrency}. *CPU* is the diglot process's user + system time; *network floor* is what the requests alone need, the sum of their latencies ÷ \`concurrency\`; *after the last answer* is the time from the server's last answer to diglot's exit. Sizes in MiB; *other review pages* sums every \`.html\` file of \`output/\` but \`review.html\`.

${table.join('\n')}
${pagesTable}${volumesLine}
${targets.join('\n')}
`;
}

/** The heading the scale section starts with: `spliceSection` finds it by this. */
export const SCALE_HEADING = '## At scale (issue 21)';

/**
 * `document` with the section that starts with `heading` (up to the next `## ` heading or the end)
 * replaced by `section`, or with `section` appended when it has none. The old section's `### `
 * subsections (analyses written by hand, which the scenario never writes) are kept after the new one.
 */
export function spliceSection(document: string, heading: string, section: string): string {
  const start = document.indexOf(`\n${heading}\n`);
  if (start < 0) return `${document.trimEnd()}\n\n${section.trimEnd()}\n`;
  const next = document.indexOf('\n## ', start + heading.length + 1);
  const end = next < 0 ? document.length : next;
  const sub = document.indexOf('\n### ', start);
  const kept = sub >= 0 && sub < end ? `\n${document.slice(sub + 1, end).trimEnd()}\n` : '';
  const after = next < 0 ? '' : document.slice(next);
  return `${document.slice(0, start + 1)}${section.trimEnd()}\n${kept}${after}`;
}

/** The section that starts with `heading` in `document`, up to the next `## ` heading; undefined when there is none. */
export function findSection(document: string, heading: string): string | undefined {
  const start = document.indexOf(`\n${heading}\n`);
  if (start < 0) return undefined;
  const next = document.indexOf('\n## ', start + heading.length + 1);
  return `${document.slice(start + 1, next < 0 ? undefined : next).trimEnd()}\n`;
}
