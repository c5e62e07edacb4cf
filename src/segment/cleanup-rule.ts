/** A noise rule for raw `.txt` sources: text it matches at the start or end of a block is dropped. */
export interface CleanupRule {
  id: string;
  pattern: RegExp;
  description: string;
}

/**
 * Where `rule` applies to `block`: the whole block, its start or its end. A match in the middle
 * of a block is ignored: cutting there would merge two halves of a paragraph.
 */
export function matchCleanup(block: string, rules: readonly CleanupRule[]): { rule: CleanupRule; start: number; end: number } | undefined {
  for (const rule of rules) {
    const flags = rule.pattern.flags.includes('g') ? rule.pattern.flags : `${rule.pattern.flags}g`;
    const re = new RegExp(rule.pattern.source, flags);
    for (const match of block.matchAll(re)) {
      const start = match.index;
      const end = start + match[0].length;
      if (end === start) continue;
      if (start === 0 || end === block.length) return { rule, start, end };
    }
  }
  return undefined;
}
