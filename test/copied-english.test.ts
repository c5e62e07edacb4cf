// Segments without words (figures in table cells, signs, lone macros) are not sent: their English is their
// German with the figures in English notation, never a German 4.800 that an English reader takes for 4.8.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import type { Segment } from '../src/model.js';
import { build } from '../src/pipeline.js';
import { copiedEnglish } from '../src/translate/copied-english.js';
import { needsTranslation } from '../src/translate/needs-translation.js';
import { MemoryLogger } from '../src/util/logger.js';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { bundleIfStale, configOf, deeplEngine, runCli, sampleProject, segmentsOf } from './helpers.js';

let server: DeepLServer;
before(async () => {
  bundleIfStale();
  server = await startDeepLServer();
});
after(async () => {
  await server.close();
});

/** The English of each segment without words, by its German. */
function copies(segments: readonly Segment[], lang?: string): Record<string, string> {
  return Object.fromEntries(segments.filter((s) => !needsTranslation(s)).map((s) => [s.source, copiedEnglish(s, lang)]));
}

test('figures and dates in German notation get English notation; versions, addresses and plain figures stay', () => {
  const table = [
    '| Land | Truppen | Anteil | Stand | Server |',
    '| --- | ---: | ---: | --- | --- |',
    '| Litauen | 4.800 | 2,5 % | 14.03.2026 | 192.168.0.1 |',
    '| Polen | 1.234.567,89 € | +**100 %** | 2026 | ± 0 |',
    '',
  ].join('\n');
  assert.deepEqual(copies(segmentsOf(table)), {
    '4.800': '4,800',
    '2,5 %': '2.5%',
    '14.03.2026': '03/14/2026',
    '192.168.0.1': '192.168.0.1',
    '1.234.567,89 €': '1,234,567.89 €',
    '+**100 %**': '+**100%**',
    '2026': '2026',
    '± 0': '± 0',
  });
  // British English writes the day first; a day and month without a year, or a date within a longer dotted number, stay.
  const dates = ['| Stand | Frist | Version |', '| --- | --- | --- |', '| 01.04.2024 | 01.04. | 1.12.2024.3 |', ''].join('\n');
  assert.deepEqual(copies(segmentsOf(dates), 'en-GB'), { '01.04.2024': '01/04/2024', '01.04.': '01.04.', '1.12.2024.3': '1.12.2024.3' });
  assert.deepEqual(copies(segmentsOf(dates), 'en-US'), { '01.04.2024': '04/01/2024', '01.04.': '01.04.', '1.12.2024.3': '1.12.2024.3' });
});

test('code, link targets, HTML and protected tokens are kept byte for byte; their text around them is converted', () => {
  const text = ['`4.000` 4.000', '', '[1.000](https://example.org/1.000)', '', '{{ Seite(1.000) }} 2.000', ''].join('\n');
  assert.deepEqual(copies(segmentsOf(text, 'md', ['macros'])), {
    '`4.000` 4.000': '`4.000` 4,000',
    '[1.000](https://example.org/1.000)': '[1,000](https://example.org/1.000)',
    '{{ Seite(1.000) }} 2.000': '{{ Seite(1.000) }} 2,000',
  });
  assert.deepEqual(copies(segmentsOf('{{ Seite(1.000) }} 2.000 – 3,5 %\n', 'txt', ['macros'])), {
    '{{ Seite(1.000) }} 2.000 – 3,5 %': '{{ Seite(1.000) }} 2,000 – 3.5%',
  });
  // Code alone, or a bare web or mail address, has no words to translate either; a link's text, a picture's alt text, do.
  const bare = ['`nur code`', '', '<https://example.org/nur-link>', '', 'www.example.org', '', '<redaktion@example.org>', ''].join('\n');
  assert.deepEqual(Object.keys(copies(segmentsOf(bare, 'md', []))), [
    '`nur code`',
    '<https://example.org/nur-link>',
    'www.example.org',
    '<redaktion@example.org>',
  ]);
  const worded = ['[Bericht](https://example.org)', '', '![Karte](k.png)', '', '`code` und Text', ''].join('\n');
  assert.deepEqual(copies(segmentsOf(worded, 'md', [])), {});
});

test('through a build: the figures are not sent or billed, and the English Markdown, both books and the checks have them in English', async () => {
  const p = sampleProject({ emptyMemory: true });
  try {
    for (const name of readdirSync(path.join(p.dir, 'sources'))) rmSync(path.join(p.dir, 'sources', name));
    const source = ['# Truppen', '', '| Land | Soldaten |', '| --- | ---: |', '| Litauen | 4.800 |', '| Polen | 10.000 |', ''].join('\n');
    writeFileSync(path.join(p.dir, 'sources', 'truppen.md'), source);
    server.reset();
    const result = await build(await configOf(p.dir), { engine: deeplEngine(server.url), log: new MemoryLogger() });
    assert.equal(result.exitCode, 0, result.error?.message);
    assert.deepEqual(server.textsSent().sort(), ['Land', 'Litauen', 'Polen', 'Soldaten', 'Truppen']);
    assert.equal(result.findings.count, 0);
    const { fromMemory, copied, translated, missing } = result.totals;
    assert.deepEqual(
      { fromMemory, copied, translated, missing },
      { fromMemory: 0, copied: 2, translated: 5, missing: 0 },
      'copies are not from the memory',
    );
    const estimate = await runCli(['estimate', '--json', '--root', p.dir]);
    assert.equal(estimate.code, 0, estimate.stderr);
    assert.deepEqual([JSON.parse(estimate.stdout).fromMemory, JSON.parse(estimate.stdout).copied], [5, 2]);
    const english = readFileSync(path.join(p.dir, 'output', 'truppen.en.md'), 'utf8');
    assert.match(english, /\| EN: Litauen \| 4,800 \|\n\| EN: Polen \| 10,000 \|/);
    for (const book of ['edition.epub', 'edition.en.epub']) {
      const files = unzipSync(readFileSync(path.join(p.dir, 'output', book)));
      const chapters = Object.entries(files)
        .filter(([name]) => name.endsWith('.xhtml'))
        .map(([, data]) => strFromU8(data))
        .join('');
      assert.match(chapters, />4,800</, book);
      assert.match(chapters, />10,000</, book);
    }
  } finally {
    p.cleanup();
  }
});
