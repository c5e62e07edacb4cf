/**
 * Runs Ace by DAISY (`@daisy/ace-cli`) on EPUB files and fails when it finds a serious or
 * critical accessibility violation. Prints every violation with its impact, rule and file, and
 * a count per impact for each book.
 *
 * Usage: node --import tsx scripts/check-ace.ts BOOK.epub [BOOK.epub …]
 *
 * Chromium: Ace starts it through Puppeteer, whose own launch options add only `--no-sandbox`;
 * PUPPETEER_EXECUTABLE_PATH defaults to scripts/chromium-headless, which adds the flags a headless
 * run in a container needs and starts Debian's /usr/bin/chromium.
 * Exit: 0 clean, 1 serious or critical violations, 2 Ace did not run or wrote no report.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const ACE = path.join(here, '..', 'node_modules', '.bin', 'ace-cli');
const IMPACTS = ['critical', 'serious', 'moderate', 'minor'] as const;
const FAILING = new Set<string>(['critical', 'serious']);

interface Assertion {
  'earl:result'?: { 'earl:outcome'?: string; 'dct:description'?: string };
  'earl:test'?: { 'earl:impact'?: string; 'dct:title'?: string };
  assertions?: Assertion[];
  'earl:testSubject'?: { url?: string };
}

function check(book: string): number {
  const out = mkdtempSync(path.join(tmpdir(), 'diglot-ace-'));
  try {
    const env = {
      ...process.env,
      PUPPETEER_SKIP_DOWNLOAD: '1',
      PUPPETEER_EXECUTABLE_PATH: process.env.PUPPETEER_EXECUTABLE_PATH ?? path.join(here, 'chromium-headless'),
    };
    const reportFile = path.join(out, 'report.json');
    // Ace exits 0 with a report whatever it finds; no report means it did not get to check the
    // book (on a busy machine headless Chromium sometimes fails to start): try again, twice at most.
    let run;
    for (let attempt = 1; ; attempt++) {
      run = spawnSync(ACE, ['--silent', '--force', '--outdir', out, book], { env, encoding: 'utf8', timeout: 600_000 });
      if (run.status === 0 && existsSync(reportFile)) break;
      console.error(
        `${book}: Ace failed (exit ${run.status ?? run.signal})${attempt < 3 ? `, attempt ${attempt} of 3` : ''}\n${run.stdout}\n${run.stderr}`,
      );
      if (attempt === 3) return 2;
    }
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { assertions?: Assertion[] };
    const subjects = report.assertions ?? [];
    const documents = subjects.filter((s) => /\.xhtml$/.test(s['earl:testSubject']?.url ?? '')).length;
    if (documents === 0) {
      console.error(`${book}: Ace checked no content documents`);
      return 2;
    }
    const counts: Record<string, number> = Object.fromEntries(IMPACTS.map((i) => [i, 0]));
    let failing = 0;
    for (const subject of subjects) {
      for (const a of subject.assertions ?? []) {
        if (a['earl:result']?.['earl:outcome'] !== 'fail') continue;
        const impact = a['earl:test']?.['earl:impact'] ?? 'unknown';
        counts[impact] = (counts[impact] ?? 0) + 1;
        if (FAILING.has(impact)) failing++;
        console.log(
          `${book}: ${impact} ${a['earl:test']?.['dct:title'] ?? '?'} in ${subject['earl:testSubject']?.url ?? '?'}: ${a['earl:result']?.['dct:description'] ?? ''}`,
        );
      }
    }
    console.log(
      `${book}: Ace checked ${documents} documents: ${Object.entries(counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')}`,
    );
    return failing > 0 ? 1 : 0;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const books = process.argv.slice(2);
if (books.length === 0) {
  console.error('usage: check-ace.ts BOOK.epub [BOOK.epub …]');
  process.exitCode = 2;
} else {
  process.exitCode = Math.max(...books.map(check));
}
