// Removes the temp files a killed `glossary add|remove` left beside the glossary (`.terms.csv.PID.tmp`).
import { readdir, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * Removes `.<name>.<pid>.tmp` files of `file` written by other processes (a run killed between
 * writing its temp file and renaming it) and returns their names. Call it holding the project lock:
 * then no other diglot run can be writing one. Only this file's temp files are touched (not the
 * whole folder's, as `prepareOutput` does for output/), so a glossary kept at the project root or
 * in a linked folder is handled too.
 */
export async function removeStaleTemps(file: string): Promise<string[]> {
  const dir = path.dirname(file);
  const prefix = `.${path.basename(file)}.`;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return []; // no folder yet: nothing left behind
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = name.slice(prefix.length, -'.tmp'.length);
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    await unlink(path.join(dir, name)).catch(() => undefined);
    removed.push(name);
  }
  return removed;
}
