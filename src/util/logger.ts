/** Where commands report progress. The CLI decides terminal, plain, quiet or JSON. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Progress of long work; a terminal shows a bar, a log gets occasional lines. */
  progress(done: number, total: number, detail: string): void;
}

/** `log`, each warning also kept in `said`. */
export function keepingWarnings(log: Logger, said: string[]): Logger {
  return {
    info: (message) => log.info(message),
    warn: (message) => {
      said.push(message);
      log.warn(message);
    },
    error: (message) => log.error(message),
    progress: (done, total, detail) => log.progress(done, total, detail),
  };
}

/** A logger that keeps messages in memory: for tests and for `--json`. */
export class MemoryLogger implements Logger {
  readonly lines: Array<{ level: 'info' | 'warn' | 'error'; message: string }> = [];
  info(message: string): void {
    this.lines.push({ level: 'info', message });
  }
  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }
  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }
  progress(): void {}
}
