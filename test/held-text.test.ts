// What a build keeps of an article until its end (its headings as a link target, its chapter's titles in
// the book) must not keep the article's whole text: measured in a child process with a forced GC.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/**
 * Runs `body` (TypeScript, with `text`: an article of about 8 MB in memory, and `keep`: a holder
 * for what it keeps) in a child with `--expose-gc`; returns the MB of heap still used after `text`
 * is let go, over the heap before it was made.
 */
function heldMb(imports: string, body: string): number {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'diglot-held-'));
  try {
    const script = path.join(dir, 'held.mts');
    writeFileSync(
      script,
      `${imports}
const gc = (globalThis as unknown as { gc: () => void }).gc;
// Collected a few times with a turn of the event loop between: what is freed is then off the count.
const used = async (): Promise<number> => {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return process.memoryUsage().heapUsed;
};
const keep: unknown[] = [];
const before = await used();
// In a function of its own: a value left in a register of the frame that measures would count as kept.
(() => {
  // „…“ makes the text two-byte: 4,000 paragraphs of about 1,000 characters, 8 MB.
  let text: string | undefined = '# „Rote Linien“ im Titel\\n\\n## Ein Zwischentitel\\n\\n' +
    Array.from({ length: 4000 }, (_, i) => \`Absatz \${i} über die „Ostflanke“ \${'und mehr Wörter '.repeat(60)}\\n\\n\`).join('');
  ${body}
  text = undefined;
  // The last string a RegExp ran on stays reachable (RegExp.input): a small one takes its place.
  /x/.exec('x');
})();
process.stdout.write(String(((await used()) - before) / 1024 / 1024));
void keep;
`,
    );
    const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    return Number(run.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the link targets of an article keep its headings, not its text', () => {
  const held = heldMb(
    `import { segment } from '${SRC}segment/segment.ts';
import { linkTargets } from '${SRC}render/resolve-link.ts';`,
    `const article = segment({ id: 'a', path: 'sources/a.md', format: 'md', text, meta: {} }, []);
  const targets = linkTargets([article], () => 'missing');
  if (targets.articles.get('sources/a.md')?.headings.length !== 2) throw new Error('the headings are not kept');
  keep.push(targets);`,
  );
  assert.ok(held < 2, `${held.toFixed(1)} MB kept of an 8 MB article`);
});

test('a book keeps its chapters compressed and their titles, not the text they came from', () => {
  const held = heldMb(
    `import { EpubBook } from '${SRC}write/epub.ts';`,
    `const book = new EpubBook({ mode: 'bilingual', sourceLang: 'de', targetLang: 'en-US' });
  // The titles as a renderer takes them from the article: slices of its text.
  const titleDe = text.slice(2, 24);
  book.addChapter({ id: 'a', titleDe, titleEn: 'Red lines in the title', date: text.slice(0, 1).trim(), bilingual: '<p>x</p>', english: '<p>x</p>', images: [] });
  keep.push(book);`,
  );
  assert.ok(held < 2, `${held.toFixed(1)} MB kept of an 8 MB article`);
});
