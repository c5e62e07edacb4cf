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
  const segments = windows(text).flatMap((window) => [...segmenter.segment(window)].map((s) => s.segment));
  for (const segment of segments) {
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

const WINDOW = 2000;

/**
 * Cuts a long text into windows of about 2,000 characters, each ending after a full stop and
 * white space, for the segmenter: V8's Intl.Segmenter slows down sharply on long strings (seconds
 * for a 200 KB paragraph), while on short windows it is fast. A cut that falls inside a sentence
 * (after "Dr.") is mended by the same re-joining as the segmenter's own splits.
 */
function windows(text: string): string[] {
  if (text.length <= WINDOW) return [text];
  const out: string[] = [];
  const boundary = /[.!?…]["“”»’)\]]*\s+/gu;
  let start = 0;
  while (text.length - start > WINDOW) {
    boundary.lastIndex = start + WINDOW / 2;
    const m = boundary.exec(text);
    if (!m) break;
    const end = m.index + m[0].length;
    out.push(text.slice(start, end));
    start = end;
  }
  out.push(text.slice(start));
  return out;
}
