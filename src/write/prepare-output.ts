import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../util/errors.js';
import { removeStaleTemps } from './remove-stale-temps.js';

/**
 * Makes sure diglot writes only where it should, and clears what a killed run left. The output
 * folder and the memory's folder must be real folders inside the project, not symbolic links that
 * would send the writes elsewhere. Temp files of earlier runs (`.<name>.<pid>.tmp`, from a run
 * killed between writing and renaming) are removed: the caller holds the project lock, so no other
 * run can be writing them.
 */
export async function prepareOutput(root: string, folders: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const folder of folders) {
    const dir = path.join(root, folder);
    let info;
    try {
      info = await lstat(dir);
    } catch {
      continue; // created on first write
    }
    if (info.isSymbolicLink() || !info.isDirectory()) {
      throw new InputError(
        `${folder}/ is a symbolic link or not a folder; diglot writes only into real folders inside the project`,
        `replace ${folder} with a folder`,
      );
    }
    for (const name of await removeStaleTemps(dir)) removed.push(path.join(folder, name));
  }
  return removed;
}
