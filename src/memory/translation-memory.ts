import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { normalise } from '../segment/normalise.js';
import { formatEntry, parseEntry, type MemoryEntry } from './entry.js';

/** A line of the memory file that could not be read; the rest of the file still loads. */
export interface MemoryProblem {
  file: string;
  line: number;
  message: string;
}

/**
 * The translation memory: an append-only JSON Lines file, one entry a line. The last line for a
 * (language, source) pair wins, so appending is the only write a build makes: a run killed at any
 * point leaves every finished batch in the file, and at worst one partial last line, which the
 * next load reports and skips. `compact` rewrites the file sorted, one line per pair.
 */
export class TranslationMemory {
  /** Entries by target language, then by normalised source: a lookup hashes the key itself (a segment's key is hashed once), not a joined string. */
  private readonly byLang = new Map<string, Map<string, MemoryEntry>>();
  private count = 0;
  private needsNewline = false;
  /** `appendSoon`: lines not yet handed to a write, the write that will take them, the last one started. */
  private unwritten = '';
  private scheduled: Promise<void> | undefined;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly file: string,
    readonly displayName: string,
  ) {}

  /** Loads the memory file (a missing file is an empty memory). */
  static async open(file: string, displayName = file): Promise<{ memory: TranslationMemory; problems: MemoryProblem[] }> {
    const memory = new TranslationMemory(file, displayName);
    const problems: MemoryProblem[] = [];
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    memory.needsNewline = text.length > 0 && !text.endsWith('\n');
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      const parsed = parseEntry(line);
      if (typeof parsed === 'string') {
        const partial = i === lines.length - 1 && memory.needsNewline;
        problems.push({ file: displayName, line: i + 1, message: partial ? `incomplete last line (an interrupted write?), skipped: ${parsed}` : `${parsed}; line skipped` });
        return;
      }
      memory.put(parsed);
    });
    return { memory, problems };
  }

  /** The entry for a German text in a target language, if any. */
  lookup(source: string, lang: string): MemoryEntry | undefined {
    return this.lookupKey(normalise(source), lang);
  }

  /** {@link lookup} for a text already normalised (a segment's `segmentKey`): skips normalising it again. */
  lookupKey(key: string, lang: string): MemoryEntry | undefined {
    return this.byLang.get(lang)?.get(key);
  }

  /** Every current entry, sorted by language and source. */
  entries(): MemoryEntry[] {
    const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
    return [...this.byLang.keys()].sort(byCodeUnits).flatMap((lang) => [...(this.byLang.get(lang) as Map<string, MemoryEntry>).entries()].sort(([a], [b]) => byCodeUnits(a, b)).map(([, e]) => e));
  }

  get size(): number {
    return this.count;
  }

  /** Stores an entry (normalised source), replacing the one for the same text and language. */
  private put(entry: MemoryEntry): void {
    let entries = this.byLang.get(entry.lang);
    if (!entries) this.byLang.set(entry.lang, (entries = new Map()));
    if (!entries.has(entry.source)) this.count++;
    entries.set(entry.source, entry);
  }

  /**
   * Appends entries in one write and flushes them to disk before returning, so that a batch
   * DeepL has billed is never lost. Sources are normalised here.
   */
  append(entries: readonly MemoryEntry[]): void {
    if (entries.length === 0) return;
    const normalised = entries.map((e) => ({ ...e, source: normalise(e.source) }));
    const text = (this.needsNewline ? '\n' : '') + normalised.map((e) => `${formatEntry(e)}\n`).join('');
    // Synchronous on purpose: one batch's append never interleaves with another's.
    mkdirSync(path.dirname(this.file), { recursive: true });
    const fd = openSync(this.file, 'a');
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.needsNewline = false;
    for (const e of normalised) this.put(e);
  }

  /**
   * Like `append`, for a run that keeps working while the disk flushes (a build with requests in
   * flight): the entries are in the memory for `lookup` at once, and the returned promise settles
   * once they are written and flushed. One write is under way at a time, in order; entries appended
   * meanwhile go to disk together in the next write, so the flushes never queue up behind each
   * other and never hold up the requests (`fsync` can take milliseconds; done synchronously after
   * every batch it stalls every request in flight). Do not mix with `append` while a write is pending.
   */
  appendSoon(entries: readonly MemoryEntry[]): Promise<void> {
    if (entries.length === 0) return this.scheduled ?? this.writing;
    const normalised = entries.map((e) => ({ ...e, source: normalise(e.source) }));
    for (const e of normalised) this.put(e);
    this.unwritten += normalised.map((e) => `${formatEntry(e)}\n`).join('');
    this.scheduled ??= this.writing.then(async () => {
      this.scheduled = undefined;
      const text = (this.needsNewline ? '\n' : '') + this.unwritten;
      this.unwritten = '';
      this.needsNewline = false;
      await mkdir(path.dirname(this.file), { recursive: true });
      const handle = await open(this.file, 'a');
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
    });
    const done = this.scheduled;
    // The next write waits for this one, failed or not; this one's failure goes to its callers.
    this.writing = done.catch(() => undefined);
    return done;
  }

  /** Rewrites the file sorted, one line per entry, through a temp file and a rename. */
  async compact(): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, this.entries().map((e) => `${formatEntry(e)}\n`).join(''));
    await rename(tmp, this.file);
    this.needsNewline = false;
  }
}
