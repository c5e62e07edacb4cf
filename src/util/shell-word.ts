// A path as a word of a command to paste into a POSIX shell: as it is when it needs no quoting,
// else in single quotes (`'output/x (1).review.md'`).

/** `text` as one shell word. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
