// The review pages at scale: 1,000 generated articles built from the memory alone, then in headless
// Chromium the index and an article page stay small (their ready times reported), `n` crosses to the next article with findings,
// and the search finds the articles holding a glossary term.
import assert from 'node:assert/strict';
import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { MemoryEntry } from '../src/memory/entry.js';
import { TranslationMemory } from '../src/memory/translation-memory.js';
import { build } from '../src/pipeline.js';
import { MemoryLogger } from '../src/util/logger.js';
import { configOf, sampleProject } from './helpers.js';
import { chromiumPath, HeadlessChromium } from './review-browser.js';

const chromium = chromiumPath();
const ARTICLES = 1000;
/** Articles whose English misses the glossary term (one term finding each), and where it sits. */
const FINDINGS = new Map([
  [100, 1],
  [101, 3],
  [250, 2],
  [777, 1],
]);
/** Articles holding the term translated as the glossary wants: no finding. */
const RIGHT = [5, 500];

/** A seeded generator (mulberry32), so the corpus is the same every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = [
  'ber',
  'lin',
  'wal',
  'de',
  'sicht',
  'ung',
  'stadt',
  'rat',
  'haus',
  'zeit',
  'wahl',
  'land',
  'see',
  'kraft',
  'weg',
  'feld',
];

/** German-looking words, few of them common and many rare, as in a real corpus. */
function corpus(): { paragraph: () => string } {
  const next = random(7);
  const words = Array.from({ length: 6000 }, (_, i) => {
    let w = '';
    for (let n = i + 1; n > 0; n = Math.floor(n / SYLLABLES.length)) w += SYLLABLES[n % SYLLABLES.length];
    return w;
  });
  const word = (): string => words[Math.floor(words.length * next() ** 3)] as string;
  return {
    paragraph: () => {
      const n = 25 + Math.floor(next() * 30);
      const text = Array.from({ length: n }, word).join(' ');
      return `${text[0]?.toUpperCase()}${text.slice(1)}.`;
    },
  };
}

test('1,000 articles: the index and an article page load fast; n crosses to the next article with findings; search by term', {
  skip: chromium ? false : 'no chromium (apt-get install chromium)',
  timeout: 180_000,
}, async (t) => {
  const project = sampleProject({ emptyMemory: true });
  const browser = await HeadlessChromium.launch(chromium as string);
  try {
    // Sources and the memory entries that translate them: German paragraphs, "EN …" English.
    const sources = path.join(project.dir, 'sources');
    for (const name of readdirSync(sources)) rmSync(path.join(sources, name));
    const { paragraph } = corpus();
    const now = '2030-01-01T00:00:00Z';
    const entries: MemoryEntry[] = [];
    const entry = (source: string, target: string): void => {
      entries.push({ source, target, lang: 'en-US', origin: 'deepl', status: 'draft', created: now, updated: now });
    };
    const ids: string[] = [];
    /** Each article's words, German and English, lowercased: what the search should find it by. */
    const wordsOf: Array<Set<string>> = [];
    for (let i = 0; i < ARTICLES; i++) {
      const id = `a${String(i).padStart(4, '0')}`;
      ids.push(id);
      // Two of three from the provinces: a word most articles hold, but not all.
      const province = i % 3 !== 0;
      const title = `Bericht ${i} aus der ${province ? 'Provinz' : 'Hauptstadt'}`;
      entry(title, `Report ${i} from the ${province ? 'province' : 'capital'}`);
      const paragraphs = Array.from({ length: 4 }, (_, p) => `${paragraph()} Nummer ${i}-${p}.`);
      const wrong = FINDINGS.get(i);
      if (wrong !== undefined) paragraphs[wrong] = `Die Ostflanke im Bericht ${i} bleibt ruhig.`;
      if (RIGHT.includes(i)) paragraphs[0] = `Die Ostflanke im Bericht ${i} wird verstärkt.`;
      for (const p of paragraphs) {
        if (p.startsWith('Die Ostflanke'))
          entry(p, p.endsWith('ruhig.') ? `The east side in report ${i} stays calm.` : `The eastern flank in report ${i} is reinforced.`);
        else entry(p, `EN ${p}`);
      }
      writeFileSync(path.join(sources, `${id}.md`), `# ${title}\n\n${paragraphs.join('\n\n')}\n`);
      const said = entries.slice(-1 - paragraphs.length).flatMap((e) => [e.source, e.target]);
      wordsOf.push(
        new Set(
          said
            .join(' ')
            .toLowerCase()
            .match(/[\p{L}\p{N}]{2,}/gu),
        ),
      );
    }
    const { memory } = await TranslationMemory.open(path.join(project.dir, 'memory', 'memory.jsonl'));
    memory.append(entries);

    const config = await configOf(project.dir);
    const started = performance.now();
    const result = await build(config, { engine: undefined, log: new MemoryLogger() });
    const buildMs = performance.now() - started;
    assert.equal(result.exitCode, 0);
    assert.equal(result.totals.articles, ARTICLES);
    const out = path.join(project.dir, 'output');
    const size = (file: string): number => statSync(path.join(out, file)).size;
    const pages = readdirSync(path.join(out, 'review')).filter((n) => n.endsWith('.html'));
    assert.equal(pages.length, ARTICLES, 'one page per article');
    const pageSizes = pages.map((n) => size(path.join('review', n))).sort((a, b) => a - b);
    t.diagnostic(
      `build ${(buildMs / 1000).toFixed(1)} s; review.html ${(size('review.html') / 1024).toFixed(0)} KiB, search.js ${(size('review/search.js') / 1024).toFixed(0)} KiB, article pages ${(pageSizes[0]! / 1024).toFixed(0)}–${(pageSizes.at(-1)! / 1024).toFixed(0)} KiB`,
    );
    // What keeps the pages fast at any load of the machine: their size and their DOM (the ready
    // times are reported, not asserted: a wall-clock bound fails on a busy machine).
    assert.ok(size('review.html') < 256 * 1024, 'the index stays small');
    assert.ok(pageSizes.at(-1)! < 64 * 1024, 'every article page stays small');
    assert.ok(size('review/search.js') < 4 * 1024 * 1024, 'the search data stays small');

    // The index: ready (its script ran, the first lines drawn) with a light DOM.
    const ready = "document.documentElement.getAttribute('data-ready')";
    const index = pathToFileURL(path.join(out, 'review.html')).href;
    await browser.goto(index);
    await browser.waitFor(ready);
    const indexMs = Number(await browser.evaluate<string>(ready));
    const elements = await browser.evaluate<number>("document.getElementsByTagName('*').length");
    assert.match(await browser.evaluate<string>("document.getElementById('shown').textContent"), /^1000 of 1000 articles$/);
    assert.ok((await browser.evaluate<number>("document.querySelectorAll('#list tr').length")) < ARTICLES, 'the list is drawn in chunks');
    // Scrolling to the end draws the rest.
    await browser.evaluate("document.getElementById('more').scrollIntoView()");
    await browser.waitFor("document.querySelectorAll('#list tr').length > 200");

    // An article page.
    const page = (i: number): string => pathToFileURL(path.join(out, 'review', `${ids[i]}.html`)).href;
    await browser.goto(page(100));
    await browser.waitFor(ready);
    const pageMs = Number(await browser.evaluate<string>(ready));
    t.diagnostic(`index ready after ${indexMs} ms (${elements} elements); article page after ${pageMs} ms`);
    assert.ok(elements < 5000, `${elements} elements on the index`);

    // n: from article 101's last (only) finding to article 250's first, through the articles without findings.
    const current = (): Promise<string> => browser.evaluate<string>("document.querySelector('tr.row.current')?.id ?? ''");
    const findingRow = (i: number): Promise<string> =>
      browser.evaluate<string>(`document.querySelector('tr.row[data-findings="1"]')?.id ?? 'none on ${ids[i]}'`);
    await browser.goto(page(101));
    await browser.waitFor(ready);
    await browser.press('n');
    const last101 = await findingRow(101);
    assert.equal(await current(), last101);
    await browser.press('n');
    await browser.waitFor(`location.pathname.endsWith('/${ids[250]}.html') && document.querySelector('tr.row.current')`);
    assert.equal(await current(), await findingRow(250), 'n landed on the next article with findings, at its finding');
    assert.match(await current(), new RegExp(`^${ids[250]}/`));
    // N goes back the same way, to the previous article's last finding.
    await browser.press('N');
    await browser.waitFor(`location.pathname.endsWith('/${ids[101]}.html') && document.querySelector('tr.row.current')`);
    assert.equal(await current(), last101);
    // With the machine drafts filtered out no finding is shown anywhere: n stops at the index, which says so.
    await browser.evaluate("document.querySelector('input[name=status][value=machine]').click()");
    await browser.press('n');
    await browser.waitFor(`location.pathname.endsWith('/review.html') && ${ready}`);
    assert.match(await browser.evaluate<string>("document.getElementById('notice').textContent"), /has findings under these filters/);
    assert.equal(await browser.evaluate<boolean>("document.querySelector('input[name=status][value=machine]').checked"), false);
    await browser.evaluate("document.querySelector('input[name=status][value=machine]').click()");
    // n on the index: the first finding of the edition.
    await browser.press('n');
    await browser.waitFor(`location.pathname.endsWith('/${ids[100]}.html') && document.querySelector('tr.row.current')`);
    assert.equal(await current(), await findingRow(100));

    // Search on the index by a glossary term: the articles holding it, those with the wrong English too.
    await browser.goto(index);
    await browser.waitFor(`${ready} && document.body.hasAttribute('data-search')`);
    await browser.evaluate(
      "(() => { const q = document.getElementById('q'); q.value = 'Ostflanke'; q.dispatchEvent(new Event('input')); })()",
    );
    await browser.waitFor("document.getElementById('shown').dataset.query === 'Ostflanke'");
    const found = await browser.evaluate<string[]>("Array.from(document.querySelectorAll('#list tr.line'), (tr) => tr.dataset.id)");
    const holding = [...FINDINGS.keys(), ...RIGHT].sort((a, b) => a - b).map((i) => ids[i]);
    assert.deepEqual(found, holding);
    // By a word of the English, and by the term's English in the term list.
    await browser.evaluate("(() => { const q = document.getElementById('q'); q.value = 'calm'; q.dispatchEvent(new Event('input')); })()");
    await browser.waitFor("document.getElementById('shown').dataset.query === 'calm'");
    assert.deepEqual(
      await browser.evaluate<string[]>("Array.from(document.querySelectorAll('#list tr.line'), (tr) => tr.dataset.id)"),
      [...FINDINGS.keys()].map((i) => ids[i]),
    );
    // A word most articles hold (its data lists those without it) finds exactly the articles holding it.
    const holders = (w: string): string[] => ids.filter((_, i) => [...(wordsOf[i] as Set<string>)].some((x) => x.startsWith(w)));
    const frequent = 'provinz';
    assert.equal(holders(frequent).length, 666);
    await browser.evaluate(
      `(() => { const q = document.getElementById('q'); q.value = ${JSON.stringify(frequent)}; q.dispatchEvent(new Event('input')); })()`,
    );
    await browser.waitFor(`document.getElementById('shown').dataset.query === ${JSON.stringify(frequent)}`);
    // The list draws its first rows; the count says how many match.
    const shownFrequent = await browser.evaluate<string>("document.getElementById('shown').textContent");
    assert.equal(shownFrequent, `${holders(frequent).length} of ${ARTICLES} articles`, frequent);
    // A one-letter word asks nothing; a two-letter word still being typed is a prefix ("ca" of "calm").
    for (const query of ['a calm', 'calm ca']) {
      await browser.evaluate(
        `(() => { const q = document.getElementById('q'); q.value = ${JSON.stringify(query)}; q.dispatchEvent(new Event('input')); })()`,
      );
      await browser.waitFor(`document.getElementById('shown').dataset.query === ${JSON.stringify(query)}`);
      assert.deepEqual(
        await browser.evaluate<string[]>("Array.from(document.querySelectorAll('#list tr.line'), (tr) => tr.dataset.id)"),
        [...FINDINGS.keys()].map((i) => ids[i]),
        query,
      );
    }
  } finally {
    await browser.close();
    project.cleanup();
  }
});
