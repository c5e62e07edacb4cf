import type { Logger } from '../util/logger.js';

/** How the console reports: a bar on a terminal, plain lines in a log, errors only with --quiet. */
export interface ConsoleOptions {
  quiet: boolean;
  /** Machine-readable output: human messages go to stderr only as errors. */
  json: boolean;
}

/** The CLI's logger: messages to stderr, so stdout stays clean for `--json` and data. */
export class ConsoleLogger implements Logger {
  private readonly tty = process.stderr.isTTY === true;
  private readonly color = this.tty && !process.env['NO_COLOR'];
  private lastPlain = -1;
  private barShown = false;

  constructor(private readonly options: ConsoleOptions) {}

  info(message: string): void {
    if (this.options.quiet || this.options.json) return;
    this.write(message);
  }
  warn(message: string): void {
    if (this.options.quiet || this.options.json) return;
    this.write(`${this.paint('33', 'warning')}: ${message}`);
  }
  error(message: string): void {
    this.write(`${this.paint('31', 'error')}: ${message}`);
  }
  progress(done: number, total: number, detail: string): void {
    if (this.options.quiet || this.options.json || total === 0) return;
    if (this.tty) {
      const width = 30;
      const filled = Math.round((done / total) * width);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} texts · ${detail}\x1b[K`);
      this.barShown = done < total;
      if (done >= total) process.stderr.write('\n');
      return;
    }
    const tenth = Math.floor((done / total) * 10);
    if (tenth !== this.lastPlain) {
      this.lastPlain = tenth;
      process.stderr.write(`translated ${done}/${total} texts · ${detail}\n`);
    }
  }

  private write(line: string): void {
    if (this.barShown) {
      process.stderr.write('\n');
      this.barShown = false;
    }
    process.stderr.write(`${line}\n`);
  }

  private paint(code: string, text: string): string {
    return this.color ? `\x1b[${code}m${text}\x1b[0m` : text;
  }
}
