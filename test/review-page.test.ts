import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TranslationMemory } from '../src/memory/translation-memory.js';
import { build } from '../src/pipeline.js';
import { segment } from '../src/segment/segment.js';
import { readSources } from '../src/sources/read-sources.js';
import { MemoryLogger } from '../src/util/logger.js';
import { configOf, read, sampleProject } from './helpers.js';
import { chromiumPath, HeadlessChromium } from './review-browser.js';

const chromium = chromiumPath();

interface Row {
  id: string;
  segment: string;
  status: string;
  findings: number;
  de: string;
  en: string;
  deTerms: string[];
  enTerms: string[];
}

test('review.html in headless Chromium: one row per segment, right pairs, escaped script, filters, keys', {
  skip: chromium ? false : 'no chromium (apt-get install chromium)',
  timeout: 120_000,
}, async () => {
  const project = sampleProject();
  const browser = await HeadlessChromium.launch(chromium as string);
  try {
    const config = await configOf(project.dir);
    // A hostile source, a machine draft with a terminology finding, and a segment without translation.
    writeFileSync(
      path.join(project.dir, 'sources', '005_script.txt'),
      'Ein Text mit <script>alert(1)</script> darin\n\nDie Ostflanke & <img src=x onerror=alert(2)> bleiben.\n',
    );
    const memoryFile = path.join(project.dir, 'memory', 'memory.jsonl');
    const { memory } = await TranslationMemory.open(memoryFile);
    const now = '2030-01-01T00:00:00Z';
    memory.append([
      {
        source: 'Ein Text mit <script>alert(1)</script> darin',
        target: 'A text with <script>alert(1)</script> in it',
        lang: 'en-US',
        origin: 'deepl',
        status: 'draft',
        created: now,
        updated: now,
      },
    ]);
    const draft = memory.entries().find((e) => e.source.startsWith('Es war zu erwarten, dass die NATO ihre Ostflanke'));
    assert.ok(draft);
    memory.append([{ ...draft, target: draft.target.replace('eastern flank', 'east side'), origin: 'deepl', status: 'draft' }]);

    const result = await build(config, { engine: undefined, log: new MemoryLogger() });
    assert.equal(result.exitCode, 1, 'one segment has no translation');
    const page = path.join(project.dir, 'output', 'review.html');
    await browser.goto(pathToFileURL(page).href);

    const rows = await browser.evaluate<Row[]>(`Array.from(document.querySelectorAll('tr.row'), (r) => ({
      id: r.id,
      segment: r.dataset.segment,
      status: r.dataset.status,
      findings: Number(r.dataset.findings),
      de: r.querySelector('td.de .text').textContent,
      en: r.querySelector('td.en .text').textContent,
      deTerms: Array.from(r.querySelectorAll('td.de mark.term'), (m) => m.textContent),
      enTerms: Array.from(r.querySelectorAll('td.en mark.term'), (m) => m.textContent),
    }))`);
    assert.equal(rows.length, result.totals.segments, 'one row per segment');
    assert.equal(rows.length, 66);

    // Row by row, in article and segment order: the German of the segment, its English from the memory.
    const { documents } = await readSources(project.dir, 'sources');
    const { memory: after } = await TranslationMemory.open(memoryFile);
    const expected = documents.flatMap((doc) => segment(doc, config.cleanup).segments);
    expected.forEach((s, i) => {
      const row = rows[i] as Row;
      assert.equal(row.id, `${s.docId}/${s.id}`);
      assert.equal(row.de, s.source.replace(/\s*\n\s*/g, ' '), `German of row ${i + 1}`);
      const entry = after.lookup(s.source, config.targetLang);
      assert.equal(row.en, entry ? entry.target : 'no translation yet', `English of row ${i + 1}`);
    });

    // The script in the source is text, and only the page's own script exists; nothing ran, nothing was fetched.
    const hostile = rows.find((r) => r.de.includes('<script>')) as Row;
    assert.equal(hostile.de, 'Ein Text mit <script>alert(1)</script> darin');
    assert.equal(hostile.en, 'A text with <script>alert(1)</script> in it');
    assert.equal(await browser.evaluate<number>('document.scripts.length'), 1);
    assert.equal(await browser.evaluate<number>('document.images.length'), 0);
    assert.deepEqual(browser.dialogs, []);
    assert.deepEqual(browser.requests, [pathToFileURL(page).href]);
    assert.match(
      read(page),
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-/,
    );

    // Terms in both languages; the finding on its row.
    const flank = rows.find((r) => r.segment === 'c863f044') as Row;
    assert.deepEqual([flank.deTerms, flank.enTerms], [['Ostflanke'], ['eastern flank']]);
    const withFinding = rows.filter((r) => r.findings > 0);
    assert.deepEqual(
      withFinding.map((r) => [r.segment, r.status]),
      [['600cadbe', 'machine']],
    );
    assert.match(
      await browser.evaluate<string>(
        `document.getElementById(${JSON.stringify(withFinding[0]?.id)}).querySelector('.findings').textContent`,
      ),
      /term.*Ostflanke.*eastern flank/,
    );

    // Keyboard: j/k and arrows from row to row.
    const current = (): Promise<string> => browser.evaluate<string>("document.querySelector('tr.row.current')?.id ?? ''");
    await browser.press('j');
    assert.equal(await current(), rows[0]?.id);
    await browser.press('j');
    await browser.press('ArrowDown');
    assert.equal(await current(), rows[2]?.id);
    assert.equal(await browser.evaluate<string>('document.activeElement.id'), rows[2]?.id);
    await browser.press('k');
    assert.equal(await current(), rows[1]?.id);
    await browser.press('ArrowUp');
    assert.equal(await current(), rows[0]?.id);
    await browser.press('n');
    assert.equal(await current(), withFinding[0]?.id, 'n jumps to the next row with findings');

    // Filters: status and findings.
    const visible = (): Promise<number> => browser.evaluate<number>("document.querySelectorAll('tr.row:not([hidden])').length");
    await browser.evaluate("document.querySelector('input[name=findings][value=with]').click()");
    assert.equal(await visible(), 1);
    assert.equal(await browser.evaluate<string>("document.getElementById('shown').textContent"), `1 of ${rows.length} rows`);
    assert.equal(await browser.evaluate<number>("document.querySelectorAll('section.article:not([hidden])').length"), 1);
    await browser.evaluate("document.querySelector('input[name=findings][value=all]').click()");
    await browser.evaluate("document.querySelector('input[name=status][value=reviewed]').click()");
    assert.equal(await visible(), rows.filter((r) => r.status !== 'reviewed').length);
    assert.deepEqual(
      (await browser.evaluate<string[]>("Array.from(document.querySelectorAll('tr.row:not([hidden])'), (r) => r.dataset.status)")).sort(),
      ['machine', 'machine', 'missing'],
    );
    await browser.press('j');
    assert.equal(await current(), hostile.id, 'j skips hidden rows');
    await browser.press('j');
    assert.equal(await browser.evaluate<string>("document.querySelector('tr.row.current').dataset.status"), 'missing');
    await browser.evaluate("document.querySelector('input[name=status][value=reviewed]').click()");
    assert.equal(await visible(), rows.length);

    // A screenshot of the top of the page, for people to look at.
    await browser.evaluate('window.scrollTo(0, 0)');
    const png = await browser.screenshot();
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.ok(png.length > 20_000, 'a real picture, not a blank page');
    const shots = process.env['DIGLOT_SCREENSHOTS'];
    const shot = path.join(project.dir, 'review.png');
    writeFileSync(shot, png);
    if (shots) {
      mkdirSync(shots, { recursive: true });
      copyFileSync(shot, path.join(shots, 'review.png'));
    }
    assert.ok(readFileSync(shot).length === png.length);
  } finally {
    await browser.close();
    project.cleanup();
  }
});
