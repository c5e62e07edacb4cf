import { mkdir, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes a file completely or not at all: the data goes to a temp file beside the target, is
 * flushed, then renamed over it. A reader (or a crash) sees the old file or the new one, never
 * half of one. Asynchronous, so that several files can be written (and flushed) at once.
 */
export async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
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
  await rename(tmp, file);
}
