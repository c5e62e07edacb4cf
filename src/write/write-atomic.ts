import { createReadStream, statSync } from 'node:fs';
import { mkdir, open, rename, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../util/errors.js';

/**
 * What tells a file from one written over it or changed since: its inode, size and modification
 * time (a rename keeps all three, so a staged file's stamp is its target's once in place).
 */
export interface FileStamp {
  ino: number;
  size: number;
  mtimeMs: number;
  /**
   * When the file last changed in any way, which no one can set: a build's inputs have it, so that a
   * text rewritten in place at its length with its modification time set back (`cp -p`, `touch -d`)
   * is a change. Outputs have none: a rename into place changes it.
   */
  ctimeMs?: number;
}

/**
 * The stamp of a file; `undefined` when it is not there. With `changeTime`, its `ctimeMs` too (an
 * input's). Synchronous: one `stat` is quicker than a trip to the threadpool.
 */
export function fileStamp(file: string, changeTime = false): FileStamp | undefined {
  const s = statSync(file, { throwIfNoEntry: false });
  return s && { ino: s.ino, size: s.size, mtimeMs: s.mtimeMs, ...(changeTime ? { ctimeMs: s.ctimeMs } : {}) };
}

/** Whether a file is the one stamped: the same inode, size and modification time, and change time where both stamps have one. */
export function sameStamp(was: FileStamp | undefined, is: FileStamp | undefined): boolean {
  return (
    was !== undefined &&
    is !== undefined &&
    was.ino === is.ino &&
    was.size === is.size &&
    was.mtimeMs === is.mtimeMs &&
    (was.ctimeMs === undefined || is.ctimeMs === undefined || was.ctimeMs === is.ctimeMs)
  );
}

/** {@link sameStamp}, where no file either time (both `undefined`) is the same too. */
export function sameOrBothMissing(a: FileStamp | undefined, b: FileStamp | undefined): boolean {
  return (a === undefined && b === undefined) || sameStamp(a, b);
}

/** A file written and flushed to a temp file beside its target, waiting to be renamed into place. */
export interface StagedFile {
  file: string;
  /** The temp file's stamp, which the target will have (see {@link FileStamp}). */
  stamp(): FileStamp | undefined;
  /** Renames the temp file over the target. */
  commit(): Promise<void>;
  /** Removes the temp file; the target stays as it was. */
  discard(): Promise<void>;
}

/**
 * Writes a file completely or not at all: the data goes to a temp file beside the target, is
 * flushed, then renamed over it. A reader (or a crash) sees the old file or the new one, never
 * half of one. Asynchronous, so that several files can be written (and flushed) at once.
 */
export async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const staged = await stageFile(file, data);
  await staged.commit().catch(async (error: unknown) => {
    await staged.discard();
    // A folder where the file is to go: the path given names no file (`export --tbx some/folder`).
    if ((error as NodeJS.ErrnoException).code === 'EISDIR')
      throw new InputError(`cannot write ${file}: it is a folder`, 'name the file to write, e.g. a path inside that folder');
    throw naming(error, file);
  });
}

/**
 * The first half of `writeAtomic`: the data written and flushed to the temp file, not yet in place
 * (`flush: false` for a file that may be lost in a crash, but never seen half-written).
 */
export async function stageFile(
  file: string,
  /** Pieces (a book) are written one after another, and asked for again if the folder has to be made first. */
  data: string | Uint8Array | Iterable<Uint8Array>,
  { flush = true } = {},
): Promise<StagedFile> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  await writeTemp(tmp, data, flush).catch((error: unknown) => Promise.reject(naming(error, file)));
  // Built apart from `data`: the closures must not keep the content alive until the rename.
  return staged(file, tmp);
}

/** Writes, flushes (fsync, unless `flush` is false) and closes a temp file in one call; on failure removes it. */
async function writeTemp(tmp: string, data: string | Uint8Array | Iterable<Uint8Array>, flush: boolean): Promise<void> {
  try {
    await writeFile(tmp, data, { flush }).catch(async (error: NodeJS.ErrnoException) => {
      // The folder does not exist yet: create it (once per folder, in practice) and write again.
      if (error.code !== 'ENOENT') throw error;
      await mkdir(path.dirname(tmp), { recursive: true });
      await writeFile(tmp, data, { flush });
    });
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
}

function staged(file: string, tmp: string): StagedFile {
  return {
    file,
    stamp: () => fileStamp(tmp),
    commit: () => rename(tmp, file),
    discard: () => unlink(tmp).catch(() => undefined),
  };
}

/** How much of a spooled file `StagedStream.append` reads and writes at a time. */
const APPEND_CHUNK_BYTES = 1024 * 1024;

/** How many characters `StagedStream.write` gathers before it hands them to the file in one write. */
const WRITE_BATCH_CHARACTERS = 64 * 1024;

/**
 * A file written piece by piece, in order, to a temp file beside its target, so that a large
 * output (the review page, the report) never has to be held in memory whole. `stage` flushes and
 * closes it and gives the {@link StagedFile} to rename into place; `discard` removes it.
 * `name` overrides the temp file's name part (a spool for part of a file).
 */
export class StagedStream {
  readonly tmp: string;
  private readonly handle: Promise<FileHandle>;
  private chain: Promise<unknown>;
  /** Texts written and not yet handed to the file: gathered, since each write is a round trip to libuv's threadpool. */
  private gathered: string[] = [];
  private gatheredLength = 0;

  constructor(
    readonly file: string,
    name = path.basename(file),
  ) {
    const dir = path.dirname(file);
    this.tmp = path.join(dir, `.${name}.${process.pid}.tmp`);
    this.handle = mkdir(dir, { recursive: true }).then(() => open(this.tmp, 'w'));
    this.chain = this.handle;
    // Failures surface in `write`'s promise and in `stage`; until then they are not unhandled.
    this.chain.catch(() => undefined);
  }

  /** Appends text after everything written before. A failure to write it surfaces in `stage` (or `close`, `append`). */
  write(text: string): void {
    this.gathered.push(text);
    this.gatheredLength += text.length;
    if (this.gatheredLength >= WRITE_BATCH_CHARACTERS) this.handOver();
  }

  /** Hands the texts gathered so far to the file, after everything handed over before. */
  private handOver(): Promise<unknown> {
    if (this.gathered.length === 0) return this.chain;
    const data = this.gathered.join('');
    this.gathered = [];
    this.gatheredLength = 0;
    const next = this.chain
      .then(async () => {
        await (await this.handle).writeFile(data);
      })
      .catch((error: unknown) => Promise.reject(naming(error, this.file)));
    next.catch(() => undefined);
    this.chain = next;
    return next;
  }

  /** Appends another file's content, read in chunks of 1 MiB (each read and write is a round trip to libuv's threadpool). */
  async append(file: string): Promise<void> {
    await this.handOver();
    const handle = await this.handle;
    for await (const chunk of createReadStream(file, { highWaterMark: APPEND_CHUNK_BYTES })) await handle.writeFile(chunk as Buffer);
  }

  /** Waits for every write, flushes and closes the temp file. */
  async stage(): Promise<StagedFile> {
    const handle = await this.handle;
    try {
      await this.handOver();
      await handle.sync();
    } catch (error) {
      await this.discard();
      throw naming(error, this.file);
    }
    await handle.close();
    return staged(this.file, this.tmp);
  }

  /** Waits for every write and closes the temp file without flushing it: for a spool read back at once. */
  async close(): Promise<void> {
    const handle = await this.handle;
    try {
      await this.handOver();
    } finally {
      await handle.close();
    }
  }

  /** Closes and removes the temp file. */
  async discard(): Promise<void> {
    this.gathered = [];
    await this.chain.catch(() => undefined);
    const handle = await this.handle.catch(() => undefined);
    await handle?.close().catch(() => undefined);
    await unlink(this.tmp).catch(() => undefined);
  }
}

/**
 * Stages the file a spool is the middle of: `head`, the spool's content, then `tail`, written to a
 * temp file for the spool's target; the spool is removed either way. For an output whose start
 * needs what is known only once every piece is spooled (totals, counts).
 */
export async function stageAround(spool: StagedStream, head: string, tail: string): Promise<StagedFile> {
  // The spool is read back at once and removed: closed, not flushed to disk.
  await spool.close();
  const framed = new StagedStream(spool.file);
  try {
    framed.write(head);
    await framed.append(spool.tmp);
    framed.write(tail);
    return await framed.stage();
  } catch (error) {
    await framed.discard();
    throw error;
  } finally {
    await spool.discard();
  }
}

/**
 * A failed write names the file it was for (not its temp file), as Node's own fs errors name
 * theirs in `path`; file-handle writes carry no path at all.
 */
function naming(error: unknown, file: string): unknown {
  if (error instanceof Error && 'code' in error) Object.assign(error, { path: file });
  return error;
}
