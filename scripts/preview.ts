/**
 * `npm run preview`: renders the first page of the title page, the contents, the first chapter
 * and the colophon of every edition to PNG in `output/preview/`, so a person can look at them;
 * and the review pages: the index (`review-index.png`) and an article's page (`review-article.png`,
 * the first article with findings), as the README shows them.
 *
 * The editions are built from the project's sources and memory alone (no DeepL, nothing billed)
 * into a temporary folder, once per layout; the XHTML is extracted from those EPUBs and shown in
 * headless Chromium with the book's own style sheet, at an e-reader-like page size. The facing
 * layout is shown on a wide page and, to check its fallback, on a narrow one.
 *
 * Usage: node --import tsx scripts/preview.ts [--root DIR] [--full]
 * `--full` shoots each chapter whole (one tall PNG at scale 1), as the README's pictures of the
 * constructs fixture are made: `npm run preview -- --root test/fixtures/constructs --full`.
 * Chromium: $PUPPETEER_EXECUTABLE_PATH, else Debian's /usr/bin/chromium (`apt-get install chromium`).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { unzipSync } from 'fflate';
import puppeteer from 'puppeteer-core';
import { loadConfig } from '../src/config/load-config.js';
import type { Layout } from '../src/config/config.js';
import { build } from '../src/pipeline.js';
import { MemoryLogger } from '../src/util/logger.js';
import { formatMessage } from '../src/util/format-message.js';

interface Shot {
  /** PNG name without extension. */
  name: string;
  epub: string;
  /** Entry inside `OEBPS/`. */
  page: string;
  width: number;
  height: number;
}

const PAGES = ['title.xhtml', 'nav.xhtml', 'chapter-001.xhtml', 'colophon.xhtml'] as const;
const label = (page: string): string => page.replace(/\.xhtml$/, '').replace(/^nav$/, 'contents');

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { root: { type: 'string' }, full: { type: 'boolean', default: false } } });
  const root = path.resolve(values.root ?? '.');
  const { value: config, errors } = await loadConfig(root);
  if (!config) {
    for (const e of errors) console.error(formatMessage(e));
    return 2;
  }
  const outDir = path.join(root, config.output, 'preview');
  const work = mkdtempSync(path.join(tmpdir(), 'diglot-preview-'));
  try {
    // One memory-only build per layout, into the temporary folder (output/ stays as it is).
    const books = new Map<string, string>();
    for (const layout of ['interleaved', 'facing'] as const satisfies readonly Layout[]) {
      const dir = path.join(work, layout);
      const result = await build({ ...config, layout, output: path.relative(root, dir) }, { engine: undefined, log: new MemoryLogger() });
      if (result.missing.length > 0)
        console.error(`preview: ${result.missing.length} segments lack a translation; only complete articles are shown.`);
      books.set(layout, path.join(dir, 'edition.epub'));
      if (layout === 'interleaved') books.set('english', path.join(dir, 'edition.en.epub'));
    }

    const shots: Shot[] = [];
    for (const page of PAGES) {
      shots.push({ name: `interleaved-${label(page)}`, epub: books.get('interleaved')!, page, width: 600, height: 900 });
      shots.push({ name: `facing-${label(page)}`, epub: books.get('facing')!, page, width: 1100, height: 850 });
      shots.push({ name: `english-${label(page)}`, epub: books.get('english')!, page, width: 600, height: 900 });
    }
    shots.push({ name: 'facing-narrow-chapter-001', epub: books.get('facing')!, page: 'chapter-001.xhtml', width: 420, height: 900 });

    // Unpack each EPUB once.
    const unpacked = new Map<string, string>();
    for (const [name, file] of books) {
      const dir = path.join(work, `unpacked-${name}`);
      for (const [entry, data] of Object.entries(unzipSync(readFileSync(file)))) {
        if (entry.endsWith('/')) continue;
        mkdirSync(path.dirname(path.join(dir, entry)), { recursive: true });
        writeFileSync(path.join(dir, entry), data);
      }
      unpacked.set(file, dir);
    }

    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    const browser = await puppeteer.launch({
      executablePath: process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    try {
      const tab = await browser.newPage();
      // Nothing but the book's own files may load.
      await tab.setRequestInterception(true);
      tab.on('request', (request) => {
        if (request.url().startsWith('file:')) void request.continue();
        else void request.abort();
      });
      for (const shot of shots) {
        const file = path.join(unpacked.get(shot.epub)!, 'OEBPS', shot.page);
        const whole = values.full && shot.page.startsWith('chapter-');
        await tab.setViewport({ width: shot.width, height: shot.height, deviceScaleFactor: whole ? 1 : 1.5 });
        await tab.goto(pathToFileURL(file).href, { waitUntil: 'load' });
        const png = path.join(outDir, `${shot.name}.png`);
        await tab.screenshot({ path: png as `${string}.png`, fullPage: whole });
        console.log(path.relative(root, png));
      }
      // The review pages of the interleaved build: the index, and the first article page with findings.
      const review = path.join(work, 'interleaved');
      const pages = readdirSync(path.join(review, 'review'))
        .filter((n) => n.endsWith('.html'))
        .sort();
      const article = pages.find((n) => readFileSync(path.join(review, 'review', n), 'utf8').includes('has-findings')) ?? pages[0];
      const reviewShots: Array<[string, string | undefined]> = [
        ['review-index', 'review.html'],
        ['review-article', article && path.join('review', article)],
      ];
      for (const [name, file] of reviewShots) {
        if (!file) continue;
        await tab.setViewport({ width: 1440, height: 900, deviceScaleFactor: 1 });
        await tab.goto(pathToFileURL(path.join(review, file)).href, { waitUntil: 'load' });
        await tab.waitForSelector('html[data-ready]');
        const png = path.join(outDir, `${name}.png`);
        await tab.screenshot({ path: png as `${string}.png` });
        console.log(path.relative(root, png));
      }
    } finally {
      await browser.close();
    }
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

process.exitCode = await main();
