/** Abbreviations after which a full stop does not end a German sentence. */
const ABBREVIATIONS = new Set(
  'z. B. d. h. u. a. usw. bzw. ca. Dr. Prof. Nr. St. vgl. evtl. ggf. inkl. etc. Mio. Mrd. Jh. Abs. Art. bspw. sog. Hr. Fr. Okt. Nov. Dez. Jan. Feb. Mär. Apr. Aug. Sept. Sep. ff. S. u. o. z. d. a. v. Chr. gem. i. e. S.'.split(
    ' ',
  ),
);
const MONTHS = /^(Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember|Jahrhunderts?|Jahrestag|Mal)\b/;

/**
 * Splits German text into sentences with `Intl.Segmenter`, then re-joins the splits it makes
 * wrongly after abbreviations ("z. B.", "Dr.") and ordinal numbers ("5. Dezember",
 * "20. Jahrhunderts"). Joining the pieces gives the text back exactly.
 */
export function splitSentences(text: string): string[] {
  const segmenter = new Intl.Segmenter('de', { granularity: 'sentence' });
  const pieces: string[] = [];
  for (const { segment } of segmenter.segment(text)) {
    const previous = pieces[pieces.length - 1];
    if (previous !== undefined && !endsSentence(previous, segment)) pieces[pieces.length - 1] = previous + segment;
    else pieces.push(segment);
  }
  return pieces;
}

function endsSentence(previous: string, next: string): boolean {
  const trimmed = previous.trimEnd();
  const lastWord = trimmed.split(/\s+/).pop() ?? '';
  if (ABBREVIATIONS.has(lastWord)) return false;
  if (/^\d{1,4}\.$/.test(lastWord) && (MONTHS.test(next) || /^\p{Ll}/u.test(next))) return false;
  if (/^\p{Ll}/u.test(next.trimStart())) return false;
  return true;
}
