// The date marker of a raw `.txt` article (` date 2024-05 ` at its start): read as metadata by
// the sources, skipped by the segmenter.
const DATE_MARKER = /^[ \t]*date[ \t]+(\d{4}-\d{2}(?:-\d{2})?)[ \t]+/;

/** The marker at the start of a text: its date and its length in characters (0 when there is none). */
export function dateMarker(text: string): { date: string | undefined; length: number } {
  const match = DATE_MARKER.exec(text);
  return { date: match?.[1], length: match?.[0].length ?? 0 };
}
