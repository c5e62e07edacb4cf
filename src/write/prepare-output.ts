import { lstat, readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../util/errors.js';

const TEMP = /^\..+\.(\d+)\.tmp$/;

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
    for (const name of await readdir(dir)) {
      const match = TEMP.exec(name);
      if (!match || Number(match[1]) === process.pid) continue;
      await unlink(path.join(dir, name)).catch(() => undefined);
      removed.push(path.join(folder, name));
    }
  }
  return removed;
}
