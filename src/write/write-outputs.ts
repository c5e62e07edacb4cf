import path from 'node:path';
import { stageFile, type StagedFile } from './write-atomic.js';

/**
 * Writes a build's outputs, given as (path relative to `root`, content) pairs that may be rendered
 * lazily (a generator): each goes to its temp file as soon as it is rendered, up to `parallel`
 * at a time, so the outputs are never all held in memory at once. Only when every one is written
 * are they renamed into place, the last one after all the others; a failure while rendering or
 * writing removes the temp files and leaves the targets as they were. Returns the paths, in order.
 */
export async function writeOutputs(root: string, files: Iterable<readonly [string, string | Uint8Array]>, parallel = 8): Promise<string[]> {
  const written: string[] = [];
  const staged: StagedFile[] = [];
  const pending = new Set<Promise<void>>();
  try {
    for (const [rel, data] of files) {
      const index = written.length;
      written.push(rel);
      const write: Promise<void> = stageFile(path.join(root, rel), data)
        .then((file) => {
          staged[index] = file;
        })
        .finally(() => pending.delete(write));
      // Handled here so that a failure is never "unhandled"; the race and the final wait still see it.
      write.catch(() => undefined);
      pending.add(write);
      if (pending.size >= parallel) await Promise.race(pending);
    }
    await Promise.all(pending);
  } catch (error) {
    await Promise.allSettled(pending);
    await Promise.all(staged.filter((f) => f !== undefined).map((f) => f.discard()));
    throw error;
  }
  const last = staged.pop();
  await Promise.all(staged.map((f) => f.commit()));
  if (last) await last.commit();
  return written;
}
