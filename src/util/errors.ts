/**
 * diglot's small error taxonomy. Content problems are findings (values); these are for the
 * failures that stop a command. The CLI maps each to an exit code in one place.
 */
import { relative } from 'node:path';

/** Exit codes, documented in the README. */
export const EXIT = {
  ok: 0,
  /** Findings under --strict, or work that could not be finished (e.g. segments without translation). */
  failed: 1,
  /** Bad input or usage: unreadable sources, invalid config or glossary, unknown flags. */
  usage: 2,
  /** DeepL rejected the authentication key. */
  auth: 3,
  /** DeepL quota exceeded. */
  quota: 4,
  /** DeepL unreachable or failing after retries. */
  network: 5,
  /** Another diglot run holds the project lock. */
  locked: 6,
  /** A file could not be written (disk full, read-only, no permission): what was written before is kept. */
  storage: 7,
  /** Stopped by Ctrl-C (SIGINT) or SIGTERM: what was translated before is kept. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the user can act on; `exitCode` says how the CLI ends. */
export class DiglotError extends Error {
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  constructor(message: string, exitCode: ExitCode, hint?: string) {
    super(message);
    this.name = 'DiglotError';
    this.exitCode = exitCode;
    this.hint = hint;
  }

  /** The error as `--json` gives it: `{"message", "hint", "exitCode"}` (no hint when there is none). */
  toJSON(): { message: string; hint?: string; exitCode: ExitCode } {
    return { message: this.message, ...(this.hint ? { hint: this.hint } : {}), exitCode: this.exitCode };
  }
}

/** Bad input or usage (exit 2). */
export class InputError extends DiglotError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.usage, hint);
    this.name = 'InputError';
  }
}

/** A translation service failure (auth, quota, network), already worded for the user. */
export class EngineError extends DiglotError {
  constructor(message: string, exitCode: ExitCode, hint?: string) {
    super(message, exitCode, hint);
    this.name = 'EngineError';
  }
}

/** A write that failed in the file system (disk full, read-only, no permission), worded for the user (exit 7). */
export class StorageError extends DiglotError {
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined, hint?: string) {
    super(message, EXIT.storage, hint);
    this.name = 'StorageError';
    this.code = code;
  }
}

/** What an errno of a failed write means, for the messages of {@link storageError}. */
const WRITE_ERRORS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EFBIG: 'the file is too large',
  EIO: 'input/output error',
};

/**
 * Turns a failed write into a {@link StorageError} naming the file and the errno, or returns the
 * error as it is when it is not a file-system failure (a bug stays a bug).
 */
export function storageError(error: unknown, file: string, kept: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined || !(code in WRITE_ERRORS)) return error;
  return new StorageError(
    `cannot write ${file}: ${WRITE_ERRORS[code]} (${code}); ${kept}`,
    code,
    'free space or fix the permissions, then run the command again',
  );
}

/** What an errno of a file operation means where no write names it, for {@link fileSystemFailure}. */
const PATH_ERRORS: Record<string, string> = {
  ...WRITE_ERRORS,
  EISDIR: 'it is a folder, where a file belongs',
  ENOTDIR: 'a part of the path is a file, where a folder belongs',
  EBUSY: 'the file is in use',
  EMFILE: 'too many files are open',
};

/**
 * A file-system failure that no step turned into a message of its own (the file it concerns in
 * `path`, a known errno), as a {@link StorageError} naming both (exit 7): a project on a read-only
 * disk, a folder where a file belongs, is the user's to mend, not a bug. `undefined` for anything else.
 */
export function fileSystemFailure(error: unknown, cwd: string): StorageError | undefined {
  // A rename names its target `dest`: what is in the way is there, not at the temp file it came from.
  const { code, path: from, dest } = (error ?? {}) as NodeJS.ErrnoException & { dest?: string };
  const file = dest ?? from;
  if (code === undefined || file === undefined || !(code in PATH_ERRORS)) return undefined;
  const shown = shownPath(cwd, file);
  return new StorageError(
    `${shown}: ${PATH_ERRORS[code]} (${code}); the command stopped, and what it had written before is kept`,
    code,
    'free space, fix the permissions or move what is in the way, then run the command again',
  );
}

/** A path as a message shows it: relative to `cwd` when it lies within, else as it is. */
export function shownPath(cwd: string, file: string): string {
  const inside = relative(cwd, file);
  return inside.startsWith('..') ? file : inside || '.';
}
