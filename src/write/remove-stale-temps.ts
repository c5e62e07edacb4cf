// Removes the temp files a killed run left in a folder: `.<name>.<pid>.tmp`, as write-atomic names them.
import { readdir, unlink } from 'node:fs/promises';
import path from 'node:path';

const TEMP = /^\.(.+)\.(\d+)\.tmp$/;

/**
 * Removes the temp files in `dir` written by other processes (this one's are its own work) and
 * returns their names; with `of`, only those of that file (`.terms.csv.<pid>.tmp` for `terms.csv`).
 * Call it holding the project lock: then no other diglot run can be writing one.
 */
export async function removeStaleTemps(dir: string, of?: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return []; // no folder yet: nothing left behind
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMP.exec(name);
    if (!match || Number(match[2]) === process.pid || (of !== undefined && match[1] !== of)) continue;
    await unlink(path.join(dir, name)).catch(() => undefined);
    removed.push(name);
  }
  return removed;
}
