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
  return split(text, 'de', endsSentence);
}

/** The segmenter's sentences of `text`, each wrong split (where `ends` says no) joined to the piece before. */
function split(text: string, locale: string, ends: (previous: string, next: string) => boolean): string[] {
  const segmenter = new Intl.Segmenter(locale, { granularity: 'sentence' });
  const pieces: string[] = [];
  const segments = windows(text).flatMap((window) => [...segmenter.segment(window)].map((s) => s.segment));
  for (const segment of segments) {
    const previous = pieces[pieces.length - 1];
    if (previous !== undefined && !ends(previous, segment)) pieces[pieces.length - 1] = previous + segment;
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

/** English abbreviations that never end a sentence: titles before a name, "e.g.". */
const EN_BEFORE = new Set(
  'Mr. Mrs. Ms. Mx. Messrs. Dr. Prof. Rev. Hon. Gen. Col. Lt. Capt. Cmdr. Sgt. Cpl. Adm. Maj. Sen. Rep. Gov. Pres. Amb. Supt. Insp. Det. St. Mt. Ft. vs. v. e.g. i.e. cf. viz. approx. ca.'.split(
    ' ',
  ),
);
/** English abbreviations before a number ("No. 5", "p. 12"): they end no sentence when a figure follows. */
const EN_BEFORE_NUMBER = new Set(
  'No. Nos. no. nos. Fig. Figs. fig. figs. Vol. Vols. vol. vols. p. pp. Ch. ch. Sec. sec. Art. art. Para. para.'.split(' '),
);
/** English abbreviations that may also end a sentence ("… in the U.S. It …"); the months. */
const EN_MAY_END = new Set(
  'U.S. U.K. U.N. E.U. etc. al. Inc. Ltd. Co. Corp. Bros. Jr. Sr. Jan. Feb. Mar. Apr. Jun. Jul. Aug. Sep. Sept. Oct. Nov. Dec. Mon. Tue. Tues. Wed. Thu. Thurs. Fri. Sat.'.split(
    ' ',
  ),
);
/** Words that open an English sentence, not a name: after "U.S." or an initial they mark a new sentence. */
const EN_OPENERS = new Set(
  "The A An It It's It’s Its He She They We I You This That These Those There Then But And Or So Yet In On At For After Before When While If As His Her Their Our My Your Some Many Most Such What Why How Who Where However Meanwhile Still Also Now".split(
    ' ',
  ),
);

/**
 * Splits English text into sentences with `Intl.Segmenter`, then re-joins the splits it makes
 * wrongly after abbreviations ("Dr.", "St.", "U.S.", "e.g.", "Sept."), initials ("J. R. R.
 * Tolkien") and before a lowercase word. An abbreviation that may end a sentence ("U.S.",
 * "etc.", an initial) stays joined unless a sentence opener ("The", "It", "But") follows. Joining
 * the pieces gives the text back exactly.
 */
export function splitEnglishSentences(text: string): string[] {
  return split(text, 'en', endsEnglishSentence);
}

function endsEnglishSentence(previous: string, next: string): boolean {
  const following = next.trimStart();
  if (/^["“‘'([]*\p{Ll}/u.test(following)) return false;
  const lastWord = (previous.trimEnd().split(/\s+/).pop() ?? '').replace(/^["“‘'([]+/u, '');
  if (EN_BEFORE.has(lastWord)) return false;
  if (EN_BEFORE_NUMBER.has(lastWord) && /^\d/.test(following)) return false;
  const mayEnd = EN_MAY_END.has(lastWord) || /^\p{Lu}\.$/u.test(lastWord) || /^(?:\p{L}\.){2,}$/u.test(lastWord);
  if (!mayEnd) return true;
  const nextWord = (following.split(/\s+/)[0] ?? '').replace(/^["“‘'([]+/u, '').replace(/[,;:]$/, '');
  return EN_OPENERS.has(nextWord);
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
