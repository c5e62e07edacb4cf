// Takes apart a memory file that git merged without diglot's driver and left with conflict markers.

/**
 * The three sides of a memory file that git left with conflict markers (merged without the
 * driver): the lines outside the conflict blocks belong to all three; inside a block, the lines
 * before `=======` are ours, after it theirs, and those after `|||||||` (diff3 style) the base's.
 */
export function splitConflicted(text: string): { base: string; ours: string; theirs: string } | undefined {
  const sides = { base: [] as string[], ours: [] as string[], theirs: [] as string[] };
  let state: 'common' | 'ours' | 'base' | 'theirs' = 'common';
  let blocks = 0;
  for (const line of text.split('\n')) {
    if (state === 'common' && line.startsWith('<<<<<<<')) {
      state = 'ours';
      blocks++;
    } else if (state === 'ours' && line.startsWith('|||||||')) state = 'base';
    else if ((state === 'ours' || state === 'base') && line.startsWith('=======')) state = 'theirs';
    else if (state === 'theirs' && line.startsWith('>>>>>>>')) state = 'common';
    else if (state === 'common') for (const side of Object.values(sides)) side.push(line);
    else sides[state].push(line);
  }
  if (blocks === 0 || state !== 'common') return undefined;
  const join = (lines: string[]): string => lines.join('\n').replace(/\n*$/, '\n');
  return { base: join(sides.base), ours: join(sides.ours), theirs: join(sides.theirs) };
}
