/**
 * Splits a raw multi-line span into the text a translator sees and the container prefixes of its
 * continuation lines (`> `, list indentation), so that `joinLines` can rebuild the span exactly.
 */
export function splitLines(raw: string, prefixPattern: RegExp): { text: string; prefixes: string[] } {
  const lines = raw.split('\n');
  const prefixes: string[] = [];
  const out = [lines[0] ?? ''];
  for (const line of lines.slice(1)) {
    const prefix = prefixPattern.exec(line)?.[0] ?? '';
    prefixes.push(prefix);
    out.push(line.slice(prefix.length));
  }
  return { text: out.join('\n'), prefixes };
}

/** Rebuilds a raw span from text and continuation prefixes; extra lines reuse the last prefix. */
export function joinLines(text: string, prefixes: readonly string[]): string {
  const lines = text.split('\n');
  const fallback = prefixes[prefixes.length - 1] ?? '';
  return lines.map((line, i) => (i === 0 ? line : (prefixes[i - 1] ?? fallback) + line)).join('\n');
}
