import { readdir } from 'node:fs/promises';
import { readRegularFile } from '../util/read-regular-file.js';
import path from 'node:path';
import type { Config } from '../config/config.js';
import { loadProject } from '../load-project.js';
import type { MemoryEntry } from '../memory/entry.js';
import { EDITS_INTO_LOST_MEMORY, refuseLostMemory } from '../memory/refuse-lost-memory.js';
import { TranslationMemory } from '../memory/translation-memory.js';
import { sha256 } from '../util/hash.js';
import type { Logger } from '../util/logger.js';
import { acquireLock } from '../util/project-lock.js';
import { readLastBuild, unchangedOutput } from '../write/last-build.js';
import { writeAtomic } from '../write/write-atomic.js';
import { keepOverwritten, keptRecordPath } from './keep-overwritten.js';
import { encodingProblem } from './review-encoding.js';
import { compareReview, olderVersion, type ReviewChange } from './compare-review.js';
import { formatMessage } from '../util/format-message.js';
import type { Message } from '../model.js';
import { knownStatus, namedReviewFile, parseReview, statusWord } from './parse-review.js';
import { reconstructRecords } from './reconstruct-records.js';
import { reviewedEntry } from './reviewed-entry.js';
import { reviewerName } from './reviewer-name.js';
import { blockHash, readRecordFile, recordPath, renderRecord, REVIEW_FILE_SUFFIX, ReviewState, type FileRecord } from './review-state.js';

/** What the import did with one review file. */
export interface ImportedFile {
  /** The path as given (or relative to the root for the default files). */
  file: string;
  changes: ReviewChange[];
  /** Non-empty when the file was refused: nothing of it was imported. */
  problems: Message[];
  /** Pairs showing an English the memory has replaced since: the file is older there, and the memory's is kept. */
  earlier?: Message[];
  /** A refused file's edits, not imported: they are once its problems are fixed. */
  held?: ReviewChange[];
}

/** Every `*.review.md` in the output folder, sorted. */
export async function defaultReviewFiles(config: Config): Promise<string[]> {
  const dir = path.join(config.root, config.output);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .filter((n) => n.endsWith(REVIEW_FILE_SUFFIX))
    .sort()
    .map((n) => path.join(dir, n));
}

/**
 * Imports reviewers' edits from review files into the memory. Each file is compared with the
 * record of what diglot wrote in it (its review state record; without one, what the memory holds now); a
 * file whose German, segment ids or pairs changed is refused whole, with `line: message` problems.
 * A changed English becomes the entry's target with origin human and status reviewed (approved
 * when the pair is marked so), the previous target going into its history; an approval alone
 * changes the status; an `<!-- ok: rule -->` line added (or deleted) accepts that rule's findings
 * for the entry's English (or withdraws the acceptance), recorded with `by` and the time. Review
 * files in the output folder then count as imported (their records are written anew), so `build`
 * may overwrite them; a copy elsewhere leaves the state as it is. A file as diglot last wrote or imported it (by its stamp, or
 * its hash) is not compared: a thousand unchanged files cost a listing, not a read of each.
 */
export async function importReviews(
  config: Config,
  files: ReadonlyArray<{ path: string; display: string }>,
  options: {
    log: Logger;
    now?: () => string;
    /** Who accepts findings (`<!-- ok: … -->`); default: {@link reviewerName}. */
    by?: string;
    /** A pair's English edited in the file wins even where the memory's changed since the file was written. */
    overwrite?: boolean;
  },
): Promise<ImportedFile[]> {
  const release = acquireLock(path.join(config.root, '.diglot.lock'));
  try {
    const outDir = path.join(config.root, config.output);
    const last = await readLastBuild(config);
    // A file's record and the memory are read when it must be compared: for none, not at all.
    const state = new ReviewState(outDir);
    let memory: TranslationMemory | undefined;
    const openMemory = async (): Promise<TranslationMemory> => {
      const opened = await TranslationMemory.open(path.join(config.root, config.memory), config.memory);
      for (const p of opened.problems) options.log.warn(formatMessage(p));
      refuseLostMemory(config, opened.memory, EDITS_INTO_LOST_MEMORY);
      return opened.memory;
    };
    let reconstructed: Map<string, FileRecord> | undefined;
    const now = options.now ?? (() => new Date().toISOString());
    const results: ImportedFile[] = [];
    let by: string | undefined;

    for (const file of files) {
      let name = path.basename(file.path);
      const inOutput = path.resolve(path.dirname(file.path)) === path.resolve(outDir);
      // As the last build left it (unchanged since by its stamp), a review file holds no edit: it is not read.
      if (inOutput && unchangedOutput(config, last, path.join(config.output, name))) {
        results.push({ file: file.display, changes: [], problems: [] });
        continue;
      }
      let text: string;
      try {
        text = await readRegularFile(file.path);
      } catch (error) {
        results.push({
          file: file.display,
          changes: [],
          problems: [
            {
              file: file.display,
              line: 0,
              rule: 'review',
              severity: 'error',
              message: `cannot read the file: ${(error as Error).message}`,
            },
          ],
        });
        continue;
      }
      // Saved in another encoding (Windows-1252, as some editors on Windows do): said as such, not as its pairs changed.
      const encoding = encodingProblem(file.path, file.display, text);
      if (encoding) {
        results.push({ file: file.display, changes: [], problems: [encoding] });
        continue;
      }
      if (text.trim() === '') {
        // Said, not refused: there is nothing to lose, and a build (a --watch session's too) goes on.
        const message = 'the file is empty: it holds nothing to import (the next `diglot build` writes it anew)';
        results.push({
          file: file.display,
          changes: [],
          problems: [],
          earlier: [{ file: file.display, line: 1, rule: 'review', severity: 'warning', message }],
        });
        continue;
      }
      // A copy renamed on its way (`x.review (1).md`, `x (1).review.md`, as mail clients and browsers
      // save attachments, or saved under another article's name) is the review file of the source its head names.
      let record = name.endsWith(REVIEW_FILE_SUFFIX) ? await state.record(name) : undefined;
      const named = record && inOutput ? undefined : namedReviewFile(text);
      if (named !== undefined && named !== name) {
        const namedRecord = await state.record(named);
        if (namedRecord || !record) {
          name = named;
          record = namedRecord;
        }
      }
      // A copy a build kept before writing the file anew: compared against the record the file was written with.
      const written = record;
      let keptWith = inOutput ? undefined : readRecordFile(keptRecordPath(file.path));
      if (keptWith) record = keptWith;
      // As diglot last wrote or imported it, it holds nothing to import.
      if (record?.sha256 === sha256(text)) {
        results.push({ file: file.display, changes: [], problems: [] });
        continue;
      }
      memory ??= await openMemory();
      if (!record) {
        if (!reconstructed) {
          const project = await loadProject(config, options.log);
          reconstructed = reconstructRecords(project.articles, memory, config.targetLang);
        }
        record = reconstructed.get(name);
      }
      const parsed = parseReview(text, file.display);
      // Once the article's German changed since, such a copy is compared as a mailed one: pairs whose German
      // is gone are said, not imported.
      if (keptWith && written && olderVersion(parsed, written)) {
        record = written;
        keptWith = undefined;
      }
      if (!record) {
        const problems =
          parsed.problems.length > 0
            ? parsed.problems
            : [
                {
                  file: file.display,
                  line: 1,
                  rule: 'review',
                  severity: 'error' as const,
                  message: `diglot has no record of writing ${name}, and sources/ has no article it belongs to`,
                },
              ];
        results.push({ file: file.display, changes: [], problems });
        continue;
      }
      const known = memory;
      const lookup = (source: string): MemoryEntry | undefined => known.lookup(source, config.targetLang);
      // A file in place holding a pair whose German has changed since it was written is an older
      // version saved over the new one (an editor's stale buffer): compared as a copy sent back is.
      // The article's own review file, or a copy of it (sent back by mail, saved beside it or anywhere).
      const own = inOutput && path.basename(file.path) === name;
      const stale = own && olderVersion(parsed, record);
      const asCopy = keptWith === undefined && (!own || stale);
      const { changes, problems, earlier } = compareReview(parsed, record, lookup, options.overwrite === true, asCopy);
      if (stale && problems.length === 0 && earlier.length > 0) {
        // The next build writes the file anew: what it held for a German gone is kept in a copy.
        const [copy] = (await keepOverwritten(config, [path.join(config.output, name)], now())).values();
        earlier.push({
          file: file.display,
          line: 1,
          rule: 'review',
          severity: 'warning',
          message: `this file was written before the article's German changed; it is kept as ${copy} before the next build writes it anew`,
        });
      }
      if (problems.length > 0) {
        results.push({ file: file.display, changes: [], problems, ...(changes.length > 0 ? { held: changes } : {}) });
        continue;
      }
      const time = now();
      // The reviewer's name is looked up only when a finding is newly accepted.
      if (by === undefined && changes.some(acceptsAnew)) by = options.by ?? reviewerName(config.root) ?? '';
      memory.append(changes.map((c) => reviewedEntry(c, config.targetLang, time, by || undefined)));
      results.push({ file: file.display, changes, problems: [], ...(earlier.length > 0 ? { earlier } : {}) });
      if (own) {
        // The file in output/ now holds nothing the memory lacks: record it as imported.
        const pairs = new Map(parsed.pairs.map((p) => [p.id, p]));
        const taken = new Set(changes.filter((c) => c.kind === 'edited' || c.kind === 'translated').map((c) => c.segment.id));
        const imported: FileRecord = {
          sha256: sha256(text),
          ...(record.title ? { title: record.title } : {}),
          segments: record.segments.map((s) => {
            const pair = pairs.get(s.id);
            if (!pair) return s;
            const english = pair.english.join('\n');
            const { ok: _, ...rest } = s;
            // The status as the file now shows it (a pair marked reviewed stays so, not a status set by hand).
            const word = statusWord(pair.status);
            return {
              ...rest,
              en: english.trim() === '' ? null : blockHash(english),
              approved: pair.approved,
              ...(s.label !== undefined && knownStatus(word) ? { label: word } : {}),
              ...(pair.ok.length > 0 ? { ok: pair.ok } : {}),
              ...(taken.has(s.id) ? { imported: true } : {}),
            };
          }),
        };
        await writeAtomic(recordPath(outDir, name), renderRecord(imported));
      }
    }
    return results;
  } finally {
    release();
  }
}

/** Whether a change accepts a rule not accepted before (all its rules, for new English). */
function acceptsAnew(change: ReviewChange): boolean {
  const earlier = change.kind === 'edited' || change.kind === 'translated' ? [] : (change.before?.accepted ?? []);
  return change.accepted.some((rule) => !earlier.some((a) => a.rule === rule));
}
