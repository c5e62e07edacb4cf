/**
 * diglot's small error taxonomy. Content problems are findings (values); these are for the
 * failures that stop a command. The CLI maps each to an exit code in one place.
 */

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
