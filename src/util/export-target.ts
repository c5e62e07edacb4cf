// Where `memory export --tmx` and `glossary export --tbx` write: a file already there is written over
// only when it is diglot's earlier export of that kind, so neither a slip (`--tmx memory/memory.jsonl`)
// nor an export over a termbase or memory another tool wrote replaces it.
import { open } from 'node:fs/promises';
import { InputError } from './errors.js';

/** The kinds of export, by the root element their files start with and the mark of diglot's own in their header. */
export const EXPORT_KINDS = {
  TMX: { root: /<tmx[\s>]/, ours: /<header\b[^>]*\bcreationtool="diglot"/ },
  TBX: { root: /<(?:martif|tbx)[\s>]/, ours: /<p>Exported by diglot from / },
} as const;

/**
 * Refuses `file` (shown as `display`) when a file is there that is not diglot's export of `kind`:
 * its first kilobytes (diglot writes UTF-8) are not XML (they start with `<`) holding such a root
 * element and diglot's mark in its header. (A memory whose text quotes `<tmx>` starts with `{`.)
 */
export async function checkExportTarget(file: string, display: string, kind: keyof typeof EXPORT_KINDS): Promise<void> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (handle === undefined) return; // Nothing there (or a folder, refused where it is written).
  try {
    const { buffer, bytesRead } = await handle.read({ buffer: Buffer.alloc(4096), position: 0 });
    const head = buffer.subarray(0, bytesRead).toString('utf8');
    const { root, ours } = EXPORT_KINDS[kind];
    if ((await handle.stat()).isDirectory() || (/^\uFEFF?\s*</.test(head) && root.test(head) && ours.test(head))) return;
  } catch {
    return; // A folder cannot be read: writing there says so.
  } finally {
    await handle.close();
  }
  throw new InputError(
    `${display} exists and is not a ${kind} file diglot exported: not written over`,
    `name a new file (e.g. export.${kind.toLowerCase()}), or move ${display} away first if it is to be replaced`,
  );
}
