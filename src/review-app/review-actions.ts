// What the review app writes: a pair's new English, an approval, a revert, an accepted finding, each stored in the memory
// under the project lock through the entry-building code `review import` uses; and the checks of an edit.
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config/config.js';
import type { MemoryEntry } from '../memory/entry.js';
import { EDITS_INTO_LOST_MEMORY, refuseLostMemory } from '../memory/refuse-lost-memory.js';
import { TranslationMemory } from '../memory/translation-memory.js';
import type { Finding, Segment, SegmentedDocument, Status } from '../model.js';
import { segmentTerms } from '../glossary/match-terms.js';
import { checkArticle } from '../qa/run-checks.js';
import { targetFromBlock } from '../review-file/compare-review.js';
import { findUnimportedEdits } from '../review-file/find-unimported-edits.js';
import { reviewedEntry, unapprovedStatus, type ReviewedChange } from '../review-file/reviewed-entry.js';
import { reviewerName } from '../review-file/reviewer-name.js';
import { reviewEnglish } from '../review-file/review-markdown.js';
import { reviewMarkupLine } from '../review-file/parse-review.js';
import { targetForSegment } from '../segment/target-format.js';
import { needsTranslation } from '../translate/needs-translation.js';
import { COPY_NOT_EDITABLE } from '../translate/copied-english.js';
import { DiglotError, EXIT, InputError } from '../util/errors.js';
import { formatMessage } from '../util/format-message.js';
import type { Logger } from '../util/logger.js';
import { acquireLock } from '../util/project-lock.js';
import { readLastBuild, unchangedOutput } from '../write/last-build.js';
import { sameStamp } from '../write/write-atomic.js';
import { fileStamp, type FileStamp } from '../write/write-atomic.js';
import { entryOf, findPair, germanOf, type ReviewData } from './load-review-data.js';

/**
 * A reviewer's request. `version` is the `updated` time of the memory entry the page showed (`''`
 * for a pair without one): a change is made only while the memory still holds that entry. `german`,
 * where the page gives it, is the German it showed (`germanOf`): a change is made only to that German.
 */
export type ReviewAction = { row: string; version: string; german?: string } & (
  | { kind: 'save'; target: string }
  | { kind: 'approve'; approved: boolean }
  | { kind: 'revert' }
  | { kind: 'accept'; rule: string }
);

/**
 * What became of a request: the memory as read (and written) under the lock, the entry the pair now
 * has, and the memory file's stamp as the lock was released (see `FileStamp`).
 */
export type ActionResult = (
  | { ok: true; memory: TranslationMemory; entry: MemoryEntry | undefined; changed: boolean }
  | { ok: false; status: 400 | 404 | 409 | 423; message: string; memory?: TranslationMemory; entry?: MemoryEntry | undefined }
) & { memoryStamp?: FileStamp | undefined };

/** How long a change waits for a build or an import holding the project lock. */
const LOCK_WAIT_MS = 5000;

/**
 * The English as the memory stores it, from what the reviewer typed: inline Markdown (a `.md`
 * article) as a review file's English block is read, on one line but for its hard line breaks; plain
 * text (`.txt`) on one line; a raw HTML block keeps its lines. A no-break space stays one.
 */
export function storedTarget(typed: string, segment: Pick<Segment, 'kind' | 'markdown'>): string {
  if (segment.kind === 'html' || segment.markdown) return targetFromBlock(typed.split(/\r?\n/), segment);
  return typed.replace(/[ \t\r\n]+/g, ' ').trim();
}

/** The findings of the build's checks on an edited English of one pair (nothing is written). */
export function checkEdit(data: ReviewData, row: string, typed: string): Finding[] | undefined {
  const pair = findPair(data, row);
  if (!pair) return undefined;
  const target = storedTarget(typed, pair.segment);
  if (target === '') return [];
  const article = { ...pair.article, segments: [pair.segment] };
  const t = { segment: pair.segment, target, origin: 'human' as const, status: 'reviewed' as const, billedCharacters: 0 };
  return checkArticle({ article, segments: [t] }, segmentTerms([t], data.matchTerms));
}

/**
 * Applies a reviewer's change to the memory: under the project lock (waiting a few seconds for a
 * build or import that holds it), the memory is read again from disk; the change is refused when
 * the pair's entry is no longer the one the page showed, or when a review file holds an edit of the
 * same German not imported yet (importing it would overwrite this change); otherwise the entry
 * `review import` would write is appended.
 */
export async function applyReviewAction(
  config: Config,
  data: ReviewData,
  action: ReviewAction,
  options: { log: Logger; now?: () => string; by?: string },
): Promise<ActionResult> {
  const pair = findPair(data, action.row);
  if (!pair) return { ok: false, status: 404, message: `no pair ${action.row} in the sources; reload the page` };
  const { segment } = pair;
  if (action.german !== undefined && action.german !== germanOf(segment))
    return {
      ok: false,
      status: 404,
      message: `the German of ${action.row} changed since the page showed it; nothing was saved. Reload the page`,
    };
  if (!needsTranslation(segment)) return { ok: false, status: 400, message: `this pair ${COPY_NOT_EDITABLE}` };
  const unsavable = action.kind === 'save' ? whyUnsavable(action.target, segment) : undefined;
  if (unsavable !== undefined) return { ok: false, status: 400, message: unsavable };
  // Only a finding the pair has can be accepted: an acceptance recorded ahead would hide a finding still to come.
  if (action.kind === 'accept') {
    const found = data.article(pair.at).findings.some((f) => f.segmentId === segment.id && f.rule === action.rule);
    const already = entryOf(data, segment.key)?.accepted?.some((a) => a.rule === action.rule);
    if (!found && !already) return { ok: false, status: 400, message: `this pair has no "${action.rule}" finding to accept` };
  }

  const release = await waitForLock(config);
  if (!release)
    return {
      ok: false,
      status: 423,
      message: 'another diglot run (a build or an import) is working on this project; nothing was saved, try again in a moment',
    };
  try {
    const outcome = await changeUnderLock(config, data, action, pair, options);
    return { ...outcome, memoryStamp: fileStamp(path.join(config.root, config.memory)) };
  } finally {
    release();
  }
}

/** The change of {@link applyReviewAction}, made while it holds the project lock. */
async function changeUnderLock(
  config: Config,
  data: ReviewData,
  action: ReviewAction,
  { segment }: { segment: Segment },
  options: { log: Logger; now?: () => string; by?: string },
): Promise<ActionResult> {
  let memory: TranslationMemory;
  try {
    memory = await currentMemory(config, data, options.log);
    // Read again since the page was made, or the one it was made from: an emptied memory is no memory to add to.
    refuseLostMemory(config, memory, EDITS_INTO_LOST_MEMORY);
  } catch (error) {
    // The memory lost (see `refuseLostMemory`): said to the reviewer, nothing saved.
    if (error instanceof InputError) return { ok: false, status: 409, message: `${error.message}. ${error.hint ?? ''}`.trim() };
    throw error;
  }
  const lang = config.targetLang;
  const before = memory.lookupKey(segment.key, lang);
  if ((before?.updated ?? '') !== action.version) {
    const now = before ? `${before.origin}, ${before.status}, ${before.updated}` : 'its translation was removed';
    const after = action.kind === 'save' ? 'your text is kept in the editor' : 'look at it, then try again';
    return {
      ok: false,
      status: 409,
      message:
        `this pair was changed elsewhere since the page showed it (${now}); nothing was saved. ` +
        `Its English now reads as shown; ${after}`,
      memory,
      entry: before,
    };
  }
  const pending = (await unimportedEdits(config, data.project.articles, memory)).get(segment.key);
  if (pending) {
    return {
      ok: false,
      status: 409,
      message: `${pending} holds an edit of this pair that is not in the memory yet; nothing was saved. Run \`diglot review import\` first (or undo that edit), then reload`,
      memory,
      entry: before,
    };
  }
  const change = changeOf(action, before, segment);
  if (typeof change === 'string') return { ok: false, status: 400, message: change, memory, entry: before };
  if (!change) return { ok: true, memory, entry: before, changed: false };
  const by = change.kind === 'accepted' ? (options.by ?? reviewerName(config.root)) : undefined;
  const entry = reviewedEntry(change, lang, (options.now ?? (() => new Date().toISOString()))(), by);
  memory.append([entry]);
  return { ok: true, memory, entry: memory.lookupKey(segment.key, lang), changed: true };
}

/** Why an English typed for a pair cannot be saved; `undefined` when it can. */
function whyUnsavable(typed: string, segment: Segment): string | undefined {
  const target = storedTarget(typed, segment);
  if (target === '') return 'the English is empty; write a translation or cancel the edit';
  // As in a review file: joined into one, the paragraphs would not be what the reviewer wrote.
  if (/\r?\n[ \t]*\r?\n/.test(typed.trim())) return "the English has a blank line; a pair's English is one paragraph";
  // Written into the review file, such a line would end the pair or be taken for an acceptance: the file could not be imported.
  const markup = reviewMarkupLine(reviewEnglish(target, segment));
  return markup === undefined
    ? undefined
    : `the English has a line a review file reads as its own markup ("${markup}"); write it otherwise`;
}

/** The change a request makes to the entry `before`; `undefined` when it changes nothing, a string when it cannot be made. */
function changeOf(action: ReviewAction, before: MemoryEntry | undefined, segment: Segment): ReviewedChange | string | undefined {
  const base = { segment: { source: segment.key, markdown: segment.markdown }, before };
  if (action.kind === 'save') {
    const target = storedTarget(action.target, segment);
    if (before && target === targetForSegment(before, segment) && before.origin === 'human') return undefined;
    return { ...base, kind: before ? 'edited' : 'translated', target, status: 'reviewed' };
  }
  if (!before) return 'this pair has no English yet: write one first';
  if (action.kind === 'accept') {
    const rules = (before.accepted ?? []).map((a) => a.rule);
    if (rules.includes(action.rule)) return undefined;
    return { ...base, kind: 'accepted', target: before.target, status: before.status, accepted: [...rules, action.rule].sort() };
  }
  if (action.kind === 'approve') {
    const status: Status = action.approved ? 'approved' : unapprovedStatus(before);
    if ((before.status === 'approved') === action.approved) return undefined;
    return { ...base, kind: action.approved ? 'approved' : 'unapproved', target: before.target, status };
  }
  const previous = before.history?.[before.history.length - 1];
  if (!previous) return 'this pair has no earlier English to go back to';
  // The earlier English as it was: a machine translation brought back is a machine translation again.
  return {
    ...base,
    kind: 'edited',
    target: targetForSegment({ target: previous.target, markdown: before.markdown }, segment),
    status: previous.status,
    restored: previous,
  };
}

/**
 * The memory as it is on disk now: the one the page was made from while its file is as it was then
 * (the journal only grows, and a compaction writes a new file), else read again.
 */
async function currentMemory(config: Config, data: ReviewData, log: Logger): Promise<TranslationMemory> {
  const file = path.join(config.root, config.memory);
  if (sameStamp(data.memoryStamp, fileStamp(file))) return data.project.memory;
  const { memory, problems } = await TranslationMemory.open(file, config.memory);
  for (const p of problems) log.warn(formatMessage(p));
  return memory;
}

/** Takes the project lock, waiting while another run holds it; `undefined` if it stays taken. */
async function waitForLock(config: Config): Promise<(() => void) | undefined> {
  const file = path.join(config.root, '.diglot.lock');
  for (let waited = 0; ; waited += 100) {
    try {
      return acquireLock(file);
    } catch (error) {
      if (!(error instanceof DiglotError) || error.exitCode !== EXIT.locked) throw error;
      if (waited >= LOCK_WAIT_MS) return undefined;
    }
    await sleep(100);
  }
}

/**
 * The German texts (memory keys) that review files in the output folder hold edits of, not
 * imported yet, each with the file and line: as `build` finds them before it overwrites the files.
 */
async function unimportedEdits(
  config: Config,
  articles: readonly SegmentedDocument[],
  memory: TranslationMemory,
): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  // As a build finds them: a review file as the last build left it holds no edit, and is not read.
  const last = await readLastBuild(config);
  for (const file of await findUnimportedEdits(config, articles, memory, undefined, (f) => unchangedOutput(config, last, f)))
    file.keys.forEach((key, i) => {
      if (!keys.has(key)) keys.set(key, `${file.file}:${file.changed[i]}`);
    });
  return keys;
}
