import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { sha256 } from '../src/util/hash.js';

/** Replaces the English block of a segment in a review file's text. */
export function setEnglish(text: string, id: string, english: string): string {
  const start = text.indexOf(`<!-- segment ${id} `);
  if (start < 0) throw new Error(`no segment ${id}`);
  const en = text.indexOf('<!-- EN -->', start);
  const end = text.indexOf('<!-- /segment -->', en);
  return `${text.slice(0, en)}<!-- EN -->\n\n${english}\n\n${text.slice(end)}`;
}

/** The English block of a segment in a review file's text. */
export function englishOf(text: string, id: string): string {
  const start = text.indexOf(`<!-- segment ${id} `);
  const en = text.indexOf('<!-- EN -->', start);
  const end = text.indexOf('<!-- /segment -->', en);
  return text.slice(en + '<!-- EN -->'.length, end).trim();
}

/** The ids of a review file's pairs, in order. */
export function segmentIds(text: string): string[] {
  return [...text.matchAll(/^<!-- segment (\S+) /gm)].map((m) => m[1] as string);
}

/** The 1-based line of the first line of `text` that satisfies `test`. */
export function lineOf(text: string, test: (line: string) => boolean, from = 0): number {
  const lines = text.split('\n');
  for (let i = from; i < lines.length; i++) if (test(lines[i] as string)) return i + 1;
  throw new Error('no such line');
}

/** Every file of a folder (recursively, dot files included) with its hash and modification time. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const file = path.join(d, name);
      const stat = statSync(file);
      if (stat.isDirectory()) walk(file);
      else out[path.relative(dir, file)] = `${sha256(readFileSync(file))} ${stat.mtimeMs}`;
    }
  };
  walk(dir);
  return out;
}

/** The text of every XHTML document of an EPUB. */
export function epubText(file: string): string {
  const zip = unzipSync(readFileSync(file));
  return Object.entries(zip)
    .filter(([name]) => name.endsWith('.xhtml'))
    .map(([, data]) => strFromU8(data))
    .join('\n');
}
