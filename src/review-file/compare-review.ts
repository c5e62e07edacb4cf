import path from 'node:path';
import type { MemoryEntry } from '../memory/entry.js';
import type { Message, Status } from '../model.js';
import { decodeString } from 'micromark-util-decode-string';
import { rowStatus } from './review-markdown.js';
import { knownStatus, statusWord, type ParsedReview, type ReviewPair } from './parse-review.js';
import { blockHash, targetHash, type FileRecord, type SegmentRecord } from './review-state.js';
import { unapprovedStatus } from './reviewed-entry.js';
import { COPY_NOT_EDITABLE } from '../translate/copied-english.js';
import { markdownToPlain } from '../segment/target-format.js';
import { normalise } from '../segment/normalise.js';
import { segmentIdBase } from '../segment/segment-id.js';

/** A pair whose English or approval the reviewer changed, and what the memory gets. */
export interface ReviewChange {
  pair: ReviewPair;
  segment: SegmentRecord;
  /**
   * edited: new English for a translation; translated: English where there was none;
   * approved/unapproved: status (and maybe accepted findings) only; reviewed: a machine's English
   * marked reviewed as it stands; accepted: accepted findings only.
   */
  kind: 'edited' | 'translated' | 'approved' | 'unapproved' | 'reviewed' | 'accepted';
  /** The English to store (inline Markdown for `.md` sources, plain text for `.txt`). */
  target: string;
  status: Status;
  /** The memory's entry before the change. */
  before: MemoryEntry | undefined;
  /**
   * The rules whose findings stand accepted for `target` after the change (`<!-- ok: … -->`). For new
   * English only those the reviewer added with it: an acceptance of the old English does not carry over.
   */
  accepted: string[];
}

/** A pair's English block as its record holds it: its hash, `null` when empty. */
function englishHash(pair: ReviewPair): string | null {
  const english = pair.english.join('\n');
  return english.trim() === '' ? null : blockHash(english);
}

/** Where a change is in its file: the English for new text, the segment line for an approval. */
export function changeLine(c: ReviewChange): number {
  return c.kind === 'edited' || c.kind === 'translated' ? c.pair.englishLine : c.pair.line;
}

/** How far a status word of a review file goes, and how far a memory entry's status does: a copy showing less is older. */
const SHOWN_RANK: Readonly<Record<string, number>> = { machine: 0, reviewed: 1, approved: 2, approve: 2 };
const MEMORY_RANK: Readonly<Record<MemoryEntry['status'], number>> = { draft: 0, reviewed: 1, approved: 2 };

/**
 * Compares a parsed review file with the record of what diglot wrote. The structure must be the
 * one written: the same segment ids in the same order, none added or deleted, every German quote
 * unchanged; otherwise the problems say where, and the file is to be refused whole (its changes
 * are still given, so that what it holds can be named). A pair's English counts
 * as changed when it differs from what was written and from what the memory now holds (so a file
 * imported twice, or one older than the memory, overwrites nothing); its approval and its accepted
 * findings (`<!-- ok: … -->`) likewise. An English edited in the file whose memory entry changed too
 * since the file was written (the review app, another file, a merge, `retranslate`) is a conflict,
 * unless `overwrite` says the file's English wins (the memory's then goes into the entry's history).
 * An English that is one the memory's entry held before (its history) is a copy of the file older
 * than that change, sent back or saved over a newer one, not an edit: the memory's English is kept,
 * and `earlier` says so (unless `overwrite`); so is a copy's status line that shows less than the
 * memory's status (reviewed, approved since). A `copy` (not the file in the output folder) may be
 * older than the article's German too: a pair whose German has changed since is left out, `earlier`
 * saying so, and pairs it lacks or holds in another order are no problem.
 */
export function compareReview(
  parsed: ParsedReview,
  record: FileRecord,
  lookup: (source: string) => MemoryEntry | undefined,
  overwrite = false,
  /** The file is a copy (sent back by mail), not the one in the output folder: it may be older than the article's German. */
  copy = false,
): { changes: ReviewChange[]; problems: Message[]; earlier: Message[] } {
  const { file } = parsed;
  const problems: Message[] = [...parsed.problems];
  const earlier: Message[] = [];
  /** What keeps the file from being imported, at its line. */
  const problem = (line: number, message: string): void => void problems.push({ file, rule: 'review', severity: 'error', line, message });
  /** What the file shows from before a change the memory holds (not imported, said), at its line. */
  const older = (line: number, message: string): void => void earlier.push({ file, rule: 'review', severity: 'warning', line, message });
  const byId = new Map(record.segments.map((s, i) => [s.id, { s, i }]));
  const seen = new Map<string, ReviewPair>();
  /** The pairs whose id and German are as written: their English is checked too, so one run names every problem. */
  const sound = new Set<ReviewPair>();
  let lastIndex = -1;
  for (const pair of parsed.pairs) {
    const known = byId.get(pair.id);
    if (seen.has(pair.id)) {
      problem(pair.line, `segment ${pair.id} appears twice (first at line ${seen.get(pair.id)?.line}); pairs may not be copied or added`);
      continue;
    }
    seen.set(pair.id, pair);
    if (!known && copy) {
      // A copy written before the German of this pair changed in the source: its English is for a German gone.
      older(
        pair.line,
        `segment ${pair.id} is no longer in the article (its German changed since this copy was written): ` +
          'its English here is not imported; the review file shows the earlier translation beside the new German',
      );
      continue;
    }
    if (!known) {
      problem(
        pair.line,
        `segment ${pair.id} is not one diglot wrote in this file; segment ids may not be edited and pairs may not be added`,
      );
      continue;
    }
    if (known.i < lastIndex && !copy) problem(pair.line, `segment ${pair.id} is out of order; pairs may not be moved`);
    lastIndex = Math.max(lastIndex, known.i);
    if (blockHash(pair.german.join('\n')) !== known.s.de) {
      problem(
        pair.germanLine,
        `the German of segment ${pair.id} was edited; only the English may change (it was: "${clip(known.s.source)}")`,
      );
      // Its English edited too is an edit held, named with the file's other lines, never dropped unsaid.
      if (englishHash(pair) !== known.s.en)
        problem(pair.englishLine, `the English of segment ${pair.id} was edited too: it is imported once its German is as diglot wrote it`);
    } else sound.add(pair);
  }
  record.segments.forEach((s, i) => {
    // (A copy older than the article lacks the pairs its German has gained since; a pair without its markers is said so.)
    if (seen.has(s.id) || copy || parsed.broken.includes(s.id)) return;
    const next = record.segments.slice(i + 1).find((n) => seen.has(n.id));
    if (next)
      problem(
        (seen.get(next.id) as ReviewPair).line,
        `segment ${s.id} ("${clip(s.source)}") was deleted before this line; pairs may not be deleted`,
      );
    // None after it: the file ends before it, where it was cut off (an editor that crashed saving, a copy cut short) or the pair deleted.
    else
      problem(
        parsed.lastLine,
        `segment ${s.id} ("${clip(s.source)}") is missing after the file's last line: ` +
          'the file ends early (cut off?), or the pair was deleted; pairs may not be deleted',
      );
  });
  const changes: ReviewChange[] = [];
  const byKey = new Map<string, ReviewChange>();
  for (const pair of parsed.pairs) {
    if (!sound.has(pair)) continue;
    const segment = (byId.get(pair.id) as { s: SegmentRecord }).s;
    const enHash = englishHash(pair);
    if (enHash === null && segment.en !== null) {
      problem(pair.englishLine, `the English of segment ${pair.id} is empty; write a translation or undo the deletion`);
      continue;
    }
    const before = lookup(segment.source);
    const written = segment.ok ?? [];
    const edited = enHash !== segment.en;
    const inMemory = before ? targetHash(before.target, segment) : null;
    if (segment.copy) {
      if (edited) problem(pair.englishLine, `segment ${pair.id} ${COPY_NOT_EDITABLE}`);
      continue;
    }
    // An acceptance is of a finding the English shown has (or, written with a new English, of one the reviewer
    // expects of it): one for a finding the pair does not have would hide a finding the checks make later.
    const held = (before?.accepted ?? []).map((a) => a.rule);
    const unfounded = edited ? [] : pair.ok.filter((rule) => !written.includes(rule) && !held.includes(rule) && !pair.shown.includes(rule));
    if (unfounded.length > 0) {
      problem(
        pair.line,
        `segment ${pair.id}: "ok: ${unfounded.join(', ')}" accepts ` +
          `${unfounded.length === 1 ? 'a finding' : 'findings'} the pair does not have ` +
          '(the file shows no such "⚠" line); accept a finding once the checks make it: delete that rule',
      );
      continue;
    }
    let change: ReviewChange | undefined;
    const wasHeld = (): boolean => before?.history?.some((h) => targetHash(h.target, segment) === enHash) === true;
    if (edited && enHash !== null && enHash !== inMemory && !overwrite && before && wasHeld() && !copy && inMemory === segment.en) {
      // The file in place, written with the memory's English, now shows an English the memory held before: a reviewer
      // going back to it, or an older buffer saved over the file. Which, the file cannot tell: nothing is decided unasked.
      problem(
        pair.englishLine,
        `segment ${pair.id} shows an English the memory held before (now: "${clip(before.target)}", ${before.origin}, ` +
          `${before.updated}). To go back to it, import with --overwrite; if the file is an older copy saved over the ` +
          `new one, \`diglot build --force\` writes it anew (keeping a copy in ${path.posix.join(path.dirname(file), '.overwritten')}/)`,
      );
      continue;
    }
    if (edited && enHash !== null && enHash !== inMemory && !overwrite && before && wasHeld()) {
      older(
        pair.englishLine,
        `segment ${pair.id} shows an English the memory replaced since ` +
          `(now: "${clip(before.target)}", ${before.origin}, ${before.updated}): the file is older than that change, ` +
          "so the memory's English is kept. Import with --overwrite to bring the file's back",
      );
      continue;
    }
    if (edited && enHash !== null && enHash !== inMemory) {
      const target = targetFromBlock(pair.english, segment);
      if (target === '') {
        problem(pair.englishLine, `the English of segment ${pair.id} has no text`);
        continue;
      }
      // A copy sent back whose status line shows less than the memory's: a review or approval made since it was written,
      // which the record (rewritten by that import or build) no longer tells.
      const shown = SHOWN_RANK[statusWord(pair.status)];
      if (before && copy && !overwrite && shown !== undefined && shown < MEMORY_RANK[before.status]) {
        problem(
          pair.englishLine,
          `segment ${pair.id}: this copy shows it "${statusWord(pair.status)}", and its English in the memory was ${before.status} since ` +
            `(now: "${clip(before.target)}", ${before.origin}, ${before.updated}); importing would replace that change. ` +
            "Import with --overwrite to keep yours (the memory's English goes into the history)",
        );
        continue;
      }
      if (before && segment.en !== null && inMemory !== segment.en && !overwrite) {
        problem(
          pair.englishLine,
          `segment ${pair.id}: its English in the memory changed since this file was written ` +
            `(now: "${clip(before.target)}", ${before.origin}, ${before.updated}); importing would replace that change. ` +
            "Import with --overwrite to keep yours (the memory's English goes into the history), " +
            'or undo your edit in this file and rebuild',
        );
        continue;
      }
      // What was accepted for the English written no longer holds; what the reviewer added now does.
      const accepted = pair.ok.filter((rule) => !written.includes(rule));
      // Approved only when this edit approves it too: an approval written before was of the English
      // it replaces (the review app withdraws it on an edit likewise).
      change = {
        pair,
        segment,
        kind: before ? 'edited' : 'translated',
        target,
        status: pair.approved && !segment.approved ? 'approved' : 'reviewed',
        before,
        accepted,
      };
    } else if (before) {
      // A copy sent back may be older than a review or an approval made since: its status line shows
      // what the memory held when it was written, not a withdrawal, and the memory's status is kept.
      const shown = pair.approved ? 'approved' : statusWord(pair.status);
      const stored = (before.accepted ?? []).map((a) => a.rule).sort();
      if (copy && SHOWN_RANK[shown] !== undefined && SHOWN_RANK[shown] < MEMORY_RANK[before.status]) {
        // --overwrite withdraws an approval (the one status a reviewer takes back by hand); no other is set back.
        if (!overwrite || before.status !== 'approved') {
          older(
            pair.line,
            `segment ${pair.id} shows the status "${shown}", the memory's is now ${before.status} (${before.origin}, ${before.updated}): ` +
              "the file is older than that change, so the memory's status is kept" +
              (before.status === 'approved' ? '; import with --overwrite to withdraw the approval' : ''),
          );
          continue;
        }
        change = { pair, segment, kind: 'unapproved', target: before.target, status: unapprovedStatus(before), before, accepted: stored };
      } else {
        const approval = pair.approved !== segment.approved && pair.approved !== (before.status === 'approved');
        // A copy sent back may be older than an acceptance made since: a rule the memory holds that it lacks is kept, not
        // withdrawn (as its status is), unless --overwrite.
        const since = copy && !overwrite ? stored.filter((rule) => !pair.ok.includes(rule)) : [];
        const ok = since.length > 0 ? [...pair.ok, ...since] : pair.ok;
        if (since.length > 0)
          older(
            pair.line,
            `segment ${pair.id} shows no "ok: ${since.join(', ')}", which the memory holds: the file is older than that acceptance, ` +
              'so it is kept; import with --overwrite to withdraw it',
          );
        const acceptance = !sameRules(ok, written) && !sameRules(ok, stored);
        // A status word changed to another than approved: `reviewed` marks a machine's English reviewed as it stands; any other is refused.
        const word = statusWord(pair.status);
        // (An unknown word is the parser's to name.)
        // A pair showing the memory's English and status as they are now (a teammate's file, after a pull brought
        // in their import) changes nothing: its status is no status set by hand. Nor does one showing a reviewer's
        // English under the `machine (deepl)` line diglot wrote before their edit (their file, imported but not built
        // since): the line as diglot writes it, with its origin, or any `machine` where the record is made from the
        // memory (`sha256` empty). A bare `machine` over a reviewed pair diglot wrote is a status set by hand.
        const staleMachineLine =
          word === 'machine' && (record.sha256 === '' || /\(.+\)\s*$/.test(pair.status)) && before.origin !== 'deepl';
        const asInMemory = enHash === inMemory && (word === rowStatus(before) || (staleMachineLine && before.status !== 'draft'));
        const relabelled = !pair.approved && knownStatus(word) && segment.label !== undefined && word !== segment.label && !asInMemory;
        const marked = relabelled && word === 'reviewed' && before.status === 'draft';
        // A review mark under an English replaced since (its status with it): said as a stale mark, below.
        const staleMark = relabelled && word === 'reviewed' && segment.label === 'machine' && enHash !== inMemory;
        if (relabelled && !marked && !approval && !staleMark) {
          problem(
            pair.line,
            `segment ${pair.id}: the status "${word}" cannot be set here (diglot wrote "${segment.label}"); ` +
              "write approved to approve the pair, reviewed to mark a machine's English reviewed as it stands, " +
              'or leave the status as diglot wrote it',
          );
          continue;
        }
        // An approval, an acceptance or a review mark vouches for the English the file shows: the memory's now is
        // another (saved in the review app, imported from another file since), which the reviewer has not seen.
        // An approval taken back to `reviewed`: the English is reviewed as it stands (DeepL's too), not a draft again.
        const downToReviewed = approval && !pair.approved && word === 'reviewed';
        if ((acceptance || marked || staleMark || downToReviewed || (approval && pair.approved)) && enHash !== inMemory) {
          const what =
            approval && pair.approved ? 'approves' : marked || staleMark || downToReviewed ? 'marks reviewed' : 'accepts findings of';
          problem(
            pair.line,
            `segment ${pair.id} ${what} an English the memory no longer holds (now: "${clip(before.target)}", ${before.origin}, ` +
              `${before.updated}): it would vouch for an English this file does not show. Run \`diglot build\` to see the ` +
              "memory's English in the file, then approve or accept it there",
          );
          continue;
        }
        if (approval || acceptance || marked)
          change = {
            pair,
            segment,
            kind: approval ? (pair.approved ? 'approved' : 'unapproved') : marked ? 'reviewed' : 'accepted',
            target: before.target,
            status: approval
              ? pair.approved
                ? 'approved'
                : downToReviewed
                  ? 'reviewed'
                  : unapprovedStatus(before)
              : marked
                ? 'reviewed'
                : before.status,
            before,
            accepted: acceptance ? ok : stored,
          };
      }
    }
    if (!change) continue;
    const twin = byKey.get(segment.source);
    if (twin) {
      // Named by what differs: a reviewer who gave both the same English may have set the status of one only.
      const differ = [
        ...(twin.target !== change.target ? ['English'] : []),
        ...(twin.status !== change.status ? [`status (${twin.status} there, ${change.status} here)`] : []),
        ...(!sameRules(twin.accepted, change.accepted) ? ['accepted findings'] : []),
      ];
      if (differ.length > 0)
        problem(
          pair.line,
          `segments ${twin.pair.id} (line ${twin.pair.line}) and ${pair.id} have the same German but were changed differently ` +
            `(their ${differ.join(', ')}); the memory holds one English per German text: make them the same`,
        );
      continue;
    }
    byKey.set(segment.source, change);
    changes.push(change);
  }
  const retitled = changedTitle(parsed, record, lookup);
  if (retitled) problems.push(retitled);
  // A file with any problem is refused whole, each problem named, in the order of its lines.
  // The changes are given all the same: what a refused file holds is named (the build's guard, `review status`, --force).
  return { changes, problems: problems.sort((a, b) => a.line - b.line), earlier };
}

/** How the head gives the English title (see `renderReviewMarkdown`). */
const ENGLISH_TITLE = '- English title: ';

/**
 * The head's English title edited: it is the English of its pair (all of it, or its first sentences),
 * written anew by every build, so an edit there would be lost. Told by the file itself, its head
 * against its title pair as written (a copy older than the memory shows an older title in both), or
 * against the English the memory holds or held for that pair (a copy whose title pair was edited,
 * imported and built since shows the English it replaced in its head).
 */
function changedTitle(parsed: ParsedReview, record: FileRecord, lookup: (source: string) => MemoryEntry | undefined): Message | undefined {
  const line = parsed.head.find((l) => l.text.startsWith(ENGLISH_TITLE));
  const pair = parsed.pairs.find((p) => p.id === record.title);
  const segment = record.segments.find((s) => s.id === record.title);
  // Its pair edited too: the head shows the English it replaced, and the pair's new English gives the title.
  if (!line || !pair || !segment || blockHash(pair.english.join('\n')) !== segment.en) return undefined;
  const fold = (text: string): string => text.replace(/\s+/g, ' ').trim();
  const shown = fold(decodeString(line.text.slice(ENGLISH_TITLE.length)));
  const shows = (english: string): boolean => fold(segment.markdown ? markdownToPlain(english) : english).includes(shown);
  if (shows(targetFromBlock(pair.english, segment))) return undefined;
  const entry = lookup(segment.source);
  if (entry && [entry.target, ...(entry.history ?? []).map((h) => h.target)].some(shows)) return undefined;
  return {
    file: parsed.file,
    rule: 'review',
    severity: 'error',
    line: line.line,
    message:
      `the English title is the English of segment ${pair.id} (line ${pair.englishLine}), written here anew by every build: ` +
      'edit it there, and undo the change on this line',
  };
}

/**
 * The English of a pair as the memory stores it. A heading's `#` marker goes; inline Markdown
 * (a `.md` source) is kept as written, on one line; the text of a `.txt` source is the reviewer's
 * text as written, its Markdown escapes and character references undone (the file shows plain
 * text escaped): `- a`, `# b`, `<good>` and `*c*` stay what they say. A raw HTML block keeps its
 * lines and their indentation (a blank line, which would end the block in the Markdown, is left out).
 */
export function targetFromBlock(lines: readonly string[], segment: Pick<SegmentRecord, 'kind' | 'markdown'>): string {
  if (segment.kind === 'html')
    return lines
      .filter((l) => l.trim() !== '')
      .map((l) => l.trimEnd())
      .join('\n');
  // Inline Markdown is one line but for its hard line breaks: a line ending in a backslash, or in two
  // spaces, keeps its break (as a backslash).
  const hard = (line: string): boolean => /(?:^|[^\\])(?:\\\\)*(?:\\| {2,})$/.test(line);
  const last = lines.length - 1;
  let text = lines
    .map((l, i) => {
      const line = l.trim();
      if (i === last) return line;
      if (!segment.markdown) return `${line}\n`;
      return hard(l) ? `${line.replace(/\\$/, '')}\\\n` : `${line} `;
    })
    .join('');
  if (segment.kind === 'heading') text = text.replace(/^#{1,6}[ \t]+/, '').replace(/[ \t]+#+[ \t]*$/, '');
  if (segment.markdown) return text.trim();
  return decodeString(text).replace(/\s+/g, ' ').trim();
}

/** Whether two sorted lists of rules are the same. */
function sameRules(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((rule, i) => rule === b[i]);
}

function clip(text: string): string {
  return text.length > 50 ? `${text.slice(0, 47)}…` : text;
}

/**
 * Whether a review file is an older version of the one diglot wrote last (an editor's buffer from
 * before the article's German changed, saved over it): it holds pairs the record lacks, each with
 * the id diglot gives its German (an id edited by hand is none). Such a file is compared as a copy.
 */
export function olderVersion(parsed: ParsedReview, record: FileRecord): boolean {
  const written = new Set(record.segments.map((s) => s.id));
  const unknown = parsed.pairs.filter((p) => !written.has(p.id));
  return unknown.length > 0 && unknown.every(idOfGerman);
}

/**
 * Whether a pair's segment id is the one diglot gives its German (a hash of its key, see
 * `createSegmentIds`; a heading's quote shows its `#` marks).
 */
function idOfGerman(pair: ReviewPair): boolean {
  const german = pair.german.join('\n').replace(/^#{1,6} /, '');
  return pair.id.replace(/-\d+$/, '') === segmentIdBase(normalise(german));
}
