// The scale scenario's review pages in headless Chromium (issue 21): how long the index and an
// article page take to be ready, and whether `n` on an article's last finding crosses to the next.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromiumPath, HeadlessChromium } from '../test/review-browser.js';

/** What one build's review pages measured; times in ms, each page's own `data-ready` (since its navigation began). */
export interface ReviewTiming {
  indexReadyMs: number;
  /** Elements on the index once ready. */
  indexElements: number;
  /** The article page nearest the middle of the corpus that has findings. */
  pageReadyMs: number;
  /** From pressing `n` on that page's last finding to the next page (the next article with findings) being ready. */
  crossMs: number;
  /** The page `n` went to (its file name). */
  crossedTo: string;
}

/** The review pages of an output folder, measured in a fresh headless Chromium; undefined when there is no Chromium. */
export async function timeReviewPages(out: string): Promise<ReviewTiming | undefined> {
  const executable = chromiumPath();
  if (executable === undefined) return undefined;
  const browser = await HeadlessChromium.launch(executable);
  try {
    const ready = "document.documentElement.getAttribute('data-ready')";
    await browser.goto(pathToFileURL(path.join(out, 'review.html')).href);
    await browser.waitFor(ready);
    const indexReadyMs = Number(await browser.evaluate<string>(ready));
    const indexElements = await browser.evaluate<number>("document.getElementsByTagName('*').length");

    // The article nearest the middle of the corpus that has findings, from the report's line per article.
    const { articles } = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as {
      articles: Array<{ id: string; findings: Record<string, number> }>;
    };
    const hasFindings = (i: number): boolean => Object.values(articles[i]?.findings ?? {}).some((n) => n > 0);
    const half = Math.floor(articles.length / 2);
    const order = [...articles.keys()].map((i) => (i + half) % articles.length);
    const chosen = articles[order.find(hasFindings) ?? -1];
    if (chosen === undefined) throw new Error(`${out}: no article has findings`);
    const middle = `${chosen.id}.html`;
    await browser.goto(`${pathToFileURL(path.join(out, 'review', middle)).href}#last-finding`);
    await browser.waitFor(`${ready} && document.querySelector('tr.row.current')`);
    const pageReadyMs = Number(await browser.evaluate<string>(ready));

    const started = performance.now();
    await browser.press('n');
    await browser.waitFor(`!location.pathname.endsWith('/${middle}') && ${ready}`);
    const crossMs = performance.now() - started;
    const crossedTo = path.basename(decodeURIComponent(await browser.evaluate<string>('location.pathname')));
    return { indexReadyMs, indexElements, pageReadyMs, crossMs, crossedTo };
  } finally {
    await browser.close();
  }
}
