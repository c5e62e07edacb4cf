// Unit tests of the report writer on tiny hand-made articles: report.json's pieces join into JSON
// with the totals first and one summary line per article; findings.jsonl and segments.jsonl give
// one object a line, keys in a fixed order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding, TranslatedArticle } from '../src/model.js';
import {
  type ArticleSummary,
  type BuildTotals,
  findingLine,
  reportArticle,
  reportEnd,
  reportHead,
  reportSeparator,
  segmentLines,
} from '../src/render/report.js';
import { EMPTY_TOTALS, findingOn, handMadeArticle } from './helpers.js';

/** report.json as a build writes it, piece by piece. */
function report(articles: Array<{ a: TranslatedArticle; findings: Finding[] }>, totals: BuildTotals): string {
  let text = reportHead(totals);
  for (const [i, { a, findings }] of articles.entries()) text += reportSeparator(i) + reportArticle(a, findings);
  return text + reportEnd(articles.length);
}

const TOTALS: BuildTotals = {
  articles: 1,
  segments: 3,
  fromMemory: 1,
  copied: 0,
  translated: 1,
  textsTranslated: 1,
  missing: 1,
  requests: 1,
  billedCharacters: 34,
  failedRequests: 0,
  findings: 1,
};

const EMPTY = EMPTY_TOTALS;

/** An article of three segments: one reviewed, one from DeepL with a term finding, one missing. */
function sample(): { a: TranslatedArticle; finding: Finding } {
  const a = handMadeArticle('# Die Ostflanke\n\nEin Absatz über die Ostflanke.\n\nOhne Übersetzung.\n', [
    'The eastern flank',
    { target: 'A paragraph about the east wing.', origin: 'deepl', status: 'draft', billedCharacters: 34 },
  ]);
  return { a, finding: findingOn(a, 1, 'term', '"Ostflanke" should be "eastern flank"') };
}

test('report.json: the totals first, then one line per article summing up its segments, findings and billing', () => {
  const { a, finding } = sample();
  const text = report([{ a, findings: [finding] }], TOTALS);
  const parsed = JSON.parse(text) as { totals: BuildTotals; articles: ArticleSummary[] };
  assert.deepEqual(Object.keys(parsed), ['totals', 'articles']);
  assert.deepEqual(parsed.totals, TOTALS);
  assert.deepEqual(parsed.articles, [
    {
      id: 'hand',
      source: 'sources/hand.md',
      title: { de: 'Die Ostflanke', en: 'The eastern flank' },
      segments: {
        total: 3,
        missing: 1,
        origin: { deepl: 1, human: 1, tmx: 0, copy: 0 },
        status: { draft: 1, reviewed: 1, approved: 0 },
      },
      billedCharacters: 34,
      findings: { term: 1 },
      accepted: 0,
      dropped: 0,
    },
  ]);
  // The totals as JSON.stringify indents them; each article on a line of its own, keys in a fixed order.
  const lines = text.split('\n');
  assert.equal(lines.filter((l) => l.startsWith('    {"id":')).length, 1, 'one line per article');
  assert.equal(
    text,
    `{\n  "totals": ${JSON.stringify(TOTALS, null, 2).replace(/\n/g, '\n  ')},\n  "articles": [\n    ${JSON.stringify(parsed.articles[0])}\n  ]\n}\n`,
  );
  assert.ok(!/\d{4}-\d\d-\d\dT/.test(text), 'no timestamps');
});

test('report.json: findings counted by rule in alphabetical order, accepted findings and dropped passages counted', () => {
  const { a } = sample();
  a.segments[0]!.accepted = ['term', 'untranslated'];
  const findings = [findingOn(a, 1, 'term', 'x'), findingOn(a, 1, 'number', 'y'), findingOn(a, 0, 'term', 'z')];
  const summary = JSON.parse(reportArticle(a, findings)) as ArticleSummary;
  assert.deepEqual(Object.entries(summary.findings), [
    ['number', 1],
    ['term', 2],
  ]);
  assert.equal(summary.accepted, 2);
  assert.equal(summary.dropped, 0);
});

test('report.json: no articles still make valid JSON; two articles are separated, and what a source holds is escaped', () => {
  const empty = report([], EMPTY);
  assert.deepEqual(JSON.parse(empty), { totals: EMPTY, articles: [] });
  assert.equal(empty, `{\n  "totals": ${JSON.stringify(EMPTY, null, 2).replace(/\n/g, '\n  ')},\n  "articles": []\n}\n`);

  const a = handMadeArticle('Ein "Zitat" mit \\ und Tab\there.\n', ['A "quote".'], { id: 'one', format: 'txt' });
  const b = handMadeArticle('Noch ein Absatz.\n', [], { id: 'two', format: 'txt' });
  const text = report(
    [
      { a, findings: [] },
      { a: b, findings: [] },
    ],
    { ...TOTALS, articles: 2 },
  );
  const parsed = JSON.parse(text) as { articles: ArticleSummary[] };
  assert.deepEqual(
    parsed.articles.map((x) => x.id),
    ['one', 'two'],
  );
  assert.equal(parsed.articles[0]?.title.de, 'Ein "Zitat" mit \\ und Tab\there.');
  assert.equal(parsed.articles[1]?.title.en, null, 'an article without English has no English title');
  assert.equal(parsed.articles[1]?.segments.missing, 1);
});

test('findings.jsonl: one finding a line, its keys in a fixed order whatever order the finding was made in', () => {
  const { a, finding } = sample();
  const shuffled: Finding = {
    expected: 'eastern flank',
    actual: 'east wing',
    message: finding.message,
    docId: finding.docId,
    segmentId: finding.segmentId,
    severity: 'warning',
    rule: 'term',
    column: finding.column,
    line: finding.line,
    file: finding.file,
  };
  const line = findingLine(shuffled);
  assert.ok(line.endsWith('}\n') && !line.slice(0, -1).includes('\n'), 'one line, ending in a newline');
  const parsed = JSON.parse(line) as Finding;
  assert.deepEqual(Object.keys(parsed), [
    'file',
    'line',
    'column',
    'rule',
    'severity',
    'message',
    'segmentId',
    'docId',
    'actual',
    'expected',
  ]);
  assert.deepEqual(parsed, shuffled);
  assert.equal(findingLine(shuffled), findingLine({ ...finding, actual: 'east wing', expected: 'eastern flank' }));
  // Without actual and expected: the keys are left out, not null.
  assert.deepEqual(Object.keys(JSON.parse(findingLine(finding))), [
    'file',
    'line',
    'column',
    'rule',
    'severity',
    'message',
    'segmentId',
    'docId',
  ]);
  assert.equal(a.segments[1]?.segment.id, parsed.segmentId);
});

test('segments.jsonl: one line per segment with its state, its findings and what a reviewer accepted', () => {
  const { a, finding } = sample();
  a.segments[0]!.accepted = ['term'];
  const text = segmentLines(a, [finding]);
  const lines = text.split('\n');
  assert.equal(lines.pop(), '', 'every line ends in a newline');
  assert.deepEqual(
    lines.map((l) => JSON.parse(l)),
    [
      {
        docId: 'hand',
        segmentId: a.segments[0]!.segment.id,
        kind: 'heading',
        line: 1,
        origin: 'human',
        status: 'reviewed',
        billedCharacters: 0,
        findings: [],
        accepted: ['term'],
      },
      {
        docId: 'hand',
        segmentId: a.segments[1]!.segment.id,
        kind: 'paragraph',
        line: 3,
        origin: 'deepl',
        status: 'draft',
        billedCharacters: 34,
        findings: ['term'],
        accepted: [],
      },
      {
        docId: 'hand',
        segmentId: a.segments[2]!.segment.id,
        kind: 'paragraph',
        line: 5,
        origin: null,
        status: 'missing',
        billedCharacters: 0,
        findings: [],
        accepted: [],
      },
    ],
  );
});
