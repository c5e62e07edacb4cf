// The short hash a machine translation records as `settings`: what DeepL was asked to do, glossary included.
import type { DeepLSettings, StyleRuleSettings } from '../config/config.js';
import { sha256 } from '../util/hash.js';
import { byCodeUnits } from '../util/by-code-units.js';

/**
 * A short hash of the DeepL settings and the glossary's DeepL entries: the same settings and
 * glossary always give the same hash, whatever the order of keys in the config. Recorded on every
 * entry DeepL makes, so `retranslate --settings-changed` finds the entries made otherwise.
 */
export function settingsHash(settings: DeepLSettings, glossaryEntries: ReadonlyArray<readonly [string, string]>): string {
  return sha256(canonical({ deepl: settings, glossary: glossaryEntries.map(([de, en]) => `${de}\t${en}`) }), 10);
}

/** A style rule's content as one text, for its name on DeepL: the same rules always give the same name. */
export function styleRuleHash(rule: StyleRuleSettings): string {
  return sha256(canonical(rule), 12);
}

/** JSON with object keys sorted, undefined values left out: equal values give equal text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => byCodeUnits(a, b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
