// Counts a build's findings as its articles are checked or kept, holding only the first few in
// full: what the build tells of them (its summary, its exit code). The whole list is findings.jsonl.
import type { Finding, FindingsSummary } from '../model.js';

/** How many findings a build's summary holds in full: as many as the command line shows. */
export const FINDINGS_SHOWN = 50;

export class FindingsTally {
  private count = 0;
  private readonly byRule = new Map<string, number>();
  private readonly first: Finding[] = [];

  constructor(private readonly shown = FINDINGS_SHOWN) {}

  /**
   * Adds an article's findings: `rules` holds each one's rule, in order; `findings` gives them in
   * full, asked only while the first few are still wanted.
   */
  add(rules: readonly string[], findings: () => readonly Finding[]): void {
    if (rules.length === 0) return;
    this.count += rules.length;
    for (const rule of rules) this.byRule.set(rule, (this.byRule.get(rule) ?? 0) + 1);
    if (this.first.length < this.shown) this.first.push(...findings().slice(0, this.shown - this.first.length));
  }

  summary(of?: Iterable<string>): FindingsSummary {
    return { count: this.count, byRule: Object.fromEntries(this.byRule), first: [...this.first], ...(of ? { of: [...of] } : {}) };
  }
}

/** The summary of a list of findings (every one held in full). */
export function summarizeFindings(findings: readonly Finding[]): FindingsSummary {
  const tally = new FindingsTally(Number.POSITIVE_INFINITY);
  tally.add(
    findings.map((f) => f.rule),
    () => findings,
  );
  return tally.summary();
}
