import leven, { closestMatch } from 'leven';
import type { Message } from '../model.js';
import { CHECK_RULES } from '../qa/run-checks.js';
import { REVIEW_HEADER } from './review-markdown.js';
import { reviewFileName } from './review-state.js';
import { sourceId } from '../sources/read-sources.js';

/** One pair of a review file as the reviewer left it. Line numbers are 1-based, in the review file. */
export interface ReviewPair {
  id: string;
  /** The status field of the segment comment (`reviewed (human)`, `approved` …). */
  status: string;
  /** True when the reviewer marked the pair approved. */
  approved: boolean;
  /** Line of the `<!-- segment … -->` comment. */
  line: number;
  /** The German quote without its `> ` prefixes, one entry a line. */
  german: string[];
  germanLine: number;
  /** The English block's lines (blank lines around it removed); `[]` when empty or missing. */
  english: string[];
  englishLine: number;
  /** True when the block still holds only the "missing" marker. */
  missing: boolean;
  /** The rules whose findings the reviewer accepts (`<!-- ok: term, number -->` lines), sorted, each once. */
  ok: string[];
  /** The rules of the findings the file shows (`> ⚠ **term**: …` lines). */
  shown: string[];
}

/** A parsed review file: its pairs in order, and what is wrong with its structure (each problem stops the file's import). */
export interface ParsedReview {
  /** The file's name as the messages give it. */
  file: string;
  pairs: ReviewPair[];
  problems: Message[];
  /** The ids of pairs found without their EN marker or closing line (each among the problems): not deleted. */
  broken: string[];
  /** The lines diglot writes above the first pair (title, source, English title, counts), but blank ones: see {@link headLines}. */
  head: HeadLine[];
  /** Its last line's number: where a file cut off ends. */
  lastLine: number;
}

/** A line of a review file's head, with its 1-based line number. */
export interface HeadLine {
  line: number;
  text: string;
}

const SEGMENT = /^<!--\s*segment\s+(\S+)\s*·(.*)-->\s*$/;
const DROPPED = /^<!--\s*dropped\b.*-->\s*$/;

/**
 * The head of a review file: its lines after the header line up to the first pair or dropped
 * line, but blank ones. Diglot writes it anew each time (the title, the source, the English title,
 * the counts).
 */
export function headLines(text: string): HeadLine[] {
  return headOf(reviewLines(text));
}

/** A review file's lines, as they are read: without a byte-order mark, composed (NFC), as the memory keeps text. */
function reviewLines(text: string): string[] {
  return text
    .replace(/^\uFEFF/, '')
    .normalize('NFC')
    .split(/\r\n|\r|\n/);
}

function headOf(lines: readonly string[]): HeadLine[] {
  const head: HeadLine[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (SEGMENT.test(line) || DROPPED.test(line)) break;
    if (line.trim() !== '') head.push({ line: i + 1, text: line });
  }
  return head;
}

const EN = /^<!--\s*EN\s*-->\s*$/;
const END = /^<!--\s*\/segment\s*-->\s*$/;
const MISSING = /^<!--\s*missing\b.*-->\s*$/;
/**
 * The first line of an English that a review file would read as its own markup (a pair's segment,
 * EN or closing line, an acceptance, the missing marker), not as English; `undefined` when none is.
 */
export function reviewMarkupLine(english: string): string | undefined {
  return english
    .split(/\r?\n/)
    .find((line) => [SEGMENT, EN, END, OK, MISSING].some((syntax) => syntax.test(line.trim())))
    ?.trim();
}

/** A finding of the checks as the file shows it, with its rule: `> ⚠ **term**: …`. */
const FINDING = /^>\s*⚠\s*\*\*([\w-]+)\*\*/;
/** The "missing" marker on a line that holds English too, with the spaces that part them. */
const MISSING_WITHIN = /[ \t]*<!--\s*missing\b.*?-->[ \t]*/;
/** A reviewer's acceptance of findings: `<!-- ok: term, number -->`, between the German and the EN marker or in the English block. */
const OK = /^\s*<!--\s*ok\s*:(.*?)-->\s*$/i;
const RULES: ReadonlySet<string> = new Set(CHECK_RULES);

/** The words a segment line's status may be: those diglot writes, and `approved` (or `approve`) to approve the pair. */
const STATUSES = ['approved', 'approve', 'reviewed', 'machine', 'missing', 'copied'];

/** Whether a status field's word is one diglot writes or reads (see {@link statusWord}). */
export function knownStatus(word: string): boolean {
  return STATUSES.includes(word);
}

/** A status field's word, lower-cased, without the origin in brackets: `Reviewed (human)` → `reviewed`. */
export function statusWord(status: string): string {
  return status
    .trim()
    .replace(/\s*\(.*\)$/, '')
    .toLowerCase();
}

/** A status field that means approved: `approved` (or `approve`), any case, with or without an origin in brackets. */
export function isApproved(status: string): boolean {
  const word = statusWord(status);
  return word === 'approved' || word === 'approve';
}

/** The number of the last line that holds anything. */
function lastLineOf(lines: readonly string[]): number {
  let last = lines.length;
  while (last > 1 && (lines[last - 1] ?? '').trim() === '') last--;
  return last;
}

/**
 * Reads a review file back: every pair's id, status, German and English, with the lines they sit
 * on. Anything that does not fit the format diglot writes is a problem with its line: text outside
 * a pair, a pair without its EN marker or closing line, a German quote that is not right under the
 * segment line. Findings (`> ⚠ …`) and fuzzy matches (`> ≈ …`) between German and EN are skipped;
 * so are the listed dropped lines and everything before the first pair (title, source, counts).
 * `<!-- ok: rule, … -->` lines (before the EN marker or in the English block) give the pair's
 * accepted rules; a name that is no check's rule is a problem.
 */
export function parseReview(text: string, file: string): ParsedReview {
  // Composed, a file saved with decomposed letters reads the same.
  const lines = reviewLines(text);
  const pairs: ReviewPair[] = [];
  const problems: Message[] = [];
  const broken: string[] = [];
  if ((lines[0] ?? '').trim() !== REVIEW_HEADER) {
    problems.push({
      file,
      rule: 'review',
      severity: 'error',
      line: 1,
      message: 'not a diglot review file (its first line must be the diglot review header)',
    });
    return { file, pairs, problems, broken: [], head: [], lastLine: lastLineOf(lines) };
  }
  let i = 0;
  const at = (k: number): string => lines[k] ?? '';
  const blank = (k: number): boolean => at(k).trim() === '';
  const problem = (k: number, message: string): void =>
    void problems.push({ file, rule: 'review', severity: 'error', line: k + 1, message });

  // The preamble: header, instructions, title, source and counts, up to the first pair or dropped line.
  while (i < lines.length && !SEGMENT.test(at(i)) && !DROPPED.test(at(i))) i++;

  while (i < lines.length) {
    const line = at(i);
    if (blank(i)) {
      i++;
      continue;
    }
    if (DROPPED.test(line)) {
      // A dropped line: its comment and the struck-through quote under it, for information.
      i++;
      while (i < lines.length && blank(i)) i++;
      while (i < lines.length && at(i).startsWith('>')) i++;
      continue;
    }
    const open = SEGMENT.exec(line);
    if (!open) {
      problem(i, `text outside a pair: "${clip(line)}"; write English only between a pair's EN marker and its /segment line`);
      // Skip to the next pair so one stray line gives one message.
      while (i < lines.length && !SEGMENT.test(at(i)) && !DROPPED.test(at(i))) i++;
      continue;
    }
    const fields = (open[2] ?? '').split('·').map((f) => f.trim());
    const status = fields[fields.length - 1] ?? '';
    const word = statusWord(status);
    // A mistyped "approved" must not pass for no change.
    if (!STATUSES.includes(word)) {
      const near = closestMatch(word, STATUSES);
      const guess = near !== undefined && leven(word, near) <= 2 ? ` (did you mean ${near}?)` : '';
      problem(
        i,
        `segment ${open[1]}: "${clip(status)}" is no status${guess}; ` +
          `write approved to approve the pair, or leave the status as diglot wrote it`,
      );
    }
    const pair: ReviewPair = {
      id: open[1] ?? '',
      status,
      approved: isApproved(status),
      line: i + 1,
      german: [],
      germanLine: 0,
      english: [],
      englishLine: 0,
      missing: false,
      ok: [],
      shown: [],
    };
    const accept = (k: number): void => {
      for (const rule of (OK.exec(at(k))?.[1] ?? '').split(/[\s,;]+/)) {
        const name = rule.toLowerCase();
        if (name === '') continue;
        if (!RULES.has(name))
          problem(k, `segment ${pair.id}: "ok: ${rule}" names no rule of the checks; the rules are ${CHECK_RULES.join(', ')}`);
        else if (!pair.ok.includes(name)) pair.ok.push(name);
      }
    };
    i++;
    while (i < lines.length && blank(i)) i++;
    pair.germanLine = i + 1;
    while (i < lines.length && at(i).startsWith('>')) {
      pair.german.push(at(i).replace(/^> ?/, ''));
      i++;
    }
    if (pair.german.length === 0) problem(pair.line - 1, `segment ${pair.id}: the German quote ("> …") under the segment line is missing`);
    // Findings and fuzzy matches until the EN marker: information only.
    let ok = true;
    while (i < lines.length && !EN.test(at(i))) {
      if (SEGMENT.test(at(i)) || END.test(at(i))) {
        problem(i, `segment ${pair.id} (line ${pair.line}) has no EN marker before this line`);
        ok = false;
        break;
      }
      const finding = FINDING.exec(at(i));
      if (OK.test(at(i))) accept(i);
      else if (finding) pair.shown.push((finding[1] as string).toLowerCase());
      else if (!blank(i) && !/^>\s*[⚠≈]/.test(at(i)) && !/^>\s*$/.test(at(i))) {
        problem(
          i,
          `segment ${pair.id}: text between the German and the EN marker: "${clip(at(i))}"; the German may not change, and the English goes under the EN marker`,
        );
      }
      i++;
    }
    if (!ok) {
      broken.push(pair.id);
      if (END.test(at(i))) i++;
      continue;
    }
    if (i >= lines.length) {
      problem(pair.line - 1, `segment ${pair.id} has no EN marker`);
      broken.push(pair.id);
      break;
    }
    i++;
    const englishStart = i;
    while (i < lines.length && !END.test(at(i)) && !SEGMENT.test(at(i))) i++;
    if (!END.test(at(i))) {
      problem(i < lines.length ? i : pair.line - 1, `segment ${pair.id} (line ${pair.line}) has no closing "<!-- /segment -->" line`);
      broken.push(pair.id);
      continue;
    }
    let block = lines.slice(englishStart, i).map((l, k) => ({ text: l, line: englishStart + k + 1 }));
    // An acceptance written under the EN marker counts as well; it is no part of the English.
    for (const l of block) if (OK.test(l.text)) accept(l.line - 1);
    block = block.filter((l) => !OK.test(l.text));
    const onlyMarker = block.filter((l) => l.text.trim() !== '').every((l) => MISSING.test(l.text.trim()));
    block = block.filter((l) => !MISSING.test(l.text.trim()));
    // English written on the marker's line ("write the English here"): the marker is no part of it.
    block = block.map((l) => ({ ...l, text: l.text.replace(MISSING_WITHIN, '') }));
    while (block.length > 0 && (block[0] as { text: string }).text.trim() === '') block.shift();
    while (block.length > 0 && (block[block.length - 1] as { text: string }).text.trim() === '') block.pop();
    pair.missing = onlyMarker && lines.slice(englishStart, i).some((l) => MISSING.test(l.trim()));
    pair.english = block.map((l) => l.text);
    pair.englishLine = block[0]?.line ?? englishStart + 1;
    const gap = block.find((l) => l.text.trim() === '');
    if (gap) problem(gap.line - 1, `segment ${pair.id}: the English has a blank line; a pair's English is one paragraph`);
    pair.ok.sort();
    pairs.push(pair);
    i++;
  }
  return { file, pairs, problems, broken, head: headOf(lines), lastLine: lastLineOf(lines) };
}

function clip(text: string): string {
  const t = text.trim();
  return t.length > 60 ? `${t.slice(0, 57)}…` : t;
}

/** The review file name of the article whose source a review file's head names (`- Source: \`sources/x.md\``); `undefined` without one. */
export function namedReviewFile(text: string): string | undefined {
  const source = headLines(text)
    .map((l) => /^- Source: `([^`]+)`/.exec(l.text)?.[1])
    .find((s) => s !== undefined);
  return source === undefined ? undefined : reviewFileName(sourceId(source));
}
