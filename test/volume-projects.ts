// The seven-article project the volume tests build (by count, by date, with links between volumes),
// built through the DeepL test server; each file that imports it starts the server and cleans up.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { build } from '../src/pipeline.js';
import { MemoryLogger } from '../src/util/logger.js';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { configOf, deeplEngine } from './helpers.js';

let server: DeepLServer;
const dirs: string[] = [];

before(async () => {
  server = await startDeepLServer();
});
after(async () => {
  await server.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A temp folder removed when the file's tests are done. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** Seven dated articles (the seventh undated): two in March, April and May 2024 each. */
export const DATES = ['2024-03-05', '2024-03-20', '2024-04-02', '2024-04-15', '2024-05-01', '2024-05-09', undefined];

/** The first article links to the second (same volume by count and by month) and to the sixth (another volume either way). */
function source(n: number, date: string | undefined): string {
  const links = n === 1 ? ' Siehe den [zweiten Artikel](02-artikel.md) und den [sechsten Artikel](06-artikel.md#abschnitt).' : '';
  const term = n === 1 ? ' Das Bündnis berät.' : '';
  return `---\ntitle: Artikel ${n}\n${date ? `date: ${date}\n` : ''}---\n\nDies ist der Text des Artikels ${n}.${term}${links}\n\n## Abschnitt\n\nHier endet Artikel ${n}.\n`;
}

/** A temp project of the seven articles with `config` added to its config. */
export function project(config: Record<string, unknown>): string {
  const dir = tempDir('diglot-volumes-');
  mkdirSync(path.join(dir, 'sources'));
  mkdirSync(path.join(dir, 'glossary'));
  for (const [i, date] of DATES.entries()) writeFileSync(path.join(dir, 'sources', `0${i + 1}-artikel.md`), source(i + 1, date));
  writeFileSync(path.join(dir, 'glossary', 'terms.csv'), 'german,english,forms,note\nBündnis,alliance,,\n');
  writeFileSync(path.join(dir, 'diglot.config.json'), JSON.stringify({ title: 'Volumes Test', ...config }, null, 2));
  return dir;
}

/** Builds a project through the test server; the books in its output folder by name. */
export async function buildBooks(dir: string, log = new MemoryLogger()): Promise<Map<string, Record<string, string>>> {
  const result = await build(await configOf(dir), { engine: deeplEngine(server.url), log });
  assert.equal(result.exitCode, 0, JSON.stringify(result.error ?? result.missing));
  const books = new Map<string, Record<string, string>>();
  for (const name of readdirSync(path.join(dir, 'output'))
    .filter((n) => n.endsWith('.epub'))
    .sort()) {
    const files = unzipSync(new Uint8Array(readFileSync(path.join(dir, 'output', name))));
    books.set(name, Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strFromU8(v)])));
  }
  return books;
}
