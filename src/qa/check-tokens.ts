// Protected tokens (macros, shortcodes, placeholders) must come back byte for byte: each one the German
// holds appears in the English as often, unchanged.
import type { Finding } from '../model.js';
import { finding, type CheckInput } from './check-context.js';

/** One finding per protected token the English lacks (or holds fewer times than the German). */
export function checkTokens(input: CheckInput): Finding[] {
  const tokens = input.segment.protected ?? [];
  const wanted = new Map<string, number>();
  for (const token of tokens) wanted.set(token, (wanted.get(token) ?? 0) + 1);
  const findings: Finding[] = [];
  for (const [token, count] of wanted) {
    const found = input.target.split(token).length - 1;
    if (found < count)
      findings.push(
        finding(
          input,
          'protected',
          `the protected token ${token} is ${found === 0 ? 'missing or changed' : `there ${found} of ${count} times`} in the English`,
          {
            expected: token,
          },
        ),
      );
  }
  return findings;
}
