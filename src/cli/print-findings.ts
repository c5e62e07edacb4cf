import type { Finding } from '../model.js';
import { counted, formatCount } from '../util/format-count.js';
import { formatMessage } from '../util/format-message.js';

/**
 * Findings as `file:line:column: rule [segment]: message` lines under a count per rule, or
 * `undefined` when there are none.
 */
export function formatFindings(findings: readonly Finding[], limit = 50): string | undefined {
  if (findings.length === 0) return undefined;
  const lines = findings.slice(0, limit).map(formatMessage);
  const more = findings.length > limit ? `\n… and ${formatCount(findings.length - limit)} more (see output/findings.jsonl)` : '';
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.rule, (counts.get(f.rule) ?? 0) + 1);
  return `${counted(findings.length, 'finding')} (${[...counts].map(([rule, n]) => `${rule} ${formatCount(n)}`).join(', ')}):\n${lines.join('\n')}${more}`;
}
