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

/** The rows of the article page shown, as the tests read them. */
const ROWS = `Array.from(document.querySelectorAll('tr.row'), (r) => ({
  id: r.id,
  segment: r.dataset.segment,
  status: r.dataset.status,
  findings: Number(r.dataset.findings),
  de: r.querySelector('td.de .text').textContent,
  en: r.querySelector('td.en .text').textContent,
  deTerms: Array.from(r.querySelectorAll('td.de mark.term'), (m) => m.textContent),
  enTerms: Array.from(r.querySelectorAll('td.en mark.term'), (m) => m.textContent),
}))`;

const READY = "document.documentElement.hasAttribute('data-ready')";

test('review pages in headless Chromium: the index, a page per article with the right pairs, escaped script, filters and keys across pages', {
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
    const out = path.join(project.dir, 'output');
    const index = pathToFileURL(path.join(out, 'review.html')).href;
    const { documents } = await readSources(project.dir, 'sources');

    // The index: one line per article, in source order, with its counts and a link to its page.
    await browser.goto(index);
    await browser.waitFor(`${READY} && document.body.hasAttribute('data-search')`);
    const lines = await browser.evaluate<Array<{ id: string; href: string; title: string; cells: string[] }>>(
      `Array.from(document.querySelectorAll('#list tr.line'), (tr) => ({ id: tr.dataset.id, href: tr.querySelector('a').href, title: tr.querySelector('a').textContent, cells: Array.from(tr.querySelectorAll('td.n'), (td) => td.textContent) }))`,
    );
    assert.deepEqual(
      lines.map((l) => l.id),
      documents.map((d) => d.id),
    );
    assert.deepEqual(
      lines.map((l) => l.href),
      documents.map((d) => pathToFileURL(path.join(out, 'review', `${d.id}.html`)).href),
    );
    const hostileLine = lines.find((l) => l.id === '005_script');
    // #, machine, reviewed, approved, missing, copied, findings
    assert.deepEqual(hostileLine?.cells, ['6', '1', '0', '0', '1', '0', '0']);
    assert.equal(hostileLine?.title, 'Ein Text mit <script>alert(1)</script> darin');
    assert.deepEqual(lines.find((l) => l.id === documents[0]?.id)?.cells.slice(-1), ['1'], 'the finding is counted on its article');
    assert.match(await browser.evaluate<string>("document.querySelector('.brand p').textContent"), /6 articles · 66 segments · 1 finding$/);

    // Row by row, page by page, in article and segment order: the German of the segment, its English from the memory.
    const rows: Row[] = [];
    for (const line of lines) {
      await browser.goto(line.href);
      await browser.waitFor(READY);
      assert.equal(await browser.evaluate<number>('document.scripts.length'), 1, "only the page's own script");
      rows.push(...(await browser.evaluate<Row[]>(ROWS)));
    }
    assert.equal(rows.length, result.totals.segments, 'one row per segment');
    assert.equal(rows.length, 66);
    const { memory: after } = await TranslationMemory.open(memoryFile);
    const expected = documents.flatMap((doc) => segment(doc, config.cleanup).segments);
    expected.forEach((s, i) => {
      const row = rows[i] as Row;
      assert.equal(row.id, `${s.docId}/${s.id}`);
      assert.equal(row.de, s.source.replace(/\s*\n\s*/g, ' '), `German of row ${i + 1}`);
      const entry = after.lookup(s.source, config.targetLang);
      assert.equal(row.en, entry ? entry.target : 'no translation yet', `English of row ${i + 1}`);
    });

    // The script in the source is text, and only the page's own script exists; nothing ran, nothing but the pages was read.
    const hostile = rows.find((r) => r.de.includes('<script>')) as Row;
    assert.equal(hostile.de, 'Ein Text mit <script>alert(1)</script> darin');
    assert.equal(hostile.en, 'A text with <script>alert(1)</script> in it');
    assert.equal(await browser.evaluate<number>('document.images.length'), 0);
    assert.deepEqual(browser.dialogs, []);
    assert.deepEqual(
      [...new Set(browser.requests)].sort(),
      [index, pathToFileURL(path.join(out, 'review', 'search.js')).href, ...lines.map((l) => l.href)].sort(),
    );
    for (const file of [path.join(out, 'review.html'), path.join(out, 'review', '005_script.html')])
      assert.match(
        read(file),
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
    const first = lines[0]?.href as string;
    await browser.goto(first);
    await browser.waitFor(READY);
    assert.match(
      await browser.evaluate<string>(
        `document.getElementById(${JSON.stringify(withFinding[0]?.id)}).querySelector('.findings').textContent`,
      ),
      /term.*Ostflanke.*eastern flank/,
    );

    // Keyboard: j/k and arrows from row to row.
    const pageRows = rows.filter((r) => r.id.startsWith(`${lines[0]?.id}/`));
    const current = (): Promise<string> => browser.evaluate<string>("document.querySelector('tr.row.current')?.id ?? ''");
    await browser.press('j');
    assert.equal(await current(), pageRows[0]?.id);
    await browser.press('j');
    await browser.press('ArrowDown');
    assert.equal(await current(), pageRows[2]?.id);
    assert.equal(await browser.evaluate<string>('document.activeElement.id'), pageRows[2]?.id);
    await browser.press('k');
    assert.equal(await current(), pageRows[1]?.id);
    await browser.press('ArrowUp');
    assert.equal(await current(), pageRows[0]?.id);
    await browser.press('n');
    assert.equal(await current(), withFinding[0]?.id, 'n jumps to the next row with findings');

    // n after the last finding of the edition: through the index, which says there is none after.
    await browser.press('n');
    await browser.waitFor(`location.pathname.endsWith('/review.html') && ${READY}`);
    assert.match(await browser.evaluate<string>("document.getElementById('notice').textContent"), /No article after .* has findings/);

    // N from a later article: back to the last finding of the one before with findings.
    await browser.goto(`${lines[3]?.href}`);
    await browser.waitFor(READY);
    await browser.press('N');
    await browser.waitFor(`location.pathname.endsWith(${JSON.stringify(`/${lines[0]?.id}.html`)}) && ${READY}`);
    assert.equal(await current(), withFinding[0]?.id, 'N crossed to the previous article with findings, at its last one');

    // Filters: status and findings; chosen on one page, they hold on the next and on the index.
    const visible = (): Promise<number> => browser.evaluate<number>("document.querySelectorAll('tr.row:not([hidden])').length");
    await browser.evaluate("document.querySelector('input[name=findings][value=with]').click()");
    assert.equal(await visible(), 1);
    assert.equal(await browser.evaluate<string>("document.getElementById('shown').textContent"), `1 of ${pageRows.length} rows`);
    await browser.evaluate("document.querySelector('a[rel=next]').click()");
    await browser.waitFor(`location.pathname.endsWith(${JSON.stringify(`/${lines[1]?.id}.html`)}) && ${READY}`);
    assert.equal(await browser.evaluate<boolean>("document.querySelector('input[name=findings][value=with]').checked"), true);
    assert.equal(await visible(), 0, 'the next article has no findings: nothing shown under the filter');
    await browser.evaluate("document.querySelector('a[rel=index]').click()");
    await browser.waitFor(`location.pathname.endsWith('/review.html') && ${READY}`);
    assert.deepEqual(
      await browser.evaluate<string[]>("Array.from(document.querySelectorAll('#list tr.line'), (tr) => tr.dataset.id)"),
      [lines[0]?.id],
      'the index shows the articles with findings',
    );
    await browser.evaluate("document.querySelector('input[name=findings][value=all]').click()");
    await browser.evaluate("document.querySelector('input[name=status][value=reviewed]').click()");
    assert.deepEqual(
      await browser.evaluate<string[]>("Array.from(document.querySelectorAll('#list tr.line'), (tr) => tr.dataset.id)"),
      [lines[0]?.id, '005_script'],
      'articles with rows other than reviewed',
    );
    await browser.goto(`${lines[5]?.href}`);
    await browser.waitFor(READY);
    assert.deepEqual(
      (await browser.evaluate<string[]>("Array.from(document.querySelectorAll('tr.row:not([hidden])'), (r) => r.dataset.status)")).sort(),
      ['machine', 'missing'],
    );
    await browser.press('j');
    assert.equal(await current(), hostile.id, 'j skips hidden rows');
    await browser.evaluate("document.querySelector('input[name=status][value=reviewed]').click()");

    // Search on the index: by a word of the English, by a glossary term.
    await browser.goto(index);
    await browser.waitFor(`${READY} && document.body.hasAttribute('data-search')`);
    const search = async (text: string): Promise<string[]> => {
      await browser.evaluate(
        `(() => { const q = document.getElementById('q'); q.value = ${JSON.stringify(text)}; q.dispatchEvent(new Event('input')); })()`,
      );
      await browser.waitFor(`document.getElementById('shown').dataset.query === ${JSON.stringify(text)}`);
      return browser.evaluate<string[]>("Array.from(document.querySelectorAll('#list tr.line'), (tr) => tr.dataset.id)");
    };
    assert.deepEqual(await search('alert'), ['005_script']);
    const withFlank = documents.filter((d) => /Ostflanke/.test(d.text)).map((d) => d.id);
    assert.ok(withFlank.length > 0);
    assert.deepEqual(await search('eastern flank'), withFlank);
    assert.deepEqual(await search('Ostflanke'), withFlank);

    // A screenshot of the top of the page, for people to look at.
    await browser.goto(first);
    await browser.waitFor(READY);
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
