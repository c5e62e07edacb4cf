/**
 * An integer with thousands separators, as `n.toLocaleString('en-US')` writes it (1,234,567),
 * without ICU: the first `toLocaleString` call of a process loads ICU's number formats, about
 * 14 ms, which a build otherwise pays while its first answers from DeepL wait to be handled.
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = digits.slice(0, digits.length % 3 || 3);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}

/** A count and its noun, singular for one: `counted(1, 'entry', 'entries')` is "1 entry", with {@link formatCount}'s separators. */
export function counted(n: number, noun: string, many = `${noun}s`): string {
  return `${formatCount(n)} ${n === 1 ? noun : many}`;
}

/** A count of things at lines of a file: `atLines([12, 30], 'edit')` is "2 edits (lines 12, 30)", one "1 edit (line 12)". */
export function atLines(lines: readonly number[], noun: string, many = `${noun}s`): string {
  // Several at one line (every pair of an emptied file is missed at line 1): the line is said once.
  const at = [...new Set(lines)];
  return `${counted(lines.length, noun, many)} (line${at.length === 1 ? '' : 's'} ${at.join(', ')})`;
}
