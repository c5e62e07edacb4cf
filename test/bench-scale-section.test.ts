// The scale scenario of the benchmark writes only its own section of BENCHMARKS.md: it replaces
// that section (or appends it), and the default run keeps it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findSection, SCALE_HEADING, scaleSection, spliceSection, type ScaleRow } from '../bench/scale.js';

const DOC = `# diglot benchmarks\n\nIntro.\n\n## Results\n\n| a |\n\n## Glossary at scale (issue 16)\n\nTable.\n`;
const SECTION = `${SCALE_HEADING}\n\nNew figures.\n`;

test('spliceSection appends the section once, then replaces it in place, leaving the rest byte for byte', () => {
  const once = spliceSection(DOC, SCALE_HEADING, SECTION);
  assert.equal(once, `${DOC}\n${SECTION}`);
  const again = spliceSection(once, SCALE_HEADING, `${SCALE_HEADING}\n\nNewer figures.\n`);
  assert.equal(again, `${DOC}\n${SCALE_HEADING}\n\nNewer figures.\n`);

  // A section in the middle: what follows it stays.
  const middle = `# t\n\n${SCALE_HEADING}\n\nOld.\n\n## Later\n\nKept.\n`;
  assert.equal(spliceSection(middle, SCALE_HEADING, SECTION), `# t\n\n${SECTION}\n## Later\n\nKept.\n`);

  // Subsections written by hand in the old section are kept after the new figures.
  const analysed = `# t\n\n${SCALE_HEADING}\n\nOld.\n\n### Where the time goes\n\nBy hand.\n\n### Memory\n\nToo.\n\n## Later\n\nKept.\n`;
  assert.equal(
    spliceSection(analysed, SCALE_HEADING, SECTION),
    `# t\n\n${SECTION}\n### Where the time goes\n\nBy hand.\n\n### Memory\n\nToo.\n\n## Later\n\nKept.\n`,
  );
  assert.equal(
    spliceSection(`# t\n\n${SCALE_HEADING}\n\nOld.\n\n### By hand\n\nText.\n`, SCALE_HEADING, SECTION),
    `# t\n\n${SECTION}\n### By hand\n\nText.\n`,
  );
});

test('findSection gives the section up to the next heading, or nothing', () => {
  assert.equal(findSection(DOC, SCALE_HEADING), undefined);
  const doc = `# t\n\n${SCALE_HEADING}\n\nOld.\n\n## Later\n\nKept.\n`;
  assert.equal(findSection(doc, SCALE_HEADING), `${SCALE_HEADING}\n\nOld.\n`);
  // What the default run does: its new report, with the old scale section carried over.
  const carried = spliceSection('# new\n\n## Results\n\nx\n', SCALE_HEADING, findSection(doc, SCALE_HEADING)!);
  assert.equal(carried, `# new\n\n## Results\n\nx\n\n${SCALE_HEADING}\n\nOld.\n`);
});

test('scaleSection judges the review pages and the volumes of the largest size against issue 21', () => {
  const row = (articles: number, review?: ScaleRow['review']): ScaleRow => ({
    run: { articles, wallMs: 1, workMs: 1, cpuMs: 1, peakRssMb: 1, requests: 1, networkFloorMs: 1, afterRequestsMs: 0, exitCode: 0 },
    sizes: { reviewHtml: 0, otherHtml: 0, reportJson: 0, findingsJsonl: 0, segmentsJsonl: 0 },
    ...(review ? { review } : {}),
  });
  const params = { latency: 20, perKb: 1, concurrency: 4, segments: 15, date: 'd', machine: 'm', load: 'l' };
  const fast = { indexReadyMs: 1500, indexElements: 900, pageReadyMs: 1200, crossMs: 300, crossedTo: 'a05001.html' };
  const section = scaleSection([row(1000, { ...fast, indexReadyMs: 100 }), row(10000, fast)], params, {
    articlesPerVolume: 250,
    books: 80,
    passed: 79,
    failures: ['edition.vol-07.epub: ERROR(RSC-005): bad'],
    buildMs: 1000,
    checkMaxMs: 9000,
    checkMedianMs: 5000,
  });
  assert.match(section, /--scale-n 1000,10000 --scale-volumes 250`/);
  // The largest size is judged: its index in under 2 s, its page not in under 1 s.
  assert.match(section, /Review index of 10,000 articles ready in Chromium in under 2 s: \*\*1500 ms\*\* — \*\*met\*\*/);
  assert.match(section, /an article page in under 1 s: \*\*1200 ms\*\* — \*\*not met\*\*/);
  assert.match(section, /crosses to the next article's page: \*\*yes\*\* — \*\*met\*\*/);
  assert.match(section, /\| 1,000 \| 100 \| 900 \| 1200 \| 300 \(to a05001\.html\) \|/);
  assert.match(
    section,
    /\*\*79 of 80\*\* books pass epubcheck 4\.2\.6 at its default settings — \*\*not met\*\* \(edition\.vol-07\.epub: ERROR/,
  );

  // n that ends on the index (no next article with findings) does not cross; no Chromium, no volumes: said so.
  assert.match(scaleSection([row(10, { ...fast, crossedTo: 'review.html' })], params), /\*\*no\*\* — \*\*not met\*\*/);
  const bare = scaleSection([row(10)], params);
  assert.match(bare, /Review pages in Chromium: not measured \(no Chromium\)/);
  assert.doesNotMatch(bare, /epubcheck|--scale-volumes/);
});

test('scaleSection judges the work per article after start-up from 1,000 to the largest size against issue 20', () => {
  const row = (articles: number, workMs: number): ScaleRow => ({
    run: { articles, wallMs: workMs, workMs, cpuMs: 1, peakRssMb: 1, requests: 1, networkFloorMs: 1, afterRequestsMs: 0, exitCode: 0 },
    sizes: { reviewHtml: 0, otherHtml: 0, reportJson: 0, findingsJsonl: 0, segmentsJsonl: 0 },
  });
  const params = { latency: 20, perKb: 1, concurrency: 4, segments: 15, date: 'd', machine: 'm', load: 'l' };
  const steady = scaleSection([row(1000, 10_000), row(10000, 108_000)], params);
  assert.match(
    steady,
    /after start-up within 15 % from 1,000 to 10,000 articles \(issue 20\): 10\.00 → 10\.80 ms \(8\.0 %\) — \*\*met\*\*/,
  );
  // Slower per article at the larger size by more than 15 %, or faster by more: not met either way.
  assert.match(scaleSection([row(1000, 10_000), row(10000, 120_000)], params), /\(20\.0 %\) — \*\*not met\*\*/);
  assert.match(scaleSection([row(1000, 10_000), row(10000, 80_000)], params), /\(20\.0 %\) — \*\*not met\*\*/);
  // Without a 1,000-article run there is nothing to judge it from.
  assert.doesNotMatch(scaleSection([row(3000, 1), row(10000, 1)], params), /issue 20/);
});
