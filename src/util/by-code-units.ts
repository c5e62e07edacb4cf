// The one string order of sorted outputs (memory files, glossary diffs, hashes of settings): by UTF-16
// code units, as `<` compares, the same on every machine (unlike `localeCompare`).

/** Compares two strings by their UTF-16 code units: a comparator for `sort`. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
