import type { Glossary } from './glossary.js';
import { compileTermMatcher } from './match-terms.js';

/** A candidate term the glossary lacks. */
export interface TermSuggestion {
  term: string;
  kind: 'compound' | 'name';
  count: number;
  /** Where it first occurs: file, line, and the words around it. */
  file: string;
  line: number;
  context: string;
}

const COMPOUND = /(?<![\p{L}\p{N}-])(?:\p{Lu}[\p{L}]*|\p{N}+)(?:-\p{L}[\p{L}]*)+(?![\p{L}\p{N}-])/gu;
const QUOTED_NAME = /[„"»](\p{Lu}[\p{L}-]*(?:\s+\p{Lu}[\p{L}-]*){1,3})[“"«]/gu;
const NAME_SEQUENCE = /(?<=[\p{Ll},;:]\s)(\p{Lu}[\p{Ll}]+(?:-\p{Lu}?[\p{L}]+)?(?:\s+\p{Lu}[\p{Ll}]+){1,2})(?![\p{L}])/gu;
/** Common hyphenated words that are not terminology. */
const COMMON_HEADS = /^(US|EU|Ex|Nicht)-\p{Ll}/u;

/**
 * Candidate terms from the sources that the glossary does not cover: recurring hyphenated
 * compounds ("Ramstein-Gruppe", "NATO-Quint") and multi-word names ("Bukarest Neun"), with their
 * frequency and a context line, most frequent first (quoted names and compounds break ties, as
 * the author marked them as names).
 */
export function suggestTerms(
  glossary: Glossary,
  segments: ReadonlyArray<{ text: string; file: string; line: number }>,
  limit = 30,
): TermSuggestion[] {
  const covered = compileTermMatcher(glossary);
  const found = new Map<string, TermSuggestion & { quoted: boolean }>();
  const add = (
    term: string,
    kind: TermSuggestion['kind'],
    quoted: boolean,
    seg: { text: string; file: string; line: number },
    at: number,
  ): void => {
    if (covered(term).length > 0 || COMMON_HEADS.test(term)) return;
    const existing = found.get(term);
    if (existing) {
      existing.count++;
      existing.quoted ||= quoted;
      return;
    }
    const from = Math.max(0, at - 50);
    const context = `${from > 0 ? '…' : ''}${seg.text
      .slice(from, at + term.length + 50)
      .replace(/\s+/g, ' ')
      .trim()}${at + term.length + 50 < seg.text.length ? '…' : ''}`;
    found.set(term, { term, kind, count: 1, file: seg.file, line: seg.line, context, quoted });
  };
  for (const seg of segments) {
    const quotedAt = new Set<number>();
    for (const m of seg.text.matchAll(QUOTED_NAME)) {
      const term = m[1] ?? '';
      const at = m.index + 1;
      quotedAt.add(at);
      add(term, term.includes('-') && !term.includes(' ') ? 'compound' : 'name', true, seg, at);
    }
    for (const m of seg.text.matchAll(COMPOUND)) {
      if (quotedAt.has(m.index)) continue;
      const quoted = /[„"»]$/.test(seg.text.slice(0, m.index));
      add(m[0], 'compound', quoted, seg, m.index);
    }
    for (const m of seg.text.matchAll(NAME_SEQUENCE)) {
      // "Bidens Niederlage", "Moskaus Zustimmung": a genitive and a noun, not a name.
      if (quotedAt.has(m.index) || /^\p{Lu}\p{Ll}+s\s/u.test(m[1] ?? '')) continue;
      add(m[1] ?? '', 'name', false, seg, m.index);
    }
  }
  return [...found.values()]
    .filter((s) => s.count >= 2 || s.quoted)
    .sort((a, b) => b.count - a.count || Number(b.quoted) - Number(a.quoted) || a.term.localeCompare(b.term, 'de'))
    .slice(0, limit)
    .map(({ quoted: _quoted, ...s }) => s);
}
