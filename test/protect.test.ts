// Protected tokens (config `protect`): macros, shortcodes and placeholders never go to DeepL as text,
// come back byte for byte, are not billed when a paragraph is nothing else, and are checked in every English.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfig } from '../src/config/load-config.js';
import { build } from '../src/pipeline.js';
import { inlineCodec } from '../src/text/inline-xml.js';
import { protectPattern, protectTokens, unprotectedShortcodes } from '../src/segment/protect-tokens.js';
import { formatMessage } from '../src/util/format-message.js';
import { MemoryLogger } from '../src/util/logger.js';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { configOf, deeplEngine, handMadeArticle, segmentsOf } from './helpers.js';

let server: DeepLServer;
before(async () => {
  server = await startDeepLServer();
});
after(async () => {
  await server.close();
});

function project(config: object, sources: Record<string, string>, memory = ''): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-protect-'));
  writeFileSync(path.join(dir, 'diglot.config.json'), JSON.stringify({ title: 'T', ...config }, null, 2));
  for (const sub of ['sources', 'glossary', 'memory']) mkdirSync(path.join(dir, sub));
  writeFileSync(path.join(dir, 'glossary', 'terms.csv'), 'german,english,forms,note\n');
  writeFileSync(path.join(dir, 'memory', 'memory.jsonl'), memory);
  for (const [name, text] of Object.entries(sources)) writeFileSync(path.join(dir, 'sources', name), text);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('the config takes preset names and regular expressions, and names a bad entry at its line', async () => {
  const p = project({ protect: ['macros', String.raw`\[\[[^\]]+\]\]`] }, {});
  try {
    const { value } = await loadConfig(p.dir);
    assert.deepEqual(value?.protect, ['macros', String.raw`\[\[[^\]]+\]\]`]);
    writeFileSync(path.join(p.dir, 'diglot.config.json'), '{\n  "title": "T",\n  "protect": ["macros", "([a-z", "x*"]\n}\n');
    const { value: none, errors } = await loadConfig(p.dir);
    assert.equal(none, undefined);
    assert.deepEqual(
      errors.map((e) => formatMessage(e)),
      [
        'diglot.config.json:3: "protect[1]": not a valid regular expression: Invalid regular expression: /([a-z/u: Unterminated character class',
        'diglot.config.json:3: "protect[2]": "x*" matches the empty text',
      ],
    );
    // A preset's name misspelt is taken as the word it is, and said.
    writeFileSync(path.join(p.dir, 'diglot.config.json'), '{\n  "title": "T",\n  "protect": ["makros"]\n}\n');
    const { value: misspelt, warnings } = await loadConfig(p.dir);
    assert.deepEqual(misspelt?.protect, ['makros']);
    assert.deepEqual(
      warnings.map((w) => formatMessage(w)),
      [
        'diglot.config.json:3: "protect[0]": "makros" is taken as a regular expression (the word itself); did you mean the preset "macros"?',
      ],
    );
  } finally {
    p.cleanup();
  }
});

test('a token travels as a placeholder and comes back byte for byte, in Markdown and in plain text', () => {
  const [md] = segmentsOf('Die Pseudoklasse {{ Cssxref(":link") }} und *mehr*, %s Mal.\n', 'md', ['macros', 'placeholders']);
  assert.deepEqual(md!.protected, ['{{ Cssxref(":link") }}', '%s']);
  const codec = inlineCodec(md!);
  assert.equal(codec.xml, 'Die Pseudoklasse <x i="0"/> und <em>mehr</em>, <x i="1"/> Mal.');
  assert.equal(
    codec.restore('The pseudo-class <x i="0"/> and <em>more</em>, <x i="1"/> times.'),
    'The pseudo-class {{ Cssxref(":link") }} and *more*, %s times.',
  );
  assert.equal(codec.restore('The pseudo-class and <em>more</em>, <x i="1"/> times.'), undefined, 'a lost token is broken tags');

  const [txt] = segmentsOf('Seite {{LearnSidebar}} mit %1$d Einträgen & mehr\n', 'txt', ['macros', 'placeholders']);
  const plain = inlineCodec(txt!);
  assert.equal(plain.xml, 'Seite <x i="0"/> mit <x i="1"/> Einträgen &amp; mehr');
  assert.equal(plain.restore('Page <x i="0"/> with <x i="1"/> entries &amp; more'), 'Page {{LearnSidebar}} with %1$d entries & more');
  assert.equal(plain.restore('Page <x i="0"/> with <x i="0"/> entries'), undefined);
  assert.equal(plain.restore('Page with entries'), undefined);
  // Without `protect`, nothing is protected.
  assert.equal(segmentsOf('Mit {{x}}.\n', 'md', [])[0]!.protected, undefined);
});

test('a `<` or `&` before a piece kept verbatim and a `>` after it come back as character references, not joined with it into an autolink', () => {
  const [md] = segmentsOf('Schreibe &lt;https://example.org&gt; als Text.\n', 'md', []);
  const codec = inlineCodec(md!);
  assert.equal(codec.xml, 'Schreibe &lt;<x i="0"/>&gt; als Text.');
  assert.equal(codec.restore('Write &lt;<x i="0"/>&gt; as text.'), 'Write &lt;https://example.org&gt; as text.');
  // Elsewhere the English is written as before: a `<` that opens nothing is plain text.
  assert.equal(codec.restore('Write <x i="0"/> as &lt; text.'), 'Write https://example.org as < text.');
});

test('through DeepL: no token is sent as text, a paragraph of tokens alone is not sent, every English keeps them', async () => {
  const source = [
    '{{LearnSidebar}}',
    '',
    'Die Pseudoklasse {{ Cssxref(":link") }} wählt Links aus.',
    '',
    '{{PreviousNext("Learn/CSS", "Learn/HTML")}}',
    '',
  ].join('\n');
  const p = project({ protect: ['macros'] }, { 'a.md': source });
  try {
    server.reset();
    const result = await build(await configOf(p.dir), { engine: deeplEngine(server.url), log: new MemoryLogger() });
    assert.equal(result.exitCode, 0, result.error?.message);
    const sent = server.textsSent();
    assert.deepEqual(sent, ['Die Pseudoklasse <x i="0"/> wählt Links aus.']);
    // The article's lead, not its macro line, is the context DeepL gets.
    assert.equal(server.translateRequests()[0]!.translate.context, 'Die Pseudoklasse {{ Cssxref(":link") }} wählt Links aus.');
    assert.equal(result.totals.billedCharacters, [...sent[0]!].length);
    const english = readFileSync(path.join(p.dir, 'output', 'a.en.md'), 'utf8');
    assert.match(
      english,
      /^\{\{LearnSidebar\}\}\n\nEN: Die Pseudoklasse \{\{ Cssxref\(":link"\) \}\} wählt Links aus\.\n\n\{\{PreviousNext\("Learn\/CSS", "Learn\/HTML"\)\}\}\n$/,
    );
    assert.equal(result.findings.count, 0);
  } finally {
    p.cleanup();
  }
});

test('an English that lost or changed a token is a `protected` finding, once per token', async () => {
  const source = 'Die Pseudoklasse {{ Cssxref(":link") }} wählt Links aus.\n';
  const entry = {
    source: 'Die Pseudoklasse {{ Cssxref(":link") }} wählt Links aus.',
    target: 'The pseudo-class {{ cssxref(":link") }} selects links.',
    markdown: true,
    lang: 'en-US',
    origin: 'human',
    status: 'reviewed',
    created: '2026-01-01T00:00:00.000Z',
    updated: '2026-01-01T00:00:00.000Z',
  };
  const p = project({ protect: ['macros'] }, { 'a.md': source }, `${JSON.stringify(entry)}\n`);
  try {
    const result = await build(await configOf(p.dir), { engine: undefined, log: new MemoryLogger() });
    assert.deepEqual(
      result.findings.first.map((f) => `${f.rule}: ${f.message}`),
      ['protected: the protected token {{ Cssxref(":link") }} is missing or changed in the English'],
    );
  } finally {
    p.cleanup();
  }
});

test('a token the server drops on the way is one `protected` finding, and the rest of the English is kept', async () => {
  const p = project(
    { protect: ['macros'] },
    { 'a.md': 'Die Pseudoklasse {{ Cssxref(":link") }} wählt Links aus.\n\nEin zweiter Absatz.\n' },
  );
  try {
    server.reset();
    server.corruptNext('drop-placeholder');
    const result = await build(await configOf(p.dir), { engine: deeplEngine(server.url), log: new MemoryLogger() });
    assert.equal(result.exitCode, 0, result.error?.message);
    assert.deepEqual(
      result.findings.first.map((f) => `${f.rule}: ${f.message}`),
      ['protected: the protected token {{ Cssxref(":link") }} is missing or changed in the English'],
    );
    assert.equal(
      readFileSync(path.join(p.dir, 'output', 'a.en.md'), 'utf8'),
      'EN: Die Pseudoklasse wählt Links aus.\n\nEN: Ein zweiter Absatz.\n',
    );
  } finally {
    p.cleanup();
  }
});

test('a template shortcode no `protect` entry keeps is said, once an article, at its line: it would go to DeepL as text', () => {
  const { article } = handMadeArticle('# Titel\n\nDie Karte {{< figure src="k.png" >}} zeigt es.\n\nUnd {% include x.html %} hier.\n', []);
  const [said, ...more] = unprotectedShortcodes([article]);
  assert.deepEqual(more, []);
  assert.equal(said?.line, 3);
  assert.match(
    said?.message ?? '',
    /holds a template shortcode \(\{\{< figure src="k\.png" >\}\}\) that goes to DeepL as text.*add "shortcodes" to "protect"/,
  );
  assert.deepEqual(unprotectedShortcodes([protectTokens(article, protectPattern(['shortcodes']))]), []);
  // Hugo's {{% %}} form too, which the macros preset keeps as well.
  const { article: hugo } = handMadeArticle('Text {{% hinweis %}} mehr.\n', []);
  assert.equal(unprotectedShortcodes([hugo]).length, 1);
  assert.deepEqual(unprotectedShortcodes([protectTokens(hugo, protectPattern(['macros']))]), []);
});
