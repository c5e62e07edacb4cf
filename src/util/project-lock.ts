import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { DiglotError, EXIT } from './errors.js';

/**
 * An exclusive lock on the project for the length of a run, so two builds never append to the
 * memory or write `output/` at once. A lock left by a process that no longer exists is taken over.
 */
export function acquireLock(file: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => {
        try {
          unlinkSync(file);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readSafe(file).trim());
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new DiglotError(`another diglot run (process ${pid}) is working on this project`, EXIT.locked, 'wait for it to finish, or remove .diglot.lock if that process is not diglot');
      }
      try {
        unlinkSync(file);
      } catch {
        // Someone else removed the stale lock first; try again.
      }
    }
  }
  throw new DiglotError('could not take the project lock (.diglot.lock)', EXIT.locked);
}

function readSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
