import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { DiglotError, EXIT, InputError, storageError } from './errors.js';
import { pathKind } from './read-regular-file.js';

/** What a lock file holds: who took it, and when that process started (to tell it from a reused PID). */
interface LockOwner {
  pid: number;
  /** The process's start time as the system records it (Linux: clock ticks after boot), if it can be read. */
  started?: string;
  host?: string;
}

/**
 * An exclusive lock on the project for the length of a command that writes, so two runs never
 * append to the memory, rewrite the glossary or write `output/` at once. The lock file records the
 * owner's PID with the process's start time: a lock whose process has died, or whose PID now
 * belongs to another process (PIDs are reused, often after a kill on a busy machine), is taken over.
 * Commands read what they change only after taking it.
 */
export function acquireLock(file: string): () => void {
  const me: LockOwner = { pid: process.pid, host: hostname() };
  const started = startTime(process.pid);
  if (started !== undefined) me.started = started;
  // Written whole beside the lock, then linked into place (which fails if the lock exists): a
  // lock is never seen half-written.
  const mine = `${file}.${process.pid}.new`;
  try {
    writeFileSync(mine, `${JSON.stringify(me)}\n`);
  } catch (error) {
    // A read-only or full project: nothing is left behind, and the command stops before it reads anything.
    try {
      unlinkSync(mine);
    } catch {
      // Never made.
    }
    throw storageError(error, path.basename(file), 'nothing was changed');
  }
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(mine, file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        // A folder (or a pipe, which would block the read) by that name is no lock of a run: nothing to take over.
        const found = pathKind(file);
        if (found === 'folder' || found === 'special')
          throw new InputError(
            `${path.basename(file)} is ${found === 'folder' ? 'a folder' : 'not a regular file'}, where diglot keeps its lock file`,
            `remove ${file}`,
          );
        const text = readSafe(file);
        const owner = parseOwner(text);
        if (owner && isRunning(owner)) {
          throw new DiglotError(
            `another diglot run (process ${owner.pid}) is working on this project`,
            EXIT.locked,
            'wait for it to finish, or remove .diglot.lock if that process is not diglot',
          );
        }
        takeOver(file, text);
        continue;
      }
      const release = (): void => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        try {
          unlinkSync(file);
        } catch {
          // Already gone: nothing to release.
        }
      };
      // Ctrl-C or SIGTERM while the lock is held, in a command that does not stop in its own way (build and
      // retranslate listen for them too, and do): the run ends as interrupted, the lock released. What it wrote
      // is whole, as after a kill: every write goes to a temp file renamed into place, and the next run clears those.
      const onSignal = (signal: NodeJS.Signals): void => {
        if (process.listenerCount(signal) > 1) return;
        release();
        process.stderr.write(`${signal}: interrupted; nothing is half-written, and running the command again goes on from here\n`);
        process.exit(EXIT.interrupted);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      return release;
    }
  } finally {
    unlinkSync(mine);
  }
  throw new DiglotError('could not take the project lock (.diglot.lock)', EXIT.locked, 'another diglot run keeps taking it; try again');
}

/**
 * Removes a stale lock whose content was `stale`. It is moved aside first: if another run took the
 * stale lock over and wrote its own meanwhile, that one is put back instead of removed.
 */
function takeOver(file: string, stale: string): void {
  const aside = `${file}.${process.pid}.stale`;
  try {
    renameSync(file, aside);
  } catch {
    return; // Someone else moved it first; try again.
  }
  if (readSafe(aside) === stale) {
    unlinkSync(aside);
    return;
  }
  try {
    renameSync(aside, file);
  } catch {
    unlinkSync(aside);
  }
}

/** The owner recorded in a lock file: JSON, or a bare PID as older versions wrote. */
function parseOwner(text: string): LockOwner | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed) };
  try {
    const value = JSON.parse(trimmed) as Partial<LockOwner>;
    if (!Number.isInteger(value.pid) || (value.pid as number) <= 0) return undefined;
    return value as LockOwner;
  } catch {
    return undefined; // Not a lock diglot wrote: taken over.
  }
}

/** Whether the lock's owner still runs: the PID exists and, where both are known, started when the lock says. */
function isRunning(owner: LockOwner): boolean {
  // A lock taken on another machine (a shared folder) cannot be checked from here: it is kept.
  if (owner.host !== undefined && owner.host !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const fields = procStat(owner.pid);
  // A killed run its parent has not reaped yet (a zombie) still has its PID, and works no more.
  if (fields[0] === 'Z') return false;
  if (owner.started === undefined) return true;
  const now = startTime(owner.pid);
  return now === undefined || now === owner.started;
}

/**
 * The fields of `/proc/PID/stat` from the third on (state, parent …); none where there is no /proc.
 * The command name (field 2) is in parentheses and may hold spaces: counted from the last ')'.
 */
function procStat(pid: number): string[] {
  const stat = readSafe(`/proc/${pid}/stat`);
  return stat === '' ? [] : stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/**
 * A process's start time from `/proc/PID/stat` (field 22, clock ticks after boot), which together
 * with the PID names one process for the life of the system; `undefined` where there is no /proc.
 */
function startTime(pid: number): string | undefined {
  const value = procStat(pid)[19];
  return value !== undefined && /^\d+$/.test(value) ? value : undefined;
}

function readSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
