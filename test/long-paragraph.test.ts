// A paragraph too long for one request (over 128 KiB form-encoded) goes out in parts, split at sentences,
// and comes back as one English: billed as sent, counted once in the progress.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { build } from '../src/pipeline.js';
import type { Logger } from '../src/util/logger.js';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { configOf, deeplEngine, sampleProject } from './helpers.js';

let server: DeepLServer;
before(async () => {
  server = await startDeepLServer();
});
after(async () => {
  await server.close();
});

/** A logger that keeps each progress report (and nothing else). */
class ProgressLogger implements Logger {
  readonly reports: Array<[number, number]> = [];
  info(): void {}
  warn(): void {}
  error(): void {}
  progress(done: number, total: number): void {
    this.reports.push([done, total]);
  }
}

test('a paragraph over the request limit is sent in parts and stored whole; the progress counts texts, not parts', async () => {
  const p = sampleProject({ emptyMemory: true });
  try {
    for (const name of readdirSync(path.join(p.dir, 'sources'))) rmSync(path.join(p.dir, 'sources', name));
    const sentences = Array.from({ length: 4000 }, (_, i) => `Satz ${i + 1} handelt von der Ostflanke der Nato.`);
    const paragraph = sentences.join(' ');
    writeFileSync(path.join(p.dir, 'sources', 'lang.md'), `# Lang\n\n${paragraph}\n`);
    server.reset();
    const log = new ProgressLogger();
    const result = await build(await configOf(p.dir), { engine: deeplEngine(server.url), log });
    assert.equal(result.exitCode, 0, result.error?.message);
    const parts = server.textsSent().filter((t) => t.startsWith('Satz'));
    assert.ok(parts.length >= 2, `sent in ${parts.length} parts`);
    assert.equal(parts.join(' '), paragraph, 'split at sentence boundaries, nothing lost or repeated');
    assert.equal(result.totals.translated, 2);
    // DeepL bills what is sent: the parts, without the spaces between them.
    assert.equal(result.totals.billedCharacters, parts.reduce((n, t) => n + [...t].length, 0) + [...'Lang'].length);
    assert.deepEqual(log.reports.at(-1), [2, 2]);
    assert.ok(
      log.reports.every(([done, total]) => done <= total && total === 2),
      JSON.stringify(log.reports),
    );
    const english = readFileSync(path.join(p.dir, 'output', 'lang.en.md'), 'utf8');
    // The test server's English: "EN: " before each text sent, the glossary's terms put in.
    assert.ok(english.startsWith('# EN: Lang\n\nEN: Satz 1 handelt von der eastern flank der Nato. Satz 2 '), english.slice(0, 80));
    assert.ok(english.endsWith(' Satz 4000 handelt von der eastern flank der Nato.\n'), english.slice(-80));
    assert.equal(english.trim().split('\n\n').length, 2, 'a heading and one paragraph');
  } finally {
    p.cleanup();
  }
});
