// A copy of a string that shares no memory with a longer one. V8 keeps a substring as a view into
// the string it was cut from, so a short key kept to the end of a build would keep its article's
// whole source text alive; a build of 10,000 articles would hold every source.

/** The same text, as a string of its own (UTF-16 both ways, so even a lone surrogate is kept). */
export function ownCopy(text: string): string {
  return Buffer.from(text, 'utf16le').toString('utf16le');
}
