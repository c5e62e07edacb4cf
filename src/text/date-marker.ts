// The date marker of a raw `.txt` article (` date 2024-05 ` at its start): read as metadata by
// the sources, skipped by the segmenter.
const DATE_MARKER = /^[ \t]*date[ \t]+(\d{4}-\d{2}(?:-\d{2})?)[ \t]+/;

/** A marker meant (`date` then a figure) that is not one: read as text, it would be translated and billed. */
const MEANT = /^[ \t]*date[ \t]+\d/;

/**
 * Whether an article's date is one diglot reads: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, a real month
 * and day (2024-02-30 is none).
 */
export function isArticleDate(date: string): boolean {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(date);
  if (!m) return false;
  const [, year, month, day] = m;
  if (month === undefined) return true;
  if (Number(month) < 1 || Number(month) > 12) return false;
  if (day === undefined) return true;
  const last = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  return Number(day) >= 1 && Number(day) <= last;
}

/** The problem with a text that opens with a date marker diglot cannot read; `undefined` when it has none or a good one. */
export function badDateMarker(text: string): string | undefined {
  const { date } = dateMarker(text);
  if (date !== undefined ? isArticleDate(date) : !MEANT.test(text)) return undefined;
  return 'the date marker is not one diglot reads: write ` date YYYY-MM ` or ` date YYYY-MM-DD ` (a real day) before the text';
}

/** The marker at the start of a text: its date and its length in characters (0 when there is none). */
export function dateMarker(text: string): { date: string | undefined; length: number } {
  const match = DATE_MARKER.exec(text);
  return { date: match?.[1], length: match?.[0].length ?? 0 };
}
