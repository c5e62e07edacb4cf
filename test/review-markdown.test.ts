// Unit tests of the review-Markdown writer on a tiny hand-made article: one pair per segment in
// order, German quoted above its English, missing translations marked, findings on their pair.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MISSING_MARKER, REVIEW_HEADER, renderReviewMarkdown } from '../src/review-file/review-markdown.js';
import { targetFromBlock } from '../src/review-file/compare-review.js';
import { findingOn, handMadeArticle } from './helpers.js';
import { englishOf, segmentIds } from './review-helpers.js';

const GERMAN =
  '# Die Ostflanke\n\nErster Absatz mit *Betonung*.\n\nZweiter Absatz über die Ostflanke.\n\nDritter Absatz ohne Übersetzung.\n';
const article = () =>
  handMadeArticle(GERMAN, [
    'The eastern flank',
    'First paragraph with *emphasis*.',
    { target: 'Second paragraph about the east wing.', origin: 'deepl', status: 'draft' },
    undefined,
  ]);

/** The text of the pair of segment `id`, from its opening comment to its closing one. */
function pairOf(text: string, id: string): string {
  const start = text.indexOf(`<!-- segment ${id} `);
  assert.ok(start >= 0, `no pair ${id}`);
  return text.slice(start, text.indexOf('<!-- /segment -->', start));
}

test('one pair per segment, in order: the German quoted, then the English under its EN marker', () => {
  const a = article();
  const text = renderReviewMarkdown(a, []);
  assert.ok(text.startsWith(`${REVIEW_HEADER}\n`));
  assert.deepEqual(
    segmentIds(text),
    a.segments.map((t) => t.segment.id),
  );
  assert.equal(a.segments.length, 4);
  const [heading, first] = a.segments;
  const headingPair = pairOf(text, heading!.segment.id);
  assert.match(
    headingPair,
    /^<!-- segment \S+ · heading 1 · line 1 · reviewed \(human\) -->\n\n> # Die Ostflanke\n\n<!-- EN -->\n\n# The eastern flank\n\n$/,
  );
  const firstPair = pairOf(text, first!.segment.id);
  assert.ok(firstPair.indexOf('> Erster Absatz mit *Betonung*.') < firstPair.indexOf('<!-- EN -->'), 'German before English');
  assert.equal(englishOf(text, first!.segment.id), 'First paragraph with *emphasis*.', 'inline Markdown kept as written');
  // Blank lines around every block, so a renderer never merges German and English.
  assert.doesNotMatch(text, /^> .*\n<!-- EN -->/m);
  assert.match(text, /^- Segments: 4 · reviewed 2 · machine 1 · missing 1$/m);
});

test('a missing translation is marked where the English goes, and its status says so', () => {
  const a = article();
  const missing = a.segments[3]!.segment;
  const text = renderReviewMarkdown(a, []);
  assert.equal(englishOf(text, missing.id), MISSING_MARKER);
  assert.match(text, new RegExp(`<!-- segment ${missing.id} · paragraph · line 7 · missing -->`));
  assert.match(pairOf(text, a.segments[2]!.segment.id), /· machine \(deepl\) -->/);
  assert.equal(text.split(MISSING_MARKER).length - 1, 1, 'only the missing pair is marked');
});

test('a finding stands on its own pair, between the German and the English, on one escaped line', () => {
  const a = article();
  const finding = findingOn(a, 2, 'term', '"Ostflanke" should be *eastern flank*,\nnot "east wing"');
  const text = renderReviewMarkdown(a, [finding]);
  const pair = pairOf(text, finding.segmentId);
  const at = pair.indexOf('> ⚠ **term**: ');
  assert.ok(at > pair.indexOf('> Zweiter Absatz') && at < pair.indexOf('<!-- EN -->'), pair);
  assert.match(pair, /^> ⚠ \*\*term\*\*: "Ostflanke" should be \\\*eastern flank\\\*, not "east wing"$/m);
  assert.equal(text.split('> ⚠').length - 1, 1, 'on no other pair');
});

test('plain-text sources are escaped on both sides, so a renderer shows them as written', () => {
  const a = handMadeArticle('Preis: 5 * 3 Euro [sic] & mehr.\n', ['Price: 5 * 3 euros [sic] & more.'], { format: 'txt' });
  const text = renderReviewMarkdown(a, []);
  const id = a.segments[0]!.segment.id;
  assert.match(pairOf(text, id), /^> Preis: 5 \\\* 3 Euro \\\[sic] & mehr\.$/m);
  assert.equal(englishOf(text, id), 'Price: 5 \\* 3 euros \\[sic] & more.');
  // Read back, the escapes are undone: the English as the memory holds it.
  assert.equal(targetFromBlock([englishOf(text, id)], { kind: 'paragraph', markdown: false }), 'Price: 5 * 3 euros [sic] & more.');
});

test("a plain-text source's English is read back as the reviewer wrote it: nothing that looks like Markdown or HTML is lost", () => {
  const read = (...lines: string[]): string => targetFromBlock(lines, { kind: 'paragraph', markdown: false });
  assert.equal(read('- a line that looks like a list', '- another one'), '- a line that looks like a list - another one');
  assert.equal(read('# not a heading but text'), '# not a heading but text');
  assert.equal(read('It is <good> & fine, *really* 1.'), 'It is <good> & fine, *really* 1.');
  assert.equal(read('\\- escaped &amp; &#x20;spaced'), '- escaped & spaced');
  // Every text the review file shows reads back as itself.
  for (const english of ['- a', '# b', '<good> & fine', '1. c', '*d* _e_ `f`', 'g\\h', '&amp; &copy;', '> i']) {
    const a = handMadeArticle('Text.\n', [english], { format: 'txt' });
    assert.equal(read(englishOf(renderReviewMarkdown(a, []), a.segments[0]!.segment.id)), english);
  }
});

test('hard line breaks survive the review file: shown as a backslash (two spaces would not show), and read back, edited or not', () => {
  const german = 'Eine Zeile mit hartem Umbruch  \nund die nächste mit Backslash\\\nund die letzte Zeile.\n';
  const english = 'A line with a hard break  \nand the next with a backslash\\\nand the last line.';
  const a = handMadeArticle(german, [english]);
  const id = a.segments[0]!.segment.id;
  const shown = englishOf(renderReviewMarkdown(a, []), id);
  assert.equal(shown, 'A line with a hard break\\\nand the next with a backslash\\\nand the last line.');
  const read = (text: string): string => targetFromBlock(text.split('\n'), { kind: 'paragraph', markdown: true });
  assert.equal(read(shown), 'A line with a hard break\\\nand the next with a backslash\\\nand the last line.');
  // A reviewer's edit keeping the lines, with either kind of break; a line without one joins the next.
  assert.equal(read('A line, reviewed  \nthe next\\\nthe last,\nwrapped.'), 'A line, reviewed\\\nthe next\\\nthe last, wrapped.');
  // An escaped backslash at a line's end is no break.
  assert.equal(read('C:\\\\\nD'), 'C:\\\\ D');
});
