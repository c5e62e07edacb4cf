import { mkdir, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

/** A file written and flushed to a temp file beside its target, waiting to be renamed into place. */
export interface StagedFile {
  file: string;
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
  await (await stageFile(file, data)).commit();
}

/** The first half of `writeAtomic`: the data written and flushed to the temp file, not yet in place. */
export async function stageFile(file: string, data: string | Uint8Array): Promise<StagedFile> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(tmp);
    throw error;
  }
  await handle.close();
  return {
    file,
    commit: () => rename(tmp, file),
    discard: () => unlink(tmp).catch(() => undefined),
  };
}
