// Article titles taken from the lead: the English title is as many English sentences as the German title spans,
// both sides split with an abbreviation-aware splitter (src/text/sentences.ts, src/segment/article-title.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { articleDescription, articleTitle } from '../src/segment/article-title.js';
import { splitEnglishSentences, splitSentences } from '../src/text/sentences.js';
import { handMadeArticle } from './helpers.js';

function sentences(text: string): string[] {
  const pieces = splitEnglishSentences(text);
  assert.equal(pieces.join(''), text, 'joining the pieces gives the text back exactly');
  return pieces.map((s) => s.trim());
}

test('English sentence splitting keeps titles, places and numbered items together', () => {
  assert.deepEqual(sentences("Benfica's match with defensive worries after St. Gallen. Then more."), [
    "Benfica's match with defensive worries after St. Gallen.",
    'Then more.',
  ]);
  assert.deepEqual(sentences('Dr. Smith met Mrs. Jones and Prof. Lee. Mr. Brown stayed home.'), [
    'Dr. Smith met Mrs. Jones and Prof. Lee.',
    'Mr. Brown stayed home.',
  ]);
  assert.deepEqual(sentences('They climbed Mt. Everest vs. K2. Then they rested.'), [
    'They climbed Mt. Everest vs. K2.',
    'Then they rested.',
  ]);
  assert.deepEqual(sentences('Order No. 5 arrived. It was No. 1. The best.'), ['Order No. 5 arrived.', 'It was No. 1.', 'The best.']);
  assert.deepEqual(sentences('See Nos. 3 and 4 on p. 12 of Vol. 2 first. Done.'), ['See Nos. 3 and 4 on p. 12 of Vol. 2 first.', 'Done.']);
  assert.deepEqual(sentences('Bring fruit, e.g. Apples from Spain, i.e. Fresh ones. And more.'), [
    'Bring fruit, e.g. Apples from Spain, i.e. Fresh ones.',
    'And more.',
  ]);
});

test('English sentence splitting: acronyms, initials, months and numbers before a lowercase word', () => {
  assert.deepEqual(sentences('The U.S. Army and the U.K. Government agreed. Talks go on.'), [
    'The U.S. Army and the U.K. Government agreed.',
    'Talks go on.',
  ]);
  assert.deepEqual(sentences('J. R. R. Tolkien wrote it. Yes.'), ['J. R. R. Tolkien wrote it.', 'Yes.']);
  assert.deepEqual(sentences('In Sept. 2020 and on Dec. 5 it rained. It ended.'), ['In Sept. 2020 and on Dec. 5 it rained.', 'It ended.']);
  assert.deepEqual(sentences('It rose by 5. and then fell. The year was 1990. Then more.'), [
    'It rose by 5. and then fell.',
    'The year was 1990.',
    'Then more.',
  ]);
});

test('English sentence splitting still ends sentences at an abbreviation a sentence opener follows', () => {
  assert.deepEqual(sentences('I live in the U.S. It is big.'), ['I live in the U.S.', 'It is big.']);
  assert.deepEqual(sentences('Apples, pears etc. The rest stays.'), ['Apples, pears etc.', 'The rest stays.']);
  assert.deepEqual(sentences('We chose Plan B. It worked.'), ['We chose Plan B.', 'It worked.']);
  assert.deepEqual(sentences('The answer was no. Then more. Wait a sec. Then go.'), [
    'The answer was no.',
    'Then more.',
    'Wait a sec.',
    'Then go.',
  ]);
  assert.deepEqual(sentences('He said "Stop." Then he left. Really? Yes!'), ['He said "Stop."', 'Then he left.', 'Really?', 'Yes!']);
});

test('English sentence splitting of a long text: windows cut after abbreviations are mended, nothing is lost', () => {
  const sentence = 'Dr. Smith visited St. Gallen with the U.S. Army on Sept. 5. ';
  const text = sentence.repeat(200);
  const pieces = splitEnglishSentences(text);
  assert.equal(pieces.join(''), text);
  assert.equal(pieces.length, 200);
  assert.ok(pieces.every((p) => p === sentence));
});

/** The title of a plain-text article whose lead is `de`, translated as `en`. */
function title(de: string, en: string | undefined, format: 'txt' | 'md' = 'txt'): ReturnType<typeof articleTitle> {
  return articleTitle(handMadeArticle(`${de}\n\nZweiter Absatz.\n`, [en, 'Second paragraph.'], { format }));
}

test('the English title of a lead sentence is the English sentence, not cut after "St."', () => {
  const t = title(
    'Die Partie von Benfica mit Abwehrsorgen nach St. Gallen. Dann mehr.',
    "Benfica's match with defensive worries after St. Gallen. Then more.",
  );
  assert.equal(t.de, 'Die Partie von Benfica mit Abwehrsorgen nach St. Gallen.');
  assert.equal(t.en, "Benfica's match with defensive worries after St. Gallen.");
  assert.equal(t.whole, false);
});

test('English titles after Dr., U.S., e.g. and No. 5', () => {
  const cases: [string, string, string, string][] = [
    [
      'Dr. Müller warnt vor der Krise. Die Lage ist ernst.',
      'Dr. Müller warns of the crisis. The situation is serious.',
      'Dr. Müller warnt vor der Krise.',
      'Dr. Müller warns of the crisis.',
    ],
    [
      'Die US-Armee verlegt Truppen nach Polen. Moskau protestiert.',
      'The U.S. Army moves troops to Poland. Moscow protests.',
      'Die US-Armee verlegt Truppen nach Polen.',
      'The U.S. Army moves troops to Poland.',
    ],
    [
      'Manche Staaten, z. B. Polen, rüsten auf. Andere zögern.',
      'Some states, e.g. Poland, are arming. Others hesitate.',
      'Manche Staaten, z. B. Polen, rüsten auf.',
      'Some states, e.g. Poland, are arming.',
    ],
    [
      'Resolution Nr. 5 wurde angenommen. Russland stimmte dagegen.',
      'Resolution No. 5 was adopted. Russia voted against it.',
      'Resolution Nr. 5 wurde angenommen.',
      'Resolution No. 5 was adopted.',
    ],
  ];
  for (const [de, en, titleDe, titleEn] of cases) {
    const t = title(de, en);
    assert.deepEqual({ de: t.de, en: t.en, whole: t.whole }, { de: titleDe, en: titleEn, whole: false }, de);
  }
});

test('the German title keeps its splitter: ordinals and German abbreviations stay in the first sentence', () => {
  const t = title(
    'Am 5. Dezember kam Dr. Müller, z. B. mit Gästen. Er sprach lange.',
    'On December 5, Dr. Müller came, e.g. With guests. He spoke at length.',
  );
  assert.equal(t.de, 'Am 5. Dezember kam Dr. Müller, z. B. mit Gästen.');
  assert.equal(t.en, 'On December 5, Dr. Müller came, e.g. With guests.');
  assert.equal(splitSentences(t.de).length, 1);
});

test('an English lead with fewer sentences than the German title spans gives the whole English', () => {
  const t = title('Russland droht. Die NATO antwortet.', 'Russia threatens, and NATO responds.  ');
  assert.equal(t.de, 'Russland droht.');
  assert.equal(t.en, 'Russia threatens, and NATO responds.');
  assert.equal(t.whole, false);
});

test('a one-sentence lead is the whole title on both sides, even when the English has two sentences', () => {
  const t = title('Die Partie nach St. Gallen endet torlos.', 'The match after St. Gallen ends goalless. No goals.');
  assert.deepEqual(t, {
    de: 'Die Partie nach St. Gallen endet torlos.',
    en: 'The match after St. Gallen ends goalless. No goals.',
    segmentId: t.segmentId,
    whole: true,
  });
  assert.ok(t.segmentId);
});

test('an untranslated lead has a German title and no English one', () => {
  const t = title('Die Partie nach St. Gallen. Dann mehr.', undefined);
  assert.equal(t.de, 'Die Partie nach St. Gallen.');
  assert.equal(t.en, undefined);
});

test('a Markdown lead: the English title is the plain text of its first English sentence', () => {
  const t = title('Die *Partie* nach St. Gallen. Dann mehr.', 'The *match* after St. Gallen. Then more.', 'md');
  assert.equal(t.de, 'Die Partie nach St. Gallen.');
  assert.equal(t.en, 'The match after St. Gallen.');
});

test('a heading or front matter title is the title on both sides, whole', () => {
  const heading = articleTitle(handMadeArticle('# Nach St. Gallen. Dann mehr\n\nText.\n', ['After St. Gallen. Then more', 'Text.']));
  assert.deepEqual(
    { de: heading.de, en: heading.en, whole: heading.whole },
    { de: 'Nach St. Gallen. Dann mehr', en: 'After St. Gallen. Then more', whole: true },
  );
  const front = articleTitle(
    handMadeArticle('---\ntitle: Nach St. Gallen. Dann mehr\n---\n\nText. Mehr.\n', ['After St. Gallen. Then more', 'Text. More.']),
  );
  assert.deepEqual(
    { de: front.de, en: front.en, whole: front.whole },
    { de: 'Nach St. Gallen. Dann mehr', en: 'After St. Gallen. Then more', whole: true },
  );
});

test('a long lead: the title sentences are found at its start', () => {
  const de = `Die Partie nach St. Gallen. ${'Dann mehr Text für einen langen Absatz. '.repeat(100)}`.trim();
  const en = `The match after St. Gallen. ${'Then more text for a long paragraph. '.repeat(100)}`.trim();
  const t = title(de, en);
  assert.equal(t.de, 'Die Partie nach St. Gallen.');
  assert.equal(t.en, 'The match after St. Gallen.');
});

test("the front matter's description is the article's teaser, in both languages, for the books' chapter header", () => {
  const text = '---\ntitle: Titel\ndescription: "Ein \\"Zitat\\" im Vorspann"\n---\n\nText.\n';
  const a = handMadeArticle(text, ['Title', 'A "quote" in the teaser', 'Text.']);
  assert.equal(a.segments[1]?.segment.kind, 'description');
  assert.deepEqual(articleDescription(a), { de: 'Ein "Zitat" im Vorspann', en: 'A "quote" in the teaser' });
  assert.deepEqual(articleDescription(handMadeArticle(text, ['Title'])), { de: 'Ein "Zitat" im Vorspann', en: undefined });
  assert.equal(articleDescription(handMadeArticle('Text.\n', ['Text.'])), undefined);
});
