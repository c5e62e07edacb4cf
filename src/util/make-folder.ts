// Makes a folder and its missing parents one level at a time. Node 20's `mkdir(…, { recursive: true })`
// never returns where a file system refuses a new folder with ENOENT though its parent exists (/proc).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

/** Makes `dir` and the parents it lacks; an existing folder is fine. Rejects with the first level that cannot be made. */
export async function makeFolder(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    try {
      await mkdir(at);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') break;
      // No parent yet: made first, then this one. At the root there is nothing left to make.
      if (code !== 'ENOENT' || path.dirname(at) === at || missing.includes(at)) throw error;
      missing.push(at);
    }
  }
  for (const at of missing.reverse())
    await mkdir(at).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
}
