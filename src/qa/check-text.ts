import type { Finding } from '../model.js';
import { normalise } from '../segment/normalise.js';
import { markdownToPlain } from '../segment/target-format.js';
import { finding, type CheckInput } from './check-context.js';

const GERMAN_WORDS = new Set(
  'der die das und ist nicht mit für ein eine einen dass auf von zu den dem des sich auch wird werden wurde sind hat haben als nach bei über oder aber noch schon nur wie wenn sie er es wir ihr ihre sein seine diese dieser dieses beim vom zum zur'.split(
    ' ',
  ),
);
/** Lower-case words of names (Ursula von der Leyen), which a name left as it is may hold. */
const NAME_PARTICLES = new Set(['von', 'vom', 'van', 'der', 'den', 'des', 'del', 'della', 'zu', 'zum', 'zur']);

/**
 * Whether a German text holds a word that is not part of a name: a lower-case word of three or more
 * letters (a verb, an adjective, an article). Names (Kiel, Angela Merkel, NATO, Süddeutsche Zeitung)
 * come back as they are, and are no finding when they do; a glossary term left as it is, the `term` check finds.
 */
function hasCommonWord(text: string): boolean {
  return (text.match(/(?<!\p{L})\p{Ll}\p{L}{2,}/gu) ?? []).some((word) => !NAME_PARTICLES.has(word));
}

/** Characters that may be Markdown: an English without any is its own plain text. */
const MARKUP = /[[\]<>`*_~!\\&]/;

const MIN_RATIO = 0.45;
/** Below this many characters of German, the English's length is held only to twice this. */
const SHORT = 60;
const MAX_RATIO = 2.0;

/**
 * The English exists and reads as English: not empty, not the German copied, not still mostly
 * German function words, and of a plausible length (English runs about 0.8–1.1 × the German).
 */
export function checkText(input: CheckInput): Finding[] {
  const source = input.segment.plain;
  const target = input.target.trim();
  if (target === '') return [finding(input, 'empty', 'the English is empty', { actual: '' })];
  if (normalise(target) === input.segment.key && hasCommonWord(source)) {
    return [finding(input, 'untranslated', 'the English is identical to the German', { actual: target })];
  }
  const findings: Finding[] = [];
  const words = target.toLowerCase().match(/\p{L}+/gu) ?? [];
  const german = words.filter((w) => GERMAN_WORDS.has(w)).length;
  if (words.length >= 6 && german / words.length > 0.25) {
    findings.push(
      finding(input, 'untranslated', `the English still reads as German (${german} of ${words.length} words are German function words)`, {
        actual: target,
      }),
    );
  }
  // A short German's English varies too much for a ratio ("Ja." is "Yes, indeed."): it is only held to twice a German of
  // SHORT characters, so that no English runs on unnoticed (a paste of a whole page into one pair).
  const long = source.length >= SHORT;
  if (long || target.length > MAX_RATIO * SHORT) {
    // Measured as a reader sees both: the German's plain text against the English's, not its Markdown (link targets, markup).
    const shown = input.segment.markdown && MARKUP.test(target) ? markdownToPlain(target) : target;
    const ratio = shown.length / source.length;
    if ((long && ratio < MIN_RATIO) || shown.length > MAX_RATIO * Math.max(source.length, SHORT)) {
      const expected = long ? `${MIN_RATIO}–${MAX_RATIO}` : `at most ${MAX_RATIO * SHORT} characters for a German this short`;
      findings.push(
        finding(input, 'length', `the English is ${ratio.toFixed(2)} × the length of the German; expected ${expected}`, {
          actual: String(shown.length),
          expected: long
            ? `${Math.round(source.length * MIN_RATIO)}–${Math.round(source.length * MAX_RATIO)} characters`
            : `at most ${MAX_RATIO * SHORT} characters`,
          severity: 'warning',
        }),
      );
    }
  }
  return findings;
}
