// With an identity translation (the test server answering every text as sent), the English Markdown
// is the German source byte for byte but its URLs: the English is written into the source's own syntax.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { build } from '../src/pipeline.js';
import { MemoryLogger } from '../src/util/logger.js';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { configOf, deeplEngine, ROOT, writtenFindings } from './helpers.js';

let server: DeepLServer;
before(async () => {
  server = await startDeepLServer({ identity: true });
});
after(async () => {
  await server.close();
});

/** Markup written in the ways people write it, which a re-serialiser would spell differently. */
const SPELLINGS = [
  '# Schreibweisen',
  '',
  '**Hinweis:**Eine Warnung ohne Leerzeichen, (engl.:_**b**old_) und _kursiv_ statt *kursiv*.',
  '',
  '* Ein Punkt mit Sternchen',
  '* Noch einer mit __fett__',
  '',
  '1\\. Kein Listenpunkt, sondern ein Satz mit \\*Sternchen\\* und einer Zeile,',
  'die umbrochen ist.',
  '',
  '> Ein Zitat mit `code` und einem [Link](https://example.org "Titel") und <kbd>Strg</kbd>.',
  '',
  'Ein Satz mit Fußnote[^1] und ![Bild](bilder/karte.png).',
  '',
  '{{LearnSidebar}}',
  '',
  'Der Server {{ Glossary("Server") }} unter 63.245.215.20 läuft mit Version 1.2.3, `port 8080` und https://example.org/v2/42.',
  '',
  '<table><caption>Legende</caption><tr><th scope="row">Voraussetzungen:</th><td>Keine</td></tr></table>',
  '',
  '[^1]: Die Fußnote.',
  '',
].join('\n');

test('with an identity translation every English Markdown file is its German source, byte for byte but its links pointed from output/', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-identity-'));
  try {
    const fixture = path.join(ROOT, 'test', 'fixtures', 'constructs');
    cpSync(path.join(fixture, 'sources'), path.join(dir, 'sources'), { recursive: true });
    const config = JSON.parse(readFileSync(path.join(fixture, 'diglot.config.json'), 'utf8'));
    writeFileSync(path.join(dir, 'diglot.config.json'), JSON.stringify({ ...config, protect: ['macros'] }));
    writeFileSync(path.join(dir, 'sources', 'schreibweisen.md'), SPELLINGS);
    const result = await build(await configOf(dir), { engine: deeplEngine(server.url), log: new MemoryLogger() });
    assert.equal(result.exitCode, 0, result.error?.message ?? JSON.stringify(result.missing));
    const sources = readdirSync(path.join(dir, 'sources')).filter((f) => f.endsWith('.md'));
    assert.equal(sources.length, 3);
    for (const name of sources) {
      const german = readFileSync(path.join(dir, 'sources', name), 'utf8');
      const english = readFileSync(path.join(dir, 'output', name.replace(/\.md$/, '.en.md')), 'utf8');
      // Pictures beside the sources are found from output/, links to articles go to their English.
      const relocated = /\.\.\/sources\/|(?<=[a-z])\.en(?=\.md)/g;
      assert.equal(english.replace(relocated, ''), german, name);
      if (name === 'anleitung.md') assert.equal(english.match(relocated)?.length, 2, 'the picture and the link to the other article');
    }
    // Every text a reader sees was sent: a front matter title, an alt text, a table cell, an HTML caption, link and picture titles.
    const sent = server.textsSent().join('\n');
    for (const text of [
      'Eine Webseite gestalten',
      'Eine Karte der Ostflanke',
      'Werkzeug',
      'Legende',
      'Voraussetzungen:',
      '>Titel</title>',
      '>Karte</title>',
    ])
      assert.ok(sent.includes(text), `${text} was sent`);
    // No protected token went as text, and no address, version or code was read as a figure.
    assert.doesNotMatch(sent, /\{\{/);
    assert.deepEqual(
      writtenFindings(dir).filter((f) => f.rule === 'number' || f.rule === 'protected'),
      [],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
