import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { TranslationMemory } from '../src/memory/translation-memory.js';
import type { SourceDocument } from '../src/model.js';
import { normalise } from '../src/segment/normalise.js';
import { parseInline } from '../src/segment/parse-markdown.js';
import { segment } from '../src/segment/segment.js';
import { inlineCodec } from '../src/text/inline-xml.js';
import { toXmlText } from '../src/text/xml-text.js';

/** Whether a code point is a pictograph, or a skin tone or emoji presentation selector after one. */
const pictograph = (c: string | undefined): boolean => c !== undefined && /\p{Extended_Pictographic}/u.test(c);
const modifier = (c: string | undefined): boolean => c !== undefined && /[\u{1F3FB}-\u{1F3FF}\uFE0F]/u.test(c);

/**
 * The definition `normalise` must keep to, written the slow way: invisible characters dropped
 * code point by code point (a zero-width joiner kept between two pictographs), then NFC, no soft
 * hyphens, white space folded and trimmed, and NFC again (a soft hyphen may have stood between a
 * letter and its accent).
 */
function reference(text: string): string {
  const chars = [...text];
  const visible = chars.filter((c, i) => {
    if (['\u200B', '\u200C', '\u2060', '\uFEFF'].includes(c)) return false;
    if (c !== '\u200D') return true;
    const before = modifier(chars[i - 1]) ? chars[i - 2] : chars[i - 1];
    return pictograph(before) && pictograph(chars[i + 1]);
  });
  return visible
    .join('')
    .normalize('NFC')
    .replace(/\u00AD/g, '')
    .replace(/[\s\u00A0\u2007\u202F]+/gu, ' ')
    .trim()
    .normalize('NFC');
}

test('normalise: NFC, no soft hyphens, white space folded and trimmed; the short cut changes nothing', () => {
  assert.equal(normalise('  Die\u00A0NATO\n  verstär\u00ADkt  ihre Ost\u00ADflanke. '), 'Die NATO verstärkt ihre Ostflanke.');
  assert.equal(normalise('Cafe\u0301'), 'Café');
  const pieces = [
    'a',
    'Ä',
    'A\u0308',
    ' ',
    '  ',
    '\u00A0',
    '\u00AD',
    '\t',
    '\n',
    '\r\n',
    '\u2007',
    '\u202F',
    '\u2028',
    '\u3000',
    '\uFEFF',
    '\u0085',
    '„',
    '😀',
    '.',
    '\u200B',
    '\u200C',
    '\u200D',
    '\u2060',
    '\u0308',
    '👩',
    '\u{1F3FD}',
    '\uFE0F',
  ];
  let seed = 3;
  for (let i = 0; i < 20_000; i++) {
    let text = '';
    const length = Math.floor(((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 12);
    for (let j = 0; j < length; j++) text += pieces[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % pieces.length];
    assert.equal(normalise(text), reference(text), JSON.stringify(text));
    assert.equal(normalise(normalise(text)), normalise(text), `a key is its own key: ${JSON.stringify(text)}`);
  }
});

test('a segment carries its memory key, normalise(source), made with it', () => {
  const txt: SourceDocument = {
    id: 't',
    path: 't.txt',
    format: 'txt',
    text: 'Die Ost\u00ADflanke  der\u00A0NATO\n\nÄnde\u0301rung\n  mit Umbruch.',
    meta: {},
  };
  const md: SourceDocument = {
    id: 'm',
    path: 'm.md',
    format: 'md',
    text: '---\ntitle: " Die  NATO "\n---\n\n> Ein *Zitat*\n> über zwei Zeilen.\n\n| Ände\u0301rung |\n| - |\n| x |\n',
    meta: {},
  };
  for (const doc of [txt, md]) {
    const { segments } = segment(doc, []);
    assert.ok(segments.length >= 2);
    for (const s of segments) assert.equal(s.key, normalise(s.source));
  }
  assert.deepEqual(
    segment(txt, []).segments.map((s) => s.key),
    ['Die Ostflanke der NATO', 'Ändérung mit Umbruch.'],
  );
  assert.deepEqual(
    segment(md, []).segments.map((s) => s.key),
    ['Die NATO', 'Ein *Zitat* über zwei Zeilen.', 'Ändérung', 'x'],
  );
});

test('invisible characters (zero-width space, non-joiner, joiner, word joiner, BOM) are not part of the memory key', () => {
  const key = 'Die NATO verstärkt ihre Ostflanke.';
  for (const noisy of [
    'Die NATO ver\u200Bstärkt ihre Ost\u200Bflanke.',
    'Die\u200B NATO verstärkt ihre Ostflanke.\u200B',
    '\uFEFFDie NATO verstärkt ihre Ostflanke.',
    'Die NATO ver\u00AD\u200Cstärkt ihre Ost\u2060flanke.',
    'Die NATO ver\u200Dstärkt\uFEFF ihre Ostflanke.',
    'Die \u200B NATO verstärkt ihre Ostflanke.',
  ])
    assert.equal(normalise(noisy), key, JSON.stringify(noisy));
  assert.equal(normalise(key), key);
  assert.equal(normalise('Ver\uFEFFstärkung'), 'Verstärkung', 'a BOM inside a word joins, it is no space');
  assert.equal(normalise('A\u200B\u0308'), 'Ä', 'NFC again once the character between letter and accent is gone');
  assert.equal(
    normalise('Teamarbeit 👩\u200D💻 und 👩\u{1F3FD}\u200D💻'),
    'Teamarbeit 👩\u200D💻 und 👩\u{1F3FD}\u200D💻',
    'an emoji keeps its joiner',
  );
  assert.equal(normalise('\u200B'), '');
});

test('two paragraphs that differ only by invisible characters are one segment: same key, same id', () => {
  const doc = (text: string, format: 'md' | 'txt'): SourceDocument => ({ id: format, path: `a.${format}`, format, text, meta: {} });
  for (const format of ['md', 'txt'] as const) {
    const clean = segment(doc('Die Ostflanke der NATO.\n', format), []).segments;
    const noisy = segment(doc('Die Ost\u200Bflanke\u2060 der\uFEFF NATO.\n', format), []).segments;
    assert.deepEqual(
      noisy.map((s) => [s.key, s.id]),
      clean.map((s) => [s.key, s.id]),
      format,
    );
  }
});

test('the memory: an entry stored before invisible characters were normalised is found with and without them; a new one is stored without them', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-invisible-'));
  try {
    const file = path.join(dir, 'memory.jsonl');
    const T = '2025-01-01T00:00:00Z';
    // A line as earlier versions wrote it: the German normalised without any invisible character.
    const stored = {
      source: 'Die Ostflanke der NATO',
      target: 'NATO’s eastern flank',
      lang: 'en-US',
      origin: 'human',
      status: 'reviewed',
      created: T,
      updated: T,
    };
    writeFileSync(file, `${JSON.stringify(stored)}\n`);
    const { memory, problems } = await TranslationMemory.open(file);
    assert.deepEqual(problems, []);
    assert.equal(memory.lookup('Die Ostflanke der NATO', 'en-US')?.target, 'NATO’s eastern flank');
    assert.equal(memory.lookup('Die Ost\u200Bflanke der\u00A0NATO\uFEFF', 'en-US')?.target, 'NATO’s eastern flank');
    const md = 'Titel\n\n\uFEFFDie\u200B Ostflanke der\u2060 NATO\n';
    const key = segment({ id: 'm', path: 'm.md', format: 'md', text: md, meta: {} }, []).segments[1]?.key;
    assert.equal(memory.lookupKey(key ?? '', 'en-US')?.target, 'NATO’s eastern flank', 'a segment’s key finds it too');

    memory.append([
      { ...stored, source: 'Ein\u200B neuer\u200C Satz\u2060.', target: 'A new sentence.', origin: 'deepl', status: 'draft' },
    ]);
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    assert.equal(lines.length, 2);
    assert.equal(JSON.parse(lines[1] ?? '{}').source, 'Ein neuer Satz.', 'stored without the invisible characters');
    const { memory: reloaded } = await TranslationMemory.open(file);
    assert.equal(reloaded.lookup('Ein neuer Satz.', 'en-US')?.target, 'A new sentence.');
    assert.equal(reloaded.lookup('Ein neuer\u200B Satz.', 'en-US')?.target, 'A new sentence.');
    assert.equal(reloaded.size, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('invisible characters are not sent to DeepL, so they cannot come back in the English; an emoji keeps its joiner', () => {
  assert.equal(toXmlText('Ost\u200Bflanke & \uFEFFNATO <b>\u2060'), 'Ostflanke &amp; NATO &lt;b&gt;');
  assert.equal(toXmlText('Zeile\u200C\neins 👩\u200D💻'), 'Zeile eins 👩\u200D💻');
  const plain = inlineCodec({ source: 'Die Ost\u200Bflanke\uFEFF der NATO.', markdown: false });
  assert.equal(plain.xml, 'Die Ostflanke der NATO.');
  const source = 'Die *Ost\u200Bflanke* der [NATO\u2060](https://nato.int) und `a\u200Bb`.';
  const md = inlineCodec({ source, markdown: true, phrasing: parseInline(source) });
  assert.equal(md.xml, 'Die <em>Ostflanke</em> der <a i="0">NATO</a> und <code i="1">ab</code>.');
  assert.equal(
    md.restore('The <em>eastern flank</em> of <a i="0">NATO</a> and <code i="1">ab</code>.'),
    'The *eastern flank* of [NATO](https://nato.int) and `a\u200Bb`.',
    'code comes back as it was written',
  );
});

test('soft hyphens are not sent and a decomposed text goes composed (NFC), as its memory key: DeepL bills no extra character and its glossary matches', () => {
  const decomposed = 'Neue U\u0308bungen an der Ost\u00ADflanke.';
  const plain = inlineCodec({ source: decomposed, markdown: false });
  assert.equal(plain.xml, 'Neue \u00DCbungen an der Ostflanke.');
  assert.equal(plain.xml, normalise(decomposed), 'what is sent is the key: billed as many characters as it has');
  const source = 'Die *Ost\u00ADflanke* und [U\u0308bung](https://a.b "Gro\u00DFe U\u0308bung").';
  const md = inlineCodec({ source, markdown: true, phrasing: parseInline(source) });
  assert.equal(md.xml, 'Die <em>Ostflanke</em> und <a i="0">\u00DCbung</a>. <title i="0">Gro\u00DFe \u00DCbung</title>');
});

test('a no-break space ("5\u00A0%", "S.\u00A05") is sent as written and stays in the English; line breaks and runs of spaces are folded', () => {
  const source = 'Zehn\u00A0Euro, *S.\u00A05* und [Link\u00A0X](https://a.b "T\u00A0t"),\nzwei   Zeilen.';
  const md = inlineCodec({ source, markdown: true, phrasing: parseInline(source) });
  assert.equal(md.xml, 'Zehn\u00A0Euro, <em>S.\u00A05</em> und <a i="0">Link\u00A0X</a>, zwei Zeilen. <title i="0">T\u00A0t</title>');
  assert.equal(
    md.restore('Ten\u00A0euros, <em>p.\u00A05</em> and <a i="0">link\u00A0X</a>, two lines.<title i="0">T\u00A0t</title>'),
    'Ten\u00A0euros, *p.\u00A05* and [link\u00A0X](https://a.b "T\u00A0t"), two lines.',
  );
  // The memory's key folds it: both spellings are one text, translated and billed once.
  assert.equal(normalise('5\u00A0%'), normalise('5 %'));
});

test('the marks and controls of writing direction are invisible noise: left out of the key and of the text sent', () => {
  for (const mark of [
    '\u061C',
    '\u200E',
    '\u200F',
    '\u202A',
    '\u202B',
    '\u202C',
    '\u202D',
    '\u202E',
    '\u2066',
    '\u2067',
    '\u2068',
    '\u2069',
  ]) {
    assert.equal(normalise(`Der Satz mit ${mark}Marke.`), 'Der Satz mit Marke.', JSON.stringify(mark));
    assert.equal(toXmlText(`Der Satz mit ${mark}Marke.`), 'Der Satz mit Marke.', JSON.stringify(mark));
  }
  // The narrow no-break space beside them is white space still, not removed.
  assert.equal(normalise('10\u202F%'), '10 %');
});
