import { splitSentences } from '../text/sentences.js';

/** DeepL's request limits: at most 50 texts and a request body under 128 KiB. */
export const LIMITS = { maxTexts: 50, maxBodyBytes: 128 * 1024 } as const;
/** Room kept for the request's other parameters (languages, glossary id, tag handling …). */
const PARAMETER_ALLOWANCE = 1024;

/** A text to translate, keyed by its normalised source. */
export interface PendingText {
  key: string;
  /** The text as sent (XML-escaped). */
  xml: string;
}

/**
 * One text of a request: a whole pending text, or part `part` of `parts` of a long one (`xml` is
 * then the part). Whatever else the pending text carries comes along.
 */
export type BatchText<T extends PendingText = PendingText> = T & {
  part: number;
  parts: number;
  /** A part that goes on a word the part before began (one word too long for a request): joined to it without a space. */
  glued?: boolean;
};

/** One request's texts and context. */
export interface Batch<T extends PendingText = PendingText> {
  texts: Array<BatchText<T>>;
  context: string | undefined;
}

/**
 * Bytes a text adds to deepl-node's form-encoded request body (`text=…&`): what
 * `new URLSearchParams({ text }).toString().length + 1` gives, counted without building the
 * string. Letters, digits, `*-._` and the space (`+`) take one byte; every other UTF-8 byte is
 * percent-encoded in three (a lone surrogate is sent as U+FFFD).
 */
export function encodedLength(text: string): number {
  let n = 'text=&'.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x2a ||
      c === 0x2d ||
      c === 0x2e ||
      c === 0x5f ||
      c === 0x20
    )
      n += 1;
    else if (c < 0x80) n += 3;
    else if (c < 0x800) n += 6;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 12; // a surrogate pair: four UTF-8 bytes
      i++;
    } else n += 9; // three UTF-8 bytes, also U+FFFD for a lone surrogate
  }
  return n;
}

/**
 * Packs one article's pending texts into as few requests as the limits allow, in order: each
 * request holds at most 50 texts and stays under 128 KiB with its context. A text too long for
 * one request is split at sentence boundaries (then, for a single giant sentence, between words
 * outside its elements; a single giant word between characters) and its parts travel in order, to
 * be joined again by the caller (with a space, or none before a `glued` part).
 */
export function planBatches<T extends PendingText>(pending: readonly T[], context: string | undefined, limits = LIMITS): Array<Batch<T>> {
  const budget = limits.maxBodyBytes - PARAMETER_ALLOWANCE - (context ? encodedLength(context) : 0);
  if (budget < 1024) return planBatches(pending, undefined, limits);
  const batches: Array<Batch<T>> = [];
  let current: Array<BatchText<T>> = [];
  let used = 0;
  const flush = (): void => {
    if (current.length > 0) batches.push({ texts: current, context });
    current = [];
    used = 0;
  };
  for (const item of pending) {
    const pieces = encodedLength(item.xml) <= budget ? [{ xml: item.xml, glued: false }] : splitToFit(item.xml, budget);
    pieces.forEach(({ xml, glued }, part) => {
      const size = encodedLength(xml);
      if (current.length >= limits.maxTexts || used + size > budget) flush();
      current.push({ ...item, part, parts: pieces.length, xml, ...(glued ? { glued } : {}) });
      used += size;
    });
  }
  flush();
  return batches;
}

/**
 * Splits a text into pieces that each fit the budget: at sentence boundaries where it can, else
 * between words outside its inline elements (a sentence of 3,000 links), else, for one word longer
 * than a request (a long base64 string), between its characters. No piece ends inside a tag or an
 * entity: DeepL refuses a request whose XML does not parse.
 */
function splitToFit(text: string, budget: number): Array<{ xml: string; glued: boolean }> {
  const pieces: Array<{ xml: string; glued: boolean }> = [];
  let current: string[] = [];
  let glued = false;
  let size = encodedLength('');
  // Each unit, and whether it continues the one before within a word.
  const units = keepElementsWhole(splitSentences(text)).flatMap((sentence) =>
    encodedLength(sentence) <= budget
      ? [{ unit: sentence, within: false }]
      : wordsOutsideElements(sentence).flatMap((word) =>
          encodedLength(word) <= budget
            ? [{ unit: word, within: false }]
            : charactersToFit(word, budget).map((unit, i) => ({ unit, within: i > 0 })),
        ),
  );
  for (const { unit, within } of units) {
    // Form encoding is per character, so sizes add up: no need to re-encode the whole piece.
    const unitSize = encodedLength(unit) - encodedLength('');
    if (current.length > 0 && size + unitSize > budget) {
      pieces.push({ xml: current.join(''), glued });
      current = [];
      size = encodedLength('');
      glued = within;
    }
    current.push(unit);
    size += unitSize;
  }
  if (current.length > 0) pieces.push({ xml: current.join(''), glued });
  return pieces.map((p) => ({ ...p, xml: p.xml.trim() })).filter((p) => p.xml !== '');
}

/** A sentence's words, each with the white space after it, broken only outside tags and the elements they open. */
function wordsOutsideElements(sentence: string): string[] {
  const words: string[] = [];
  let start = 0;
  let open = 0;
  for (const m of sentence.matchAll(/<(\/?)[a-z]+[^>]*?(\/?)>|\s+/g)) {
    if (m[0].startsWith('<')) {
      if (m[2] !== '/') open += m[1] === '/' ? -1 : 1;
    } else if (open === 0) {
      const end = m.index + m[0].length;
      words.push(sentence.slice(start, end));
      start = end;
    }
  }
  if (start < sentence.length) words.push(sentence.slice(start));
  return words;
}

/** A word too long for one request, cut into pieces that fit, never inside a tag, an entity or a character. */
function charactersToFit(word: string, budget: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  let size = encodedLength('');
  for (const [token] of word.matchAll(/<[^>]*>|&[a-z0-9#]+;|[\s\S]/giu)) {
    const tokenSize = encodedLength(token) - encodedLength('');
    if (piece !== '' && size + tokenSize > budget) {
      pieces.push(piece);
      piece = '';
      size = encodedLength('');
    }
    piece += token;
    size += tokenSize;
  }
  return piece === '' ? pieces : [...pieces, piece];
}

/** Re-joins sentence pieces so that no piece ends inside an inline element (`<em>…</em>`). */
function keepElementsWhole(pieces: readonly string[]): string[] {
  const out: string[] = [];
  let open = 0;
  for (const piece of pieces) {
    if (open > 0 && out.length > 0) out[out.length - 1] += piece;
    else out.push(piece);
    for (const m of piece.matchAll(/<(\/?)[a-z]+[^>]*?(\/?)>/g)) {
      if (m[2] === '/') continue;
      open += m[1] === '/' ? -1 : 1;
    }
  }
  return out;
}
