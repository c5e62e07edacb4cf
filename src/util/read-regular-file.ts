// Reads a file that a user may have replaced by a pipe or a device, and tells what a path is: reading
// a pipe blocks until someone writes to it, and Ctrl-C with it, so anything but a regular file is refused at once.
import { readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';

/** A refusal of a path that is no regular file, named as the error codes of `fs` are. */
function notRegular(file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`not a regular file (a pipe, a device or a folder): ${file}`), { code: 'ENOTREG', path: file });
}

/** The file's text (UTF-8); an error for a path that is not a regular file, as for one that is not there. */
export function readRegularFileSync(file: string): string {
  if (!statSync(file).isFile()) throw notRegular(file);
  return readFileSync(file, 'utf8');
}

/** {@link readRegularFileSync}, asynchronously. */
export async function readRegularFile(file: string): Promise<string> {
  if (!(await stat(file)).isFile()) throw notRegular(file);
  return readFile(file, 'utf8');
}

/** Whether a path is a folder, a regular file or something else (a pipe, a device); `undefined` when there is nothing there. */
export function pathKind(file: string): 'folder' | 'file' | 'special' | undefined {
  try {
    const info = statSync(file);
    return info.isDirectory() ? 'folder' : info.isFile() ? 'file' : 'special';
  } catch {
    return undefined; // Not there, or under a file (ENOTDIR), or a link to nothing.
  }
}
