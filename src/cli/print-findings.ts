import type { FindingsSummary } from '../model.js';
import { counted, formatCount } from '../util/format-count.js';
import { formatMessage } from '../util/format-message.js';

/**
 * Findings as `file:line:column: rule [segment]: message` lines (those the summary holds in full)
 * under a count per rule, or `undefined` when there are none.
 */
export function formatFindings(findings: FindingsSummary): string | undefined {
  if (findings.count === 0) return undefined;
  const lines = findings.first.map(formatMessage);
  const rest = findings.count - findings.first.length;
  const more = rest > 0 ? `\n… and ${formatCount(rest)} more (see output/findings.jsonl)` : '';
  const counts = Object.entries(findings.byRule).map(([rule, n]) => `${rule} ${formatCount(n)}`);
  return `${counted(findings.count, 'finding')} (${counts.join(', ')}):\n${lines.join('\n')}${more}`;
}
