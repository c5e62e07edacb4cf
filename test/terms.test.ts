import assert from 'node:assert/strict';
import { test } from 'node:test';
import { englishPattern } from '../src/glossary/english-term.js';
import { parseGlossary } from '../src/glossary/parse-glossary.js';
import { compileTermMatcher } from '../src/glossary/match-terms.js';
import { checkTerms } from '../src/qa/check-terms.js';
import { segmentTerms } from '../src/glossary/match-terms.js';
import type { SourceDocument } from '../src/model.js';
import { segmentMarkdown } from '../src/segment/segment-markdown.js';
import { termText } from '../src/text/prose.js';

const { glossary } = parseGlossary(
  [
    'german,english,forms,note',
    'Nato-Russland-Rat,NATO-Russia Council,NATO-Russland-Rat,',
    'Ostflanke,eastern flank,Ostflanken=eastern flanks,',
    'rote Linien,red lines,rote Linie=red line,',
    'Rat,council,,',
  ].join('\n'),
  'g.csv',
);
const match = compileTermMatcher(glossary);
const found = (text: string): string[] => match(text).map((m) => `${m.term.german}=${m.found}`);

/** A Markdown source of these lines. */
function markdownDoc(lines: string[]): SourceDocument {
  return { id: 'x', path: 'sources/x.md', format: 'md', meta: {}, text: lines.join('\n') };
}

test('case and number endings', () => {
  assert.deepEqual(found('Die Ostflanke und die Ostflanken.'), ['Ostflanke=Ostflanke', 'Ostflanke=Ostflanken']);
  assert.deepEqual(found('Sitzung des Nato-Russland-Rates, Beschluss des Nato-Russland-Rats, im Nato-Russland-Rat.'), [
    'Nato-Russland-Rat=Nato-Russland-Rates',
    'Nato-Russland-Rat=Nato-Russland-Rats',
    'Nato-Russland-Rat=Nato-Russland-Rat',
  ]);
  // The plurals of nouns in -ion, -in and -nis.
  const nouns = compileTermMatcher(
    parseGlossary('german,english,forms,note\nSanktion,sanction,,\nAußenministerin,foreign minister,,\nBündnis,alliance,,\n', 'g.csv')
      .glossary,
  );
  assert.deepEqual(
    nouns('Die Sanktionen der Außenministerinnen, die Bündnisse, des Bündnisses, den Bündnissen, die Sanktion.').map((m) => m.found),
    ['Sanktionen', 'Außenministerinnen', 'Bündnisse', 'Bündnisses', 'Bündnissen', 'Sanktion'],
  );
  // And of nouns in -n and -s, whose stem lost that letter too.
  const more = compileTermMatcher(parseGlossary('german,english,forms,note\nTermin,appointment,,\nKreis,district,,\n', 'g.csv').glossary);
  assert.deepEqual(
    more('Die Termine des Termins, der Kreis, die Kreise, des Kreises, den Kreisen.').map((m) => m.found),
    ['Termine', 'Termins', 'Kreis', 'Kreise', 'Kreises', 'Kreisen'],
  );
});

test('nouns in -en, -er, -em take their endings after the whole word; a noun made of an adjective takes its own; a stem makes no other word', () => {
  const nouns = compileTermMatcher(
    parseGlossary(
      [
        'german,english,forms,note',
        'Abkommen,agreement,,',
        'Außenminister,foreign minister,,',
        'Problem,problem,,',
        'Raketenabwehrsystem,missile defence system,,',
        'Frieden,peace,,',
        'Verbündeter,ally,,',
        'Abgeordnete,member of parliament,,',
        'Lage,situation,,',
        'Lager,camp,,',
      ].join('\n'),
      'g.csv',
    ).glossary,
  );
  const of = (text: string): string[] => nouns(text).map((m) => `${m.term.german}=${m.found}`);
  assert.deepEqual(of('Die Unterzeichnung des Abkommens, den Abkommen.'), ['Abkommen=Abkommens', 'Abkommen=Abkommen']);
  assert.deepEqual(of('Der Besuch des Außenministers bei den Außenministern.'), [
    'Außenminister=Außenministers',
    'Außenminister=Außenministern',
  ]);
  assert.deepEqual(of('Die Probleme und des Problems; die Raketenabwehrsysteme.'), [
    'Problem=Probleme',
    'Problem=Problems',
    'Raketenabwehrsystem=Raketenabwehrsysteme',
  ]);
  assert.deepEqual(of('Des Friedens wegen.'), ['Frieden=Friedens']);
  assert.deepEqual(of('Ein Verbündeter, die Verbündeten, dem Verbündetem; der Abgeordnete, ein Abgeordneter.'), [
    'Verbündeter=Verbündeter',
    'Verbündeter=Verbündeten',
    'Verbündeter=Verbündetem',
    'Abgeordnete=Abgeordnete',
    'Abgeordnete=Abgeordneter',
  ]);
  // "Lager" is no form of "Lage", nor "Lage" of "Lager": each finds itself and its own endings.
  assert.deepEqual(of('Die Lage im Lager, die Lagen der Lagers.'), ['Lage=Lage', 'Lager=Lager', 'Lage=Lagen', 'Lager=Lagers']);
});

test("a noun takes a noun's endings: not those that make another noun (Banker, Gutachter), but a foreign plural's and, made of an adjective, an adjective's", () => {
  const rows = [
    'Bank,bank,,',
    'Gewinn,profit,,',
    'Gutachten,expert report,,',
    'Treffen,meeting,,',
    'Botschafter,ambassador,,',
    'Tatverdächtige,suspect,,',
    'Sachverständiger,expert,,',
    'Arbeitsloser,unemployed person,,',
    'Zentrum,centre,,',
    'Museum,museum,,',
    'Virus,virus,,',
    'Thema,topic,,',
    'Risiko,risk,,',
    'Nato-Gipfel,NATO summit,,',
    'Bund,federation,,',
  ];
  const terms = compileTermMatcher(parseGlossary(['german,english,forms,note', ...rows].join('\n'), 'g.csv').glossary);
  const of = (text: string): string[] => terms(text).map((m) => `${m.term.german}=${m.found}`);
  // Other nouns: no term.
  assert.deepEqual(of('Der Banker, der Gewinner, der Gutachter, der Treffer und die Botschaften.'), []);
  // The terms themselves, with their endings.
  assert.deepEqual(of('Die Banken, des Gewinns, die Gutachten, beim Treffen, des Botschafters.'), [
    'Bank=Banken',
    'Gewinn=Gewinns',
    'Gutachten=Gutachten',
    'Treffen=Treffen',
    'Botschafter=Botschafters',
  ]);
  assert.deepEqual(of('Ein Tatverdächtiger, die Sachverständige, des Sachverständigen, den Arbeitslosen.'), [
    'Tatverdächtige=Tatverdächtiger',
    'Sachverständiger=Sachverständige',
    'Sachverständiger=Sachverständigen',
    'Arbeitsloser=Arbeitslosen',
  ]);
  assert.deepEqual(of('Die Zentren, die Museen, die Viren, die Themen, die Risiken; des Zentrums.'), [
    'Zentrum=Zentren',
    'Museum=Museen',
    'Virus=Viren',
    'Thema=Themen',
    'Risiko=Risiken',
    'Zentrum=Zentrums',
  ]);
  // A hyphen of the term may be a non-breaking one in the text; a shortened compound's first part is no term.
  assert.deepEqual(of('Beim Nato\u2011Gipfel sprachen Bundes- und Landesbehörden.'), ['Nato-Gipfel=Nato\u2011Gipfel']);
});

test('adjective endings in multi-word terms, also across a line break or no-break space', () => {
  assert.deepEqual(found('Moskaus „rote Linien“ und die roten Linien'), ['rote Linien=rote Linien', 'rote Linien=roten Linien']);
  assert.deepEqual(found('jenseits der roten\u00A0Linie'), ['rote Linien=roten\u00A0Linie']);
  assert.deepEqual(found('die roten\nLinien'), ['rote Linien=roten\nLinien']);
});

test('capitalisation at a sentence start or in a heading', () => {
  assert.deepEqual(found('Rote Linien nicht verhandelbar'), ['rote Linien=Rote Linien']);
  assert.deepEqual(found('„Roten Linien“ nicht verhandelbar'), ['rote Linien=Roten Linien']);
});

test('spelling variants the glossary lists', () => {
  assert.deepEqual(found('Eigentlich wäre der NATO-Russland-Rat das Format'), ['Nato-Russland-Rat=NATO-Russland-Rat']);
});

test('the term as the head of a hyphenated compound', () => {
  assert.deepEqual(found('Die NATO-Ostflanke wird verstärkt.'), ['Ostflanke=Ostflanke']);
});

test('never inside a larger word that means something else', () => {
  assert.deepEqual(found('Der Ostflankenschutz, der Linienbus, ein Ratgeber und der Beirat.'), []);
  // The longest term wins where two overlap: "Rat" is not reported inside the council's name.
  assert.deepEqual(found('im Nato-Russland-Rat'), ['Nato-Russland-Rat=Nato-Russland-Rat']);
});

test('English terms allow English inflection, not other words', () => {
  const red = englishPattern('red lines');
  for (const ok of ['Moscow’s "red lines."', 'a red line', 'Red lines are', 'the red line’s limits', 'red-line issues'])
    assert.match(ok, red, ok);
  for (const bad of ['redlines', 'red-lined', 'the red lining', 'read lines']) assert.doesNotMatch(bad, red, bad);
  const flank = englishPattern('eastern flank');
  for (const ok of ['its eastern flank', "the eastern flank's defence", 'eastern flanks', 'Eastern Flank', 'the eastern-flank states'])
    assert.match(ok, flank, ok);
  assert.doesNotMatch('eastern flanking', flank);
  const council = englishPattern('NATO-Russia Council');
  for (const ok of ['the NATO-Russia Council', 'the NATO–Russia Council’s last meeting']) assert.match(ok, council, ok);
  assert.doesNotMatch('the NATO council', council);
  for (const bad of ['the NATO-Russia council', 'the nATO-Russia Council']) assert.doesNotMatch(bad, council, bad);
  // Plurals in -ies, -es of -is, -men; and back from a plural the glossary gives.
  const plurals: Array<[string, string[], string[]]> = [
    ['strategy', ['NATO’s strategies', 'the strategy’s aim', 'Strategies'], ['strategys', 'stratagem']],
    ['ally', ['The allies met', 'an ally'], ['alley', 'allys']],
    ['city', ['the cities'], ['citys']],
    ['crisis', ['two crises', 'the crisis’s end'], ['crisiss']],
    ['spokesman', ['the spokesmen said', 'a spokesman’s'], ['spokesmans']],
    ['allies', ['an ally', 'the allies'], []],
  ];
  for (const [term, ok, bad] of plurals) {
    for (const text of ok) assert.match(text, englishPattern(term), `${term}: ${text}`);
    for (const text of bad) assert.doesNotMatch(text, englishPattern(term), `${term}: ${text}`);
  }
  // An apostrophe in the term, straight or typographic either side.
  for (const ok of ['Putin’s war continues.', "Putin's wars", 'Putin’s War']) assert.match(ok, englishPattern("Putin's war"), ok);
  // A capital the glossary gives is kept (a proper name): never a small letter for it.
  assert.doesNotMatch('putin’s war', englishPattern("Putin's war"));
  assert.match("Putin's war", englishPattern('Putin’s war'));
  // Quotation marks in the term, straight or typographic either side; the letter after them may change its case.
  for (const ok of ['The “turning point” came.', 'The "turning point" came.', '„Turning point“ it was.'])
    assert.match(ok, englishPattern('"turning point"'), ok);
  assert.match('The "turning point" came.', englishPattern('“turning point”'));
  assert.doesNotMatch('The turning point came.', englishPattern('"turning point"'), 'the marks are part of the term');
  // As the glossary writes it (what `retranslate --term` asks): only the very first letter may change its case.
  const written = englishPattern('eastern flank', 'first word');
  for (const ok of ['Eastern flank', 'the eastern-flank states', "the eastern flank's"]) assert.match(ok, written, ok);
  for (const bad of ['the Eastern Flank', 'the eastern-Flank states']) assert.doesNotMatch(bad, written, bad);
});

test('a term in a code span or a bare web address is no term of the text (it stays as written in the English); offsets point into plain', () => {
  const { segments } = segmentMarkdown(
    markdownDoc([
      'Der Befehl `Ostflanke` gilt, die Ostflanke auch.',
      '',
      'Siehe https://example.com/nato/Ostflanke dazu.',
      '',
      'Siehe <https://example.com/Ostflanke> und [die Ostflanke](https://example.com/Ostflanke).',
      '',
    ]),
  );
  const match = compileTermMatcher(parseGlossary('german,english,forms,note\nOstflanke,eastern flank,,\n', 'g.csv').glossary);
  const terms = segmentTerms(
    segments.map((segment) => ({ segment })),
    match,
  );
  // Each segment's last "Ostflanke" only, where its plain text has it.
  const found = segments.map((s) => (terms.get(s.id) ?? []).map((m) => s.plain.slice(m.start, m.end) === m.found && m.start));
  const last = (s: (typeof segments)[number]): number => s.plain.lastIndexOf('Ostflanke');
  assert.deepEqual(found, [[last(segments[0]!)], [], [last(segments[2]!)]]);
});

test('a term split by a soft hyphen, or written decomposed (NFD), is found as DeepL is sent it, and its English checked', () => {
  const { segments } = segmentMarkdown(markdownDoc(['Die Ost\u00ADflanke und die U\u0308bung.', '']));
  const match = compileTermMatcher(
    parseGlossary('german,english,forms,note\nOstflanke,eastern flank,,\nÜbung,exercise,,\n', 'g.csv').glossary,
  );
  const terms = segmentTerms(
    segments.map((segment) => ({ segment })),
    match,
  );
  const segment = segments[0]!;
  assert.deepEqual(
    (terms.get(segment.id) ?? []).map((m) => m.term.german),
    ['Ostflanke', 'Übung'],
  );
  const findings = checkTerms(
    { segment, target: 'EN: Die Ost\u00ADflanke und die Übung.', file: 'sources/x.md' },
    terms.get(segment.id) ?? [],
  );
  assert.deepEqual(
    findings.map((f) => f.expected),
    ['eastern flank', 'exercise'],
  );
});

test("a term finding is placed where the term stands, on a paragraph's later line and after a quote's marker", () => {
  const doc = markdownDoc(['# Titel', '', '> Die erste Zeile', '> und die zweite,', '> dann die Ostflanke hier.', '']);
  const { segments } = segmentMarkdown(doc);
  const quote = segments[1]!;
  const [term] = checkTerms(
    { segment: quote, target: 'The first line and the second, then the east wing here.', file: doc.path },
    match(quote.plain),
  );
  assert.deepEqual([term?.line, term?.column], [5, 12]);
  // Where the German spells it across emphasis or with a soft hyphen, where it starts there.
  const { segments: split } = segmentMarkdown(markdownDoc(['Die *Ost*flanke und die **roten** Linien, die Ost\u00ADflanke.', '']));
  const found = checkTerms({ segment: split[0]!, target: 'The east wing.', file: doc.path }, match(split[0]!.plain));
  assert.deepEqual(
    found.map((f) => [f.line, f.column]),
    [
      [1, 6],
      [1, 27],
    ],
  );
  const { segments: soft } = segmentMarkdown(markdownDoc(['Dort die Ost\u00ADflanke.', '']));
  const [hyphened] = checkTerms({ segment: soft[0]!, target: 'There the east wing.', file: doc.path }, match(termText(soft[0]!)));
  assert.deepEqual([hyphened?.line, hyphened?.column], [1, 10]);
  // Written decomposed (NFD), where it stands too (its column counted as the file spells it: "Ü" is two there).
  const pact = compileTermMatcher(parseGlossary('german,english,forms,note\nBündnis,alliance,,\n', 'g.csv').glossary);
  const { segments: nfd } = segmentMarkdown(markdownDoc(['Über das Bündnis.'.normalize('NFD'), '']));
  const decomposed = checkTerms({ segment: nfd[0]!, target: 'About the pact.', file: doc.path }, pact(termText(nfd[0]!)));
  assert.deepEqual(
    decomposed.map((f) => [f.expected, f.line, f.column]),
    [['alliance', 1, 11]],
  );
});

test('a term whose stem lost a letter of it never matches that stem alone: "Wien" is not "wie", "Mann" not "Man"', () => {
  const terms = compileTermMatcher(
    parseGlossary('german,english,forms,note\nWien,Vienna,,\nMann,man,,\nPutin,Putin,,\nLinie,line,,\n', 'g.csv').glossary,
  );
  const found = (text: string): string[] => terms(text).map((m) => m.found);
  assert.deepEqual(found('So wie immer. Man sagt das. Puti kam. Die Lini endet.'), []);
  assert.deepEqual(found('In Wien, Wiens Mann, des Manns, Putin und Putins Linie, die Linien.'), [
    'Wien',
    'Wiens',
    'Mann',
    'Manns',
    'Putin',
    'Putins',
    'Linie',
    'Linien',
  ]);
});

test('a capital head stays one ("macht" is no "Macht", "raten" no "Rat"); a term that modifies a hyphenated compound is not found', () => {
  const nouns = compileTermMatcher(parseGlossary('german,english,forms,note\nMacht,power,,\nRat,council,,\n', 'g.csv').glossary);
  assert.deepEqual(
    nouns('Das macht nichts, wir raten ab. Die Macht des Rates.').map((m) => m.found),
    ['Macht', 'Rates'],
  );
  // A lower-case term may still start a sentence.
  assert.deepEqual(found('Rote Linien'), ['rote Linien=Rote Linien']);
  assert.deepEqual(found('Litauen ist ein Ostflanken-Staat, an der Ostflanke.'), ['Ostflanke=Ostflanke']);
});

test('the English is read as a reader reads it: markup inside a term is no gap, an address or a comment holds no term; a form asks for its own English', () => {
  const { segments } = segmentMarkdown(
    markdownDoc(['Die roten Linien.', '', 'Die Ostflanke.', '', 'Die Ostflanke hält.', '', 'Die NATO-Ostflanke hält.', '']),
  );
  const withForm = compileTermMatcher(
    parseGlossary(
      'german,english,forms,note\nOstflanke,eastern flank,NATO-Ostflanke=NATO’s eastern flank,\nrote Linien,red lines,,\n',
      'g.csv',
    ).glossary,
  );
  const terms = segmentTerms(
    segments.map((segment) => ({ segment })),
    withForm,
  );
  const check = (i: number, english: string): string[] =>
    checkTerms({ segment: segments[i]!, target: english, file: 'sources/x.md' }, terms.get(segments[i]!.id) ?? []).map(
      (f) => f.expected ?? '',
    );
  assert.deepEqual(check(0, 'The **red** lines.'), []);
  assert.deepEqual(check(1, 'The *eastern* flank.'), []);
  assert.deepEqual(check(1, 'The [east](https://x.org/eastern-flank).'), ['eastern flank']);
  assert.deepEqual(check(2, 'The east <!-- eastern flank --> holds.'), ['eastern flank']);
  assert.deepEqual(check(3, 'The eastern flank holds.'), ['NATO’s eastern flank']);
  assert.deepEqual(check(3, 'NATO’s eastern flank holds.'), []);
});
