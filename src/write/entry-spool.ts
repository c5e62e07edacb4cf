// Named pieces of text spooled to a temp file as they come and read back one at a time, in any
// order: the review state's entries, rendered as each review file is written, are never all held.
import { closeSync, openSync, readSync } from 'node:fs';
import { StagedStream } from './write-atomic.js';

/** Where a piece lies in the spool: byte offset and length. */
interface Place {
  offset: number;
  length: number;
}

/**
 * A spool of pieces by name: `add` appends a piece (a name added again takes its latest piece),
 * `read` gives one back once `close` has flushed them all, `discard` removes the temp file.
 */
export class EntrySpool {
  private readonly stream: StagedStream;
  private readonly places = new Map<string, Place>();
  private size = 0;
  private fd: number | undefined;

  /** `file` is the output the pieces are for; the spool is a temp file beside it, named after `name`. */
  constructor(file: string, name: string) {
    this.stream = new StagedStream(file, name);
  }

  has(name: string): boolean {
    return this.places.has(name);
  }

  /** The names of the pieces, in the order first added. */
  names(): string[] {
    return [...this.places.keys()];
  }

  /** Appends a piece; the promise settles once it is written (a failure also surfaces in `close`). */
  add(name: string, piece: string): Promise<void> {
    const length = Buffer.byteLength(piece);
    this.places.set(name, { offset: this.size, length });
    this.size += length;
    return this.stream.write(piece);
  }

  /** Waits for every piece to be written, and opens the spool for reading. */
  async close(): Promise<void> {
    await this.stream.close();
    this.fd = openSync(this.stream.tmp, 'r');
  }

  /** A piece, read back from the spool (after `close`). */
  read(name: string): string {
    const place = this.places.get(name);
    if (place === undefined || this.fd === undefined) throw new Error(`no spooled piece ${name}`);
    const bytes = Buffer.alloc(place.length);
    let done = 0;
    while (done < place.length) {
      const read = readSync(this.fd, bytes, done, place.length - done, place.offset + done);
      if (read === 0) throw new Error(`${this.stream.tmp}: cut short before the piece ${name}`);
      done += read;
    }
    return bytes.toString('utf8');
  }

  /** Closes and removes the spool. */
  async discard(): Promise<void> {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    await this.stream.discard();
  }
}
