import { englishPattern } from './english-term.js';
import type { Glossary } from './glossary.js';
import { compileTermMatcher } from './match-terms.js';

/** A term's use in the sources and the translations. */
export interface TermStats {
  german: string;
  english: string;
  /** Occurrences in the German sources. */
  occurrences: number;
  /** Segments containing the term. */
  segments: number;
  /** Of those, segments whose translation uses the English term. */
  compliant: number;
  /** Of those, segments without a translation yet. */
  untranslated: number;
  /** The German forms seen, with counts. */
  forms: Record<string, number>;
}

/**
 * Counts each term in the German segments and checks the translations of those segments.
 * Terms with zero occurrences never occur in the sources.
 */
export function termStats(glossary: Glossary, segments: ReadonlyArray<{ german: string; english: string | undefined }>): TermStats[] {
  const match = compileTermMatcher(glossary);
  const stats = new Map(
    glossary.terms.map((t) => [
      t.german,
      {
        german: t.german,
        english: t.english,
        occurrences: 0,
        segments: 0,
        compliant: 0,
        untranslated: 0,
        forms: {} as Record<string, number>,
      },
    ]),
  );
  for (const { german, english } of segments) {
    const seen = new Set<string>();
    for (const m of match(german)) {
      const s = stats.get(m.term.german);
      if (!s) continue;
      s.occurrences++;
      s.forms[m.found] = (s.forms[m.found] ?? 0) + 1;
      if (seen.has(m.term.german)) continue;
      seen.add(m.term.german);
      s.segments++;
      if (english === undefined) s.untranslated++;
      // As the term check asks: a form with an English of its own ("NATO-Ostflanke" = "NATO's eastern flank") that English.
      else if (englishPattern(m.form.en).test(english)) s.compliant++;
    }
  }
  return [...stats.values()];
}
