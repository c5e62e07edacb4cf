// Where `memory export --tmx` and `glossary export --tbx` write: a file already there is written over
// only when it is an earlier export of that kind, so a slip (`--tmx memory/memory.jsonl`) never replaces a project's file.
import { open } from 'node:fs/promises';
import { InputError } from './errors.js';

/** The kinds of export, by the root element their files start with. */
export const EXPORT_KINDS = {
  TMX: /<tmx[\s>]/,
  TBX: /<(?:martif|tbx)[\s>]/,
} as const;

/**
 * Refuses `file` (shown as `display`) when a file is there that is not of `kind`: its first
 * kilobytes, read as UTF-8 and as UTF-16 (as Trados writes TMX), are not XML (they start with
 * `<`) holding such a root element. (A memory whose text quotes `<tmx>` starts with `{`.)
 */
export async function checkExportTarget(file: string, display: string, kind: keyof typeof EXPORT_KINDS): Promise<void> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (handle === undefined) return; // Nothing there (or a folder, refused where it is written).
  try {
    const { buffer, bytesRead } = await handle.read({ buffer: Buffer.alloc(4096), position: 0 });
    const head = buffer.subarray(0, bytesRead);
    const readings = ['utf-8', 'utf-16le', 'utf-16be'].map((encoding) => new TextDecoder(encoding).decode(head));
    const isKind = (text: string): boolean => /^\uFEFF?\s*</.test(text) && EXPORT_KINDS[kind].test(text);
    if ((await handle.stat()).isDirectory() || readings.some(isKind)) return;
  } catch {
    return; // A folder cannot be read: writing there says so.
  } finally {
    await handle.close();
  }
  throw new InputError(
    `${display} exists and is not a ${kind} file: not written over`,
    `name a new file (e.g. export.${kind.toLowerCase()}), or move ${display} away first if it is to be replaced`,
  );
}
