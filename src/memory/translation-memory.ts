import { closeSync, fsyncSync, mkdirSync, openSync, truncateSync, writeSync } from 'node:fs';
import { mkdir, open, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gitVersions } from '../util/git-unmerged.js';
import { lacksTheirs } from './merge-memory.js';
import { normalise } from '../segment/normalise.js';
import { InputError, storageError } from '../util/errors.js';
import { formatMessage } from '../util/format-message.js';
import { formatEntry, type MemoryEntry } from './entry.js';
import type { Message } from '../model.js';
import { readJournal } from './read-journal.js';
import { byCodeUnits } from '../util/by-code-units.js';
import { fileStamp, sameOrBothMissing, type FileStamp } from '../write/write-atomic.js';

/** How many unreadable lines a refusal lists; the count says how many more there are. */
const SHOWN_PROBLEMS = 20;

/**
 * The translation memory: an append-only JSON Lines file, one entry a line. The last line for a
 * (language, source) pair wins, so appending is the only write a build makes: a run killed at any
 * point leaves every finished batch in the file, and at worst one partial last line, which the
 * next load reports and the next write moves aside to `<file>.rejected`. A file with any other
 * unreadable line (git conflict markers above all) is refused whole: read in part, a build would
 * silently take one reviewer's text over another's. `compact` rewrites the file sorted, one line per pair.
 */
export class TranslationMemory {
  /**
   * Entries by target language, then by normalised source: a lookup hashes the (already hashed)
   * segment key itself, not a joined string.
   */
  private readonly byLang = new Map<string, Map<string, MemoryEntry>>();
  private count = 0;
  private needsNewline = false;
  /** A cut-off last line found at load, moved aside by the first write: where it starts, and its text. */
  private tail: { offset: number; text: string } | undefined;
  /** `appendSoon`: lines not yet handed to a write, the write that will take them, the last one started. */
  private unwritten = '';
  private scheduled: Promise<void> | undefined;
  private writing: Promise<void> = Promise.resolve();
  /**
   * The file's stamp when it was read, and after each write of this memory since, while no one else
   * has written it in between (then `undefined`): see {@link ownWritesSince}.
   */
  private stamps: { read: FileStamp | undefined; last: FileStamp | undefined } | undefined;

  private constructor(
    readonly file: string,
    readonly displayName: string,
  ) {}

  /**
   * Loads the memory file (a missing file is an empty memory). Throws an InputError naming every
   * unreadable line (`file:line`) but a cut-off last line, which comes back as a problem to warn of.
   */
  static async open(file: string, displayName = file): Promise<{ memory: TranslationMemory; problems: Message[] }> {
    const memory = new TranslationMemory(file, displayName);
    // Stamped before it is read: a write that comes between leaves the stamp older than what was read.
    const read = fileStamp(file);
    memory.stamps = { read, last: read };
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const journal = readJournal(text, displayName);
    if (journal.problems.length > 0) throw unreadableMemory(displayName, journal.problems);
    const unmerged = gitVersions(file);
    if (unmerged && lacksTheirs(unmerged, text)) throw unmergedMemory(displayName);
    // Keyed as today's `normalise` keys them: an entry written before a change to it (invisible characters) is still found.
    for (const entry of journal.entries.values()) {
      const key = normalise(entry.source);
      memory.put(key === entry.source ? entry : { ...entry, source: key });
    }
    memory.needsNewline = journal.unterminated && journal.tail === undefined;
    const problems: Message[] = [];
    if (journal.tail) {
      memory.tail = { offset: Buffer.byteLength(text.slice(0, journal.tail.offset)), text: text.slice(journal.tail.offset) };
      problems.push({
        file: displayName,
        line: journal.tail.line,
        rule: 'memory',
        severity: 'warning',
        message: `${journal.tail.message}; skipped, and moved to ${displayName}.rejected at the next write`,
      });
    }
    return { memory, problems };
  }

  /** Where lines that are not entries are moved to, never deleted. */
  get rejectedFile(): string {
    return `${this.file}.rejected`;
  }

  /**
   * Checks that the file can be appended to, before anything is sent that would have to be stored
   * in it: an InputError naming the file and the errno otherwise. Synchronous: it runs once, while
   * the articles are segmented.
   */
  checkWritable(): void {
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      closeSync(openSync(this.file, 'a'));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new InputError(
        `${this.displayName}: the translation memory cannot be written (${code}); nothing was sent`,
        'make the memory file and its folder writable (and the disk not full), then run again',
      );
    }
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
    return [...this.byLang.keys()]
      .sort(byCodeUnits)
      .flatMap((lang) => [...this.entriesIn(lang)].sort((a, b) => byCodeUnits(a.source, b.source)));
  }

  /** The current entries of one target language, in no set order: for a caller that picks a few, without sorting them all. */
  entriesIn(lang: string): Iterable<MemoryEntry> {
    return this.byLang.get(lang)?.values() ?? [];
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
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      const before = fileStamp(this.file);
      this.moveTailAside();
      appendDurably(this.file, text);
      this.wroteOwn(before);
    } catch (error) {
      throw storageError(error, this.displayName, 'nothing of this change was stored');
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
      try {
        await mkdir(path.dirname(this.file), { recursive: true });
        const before = fileStamp(this.file);
        this.moveTailAside();
        const handle = await open(this.file, 'a');
        try {
          await handle.writeFile(text);
          await handle.sync();
        } finally {
          await handle.close();
        }
        this.wroteOwn(before);
      } catch (error) {
        throw storageError(error, this.displayName, 'the translations stored before are kept; those of the requests in flight are not');
      }
      this.needsNewline = false;
    });
    const done = this.scheduled;
    // The next write waits for this one, failed or not; this one's failure goes to its callers.
    this.writing = done.catch(() => undefined);
    return done;
  }

  /**
   * Rewrites the file sorted, one line per entry, through a temp file and a rename (a cut-off last
   * line moved aside first). On failure the temp file is removed and the file stays as it was.
   */
  async compact(): Promise<void> {
    const tmp = path.join(path.dirname(this.file), `.${path.basename(this.file)}.${process.pid}.tmp`);
    try {
      await mkdir(path.dirname(this.file), { recursive: true });
      await writeFile(
        tmp,
        this.entries()
          .map((e) => `${formatEntry(e)}\n`)
          .join(''),
        { flush: true },
      );
      this.moveTailAside();
      await rename(tmp, this.file);
    } catch (error) {
      await unlink(tmp).catch(() => undefined);
      throw storageError(error, this.displayName, 'the memory file is as it was');
    }
    this.needsNewline = false;
  }

  /**
   * The file's stamp now, if every write to it since it was stamped `since` (a build's inputs, taken
   * before this memory read it) was this memory's own: a build that wrote translations to it then
   * records the file as its own writes left it, and the next build with nothing else changed has
   * nothing to do. `undefined` when another writer came between, or the file changed after.
   */
  ownWritesSince(since: FileStamp | undefined): FileStamp | undefined {
    const now = fileStamp(this.file);
    if (!this.stamps || !sameOrBothMissing(since, this.stamps.read) || !sameOrBothMissing(now, this.stamps.last)) return undefined;
    return now;
  }

  /**
   * Keeps the stamps (see {@link ownWritesSince}) after a write of this memory's own, which found the
   * file stamped `before`: as this memory last left it, else another writer came between and the
   * stamps are dropped.
   */
  private wroteOwn(before: FileStamp | undefined): void {
    if (this.stamps && !sameOrBothMissing(before, this.stamps.last)) this.stamps = undefined;
    if (this.stamps) this.stamps.last = fileStamp(this.file);
  }

  /**
   * Moves a cut-off last line found at load to {@link rejectedFile} and cuts it from the file.
   * Synchronous in every write path: it happens once per process at most.
   */
  private moveTailAside(): void {
    if (!this.tail) return;
    appendDurably(this.rejectedFile, `${this.tail.text}\n`);
    truncateSync(this.file, this.tail.offset);
    this.tail = undefined;
  }
}

/** Appends text to a file in one write and flushes it to disk before returning. */
function appendDurably(file: string, text: string): void {
  const fd = openSync(file, 'a');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The refusal of a memory file git left unmerged without conflict markers: its merge driver did not run. */
function unmergedMemory(file: string): InputError {
  return new InputError(
    `${file} is unmerged in git and lacks the other side's translations: the merge driver did not merge it (it is not set up, ` +
      '`git config merge.diglot-memory.driver` names a command that is missing, or it found a version it could not read)',
    `run \`diglot memory merge\` to merge the other side into the file as it is now (your side, with any line fixed since; ` +
      `no text is lost), then \`git add ${file}\`; the README's "Working as a team" section sets the driver up`,
  );
}

/** The refusal of a memory file with lines that are not entries, with what to do about them. */
function unreadableMemory(file: string, problems: Message[]): InputError {
  const shown = problems.slice(0, SHOWN_PROBLEMS).map(formatMessage);
  const more = problems.length > SHOWN_PROBLEMS ? `\n  … and ${problems.length - SHOWN_PROBLEMS} more` : '';
  if (problems.some((p) => p.rule === 'conflict')) {
    return new InputError(
      `${file} holds git conflict markers: it was merged without diglot's merge driver, and reading it in part would drop one side's translations:\n  ${shown.join('\n  ')}${more}`,
      `run \`diglot memory merge\` to merge both sides by segment (no text is lost), then \`git add ${file}\`; the README's "Working as a team" section sets the driver up`,
    );
  }
  return new InputError(
    `${file} has ${problems.length} line${problems.length === 1 ? '' : 's'} that ${problems.length === 1 ? 'is' : 'are'} not a memory entry; it is refused whole rather than read in part:\n  ${shown.join('\n  ')}${more}`,
    `fix ${problems.length === 1 ? 'it' : 'them'} by hand, or run \`diglot memory compact --quarantine\` to move such lines to ${file}.rejected`,
  );
}
