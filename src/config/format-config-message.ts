// Renders a config problem the way every other problem is printed: `diglot.config.json:9: "output": …`.
import type { ConfigMessage } from './config.js';
import { CONFIG_FILE } from './load-config.js';

/** `diglot.config.json:LINE: "key": message` (no line when unknown; no key for the file as a whole). */
export function formatConfigMessage(m: ConfigMessage): string {
  const where = m.line === undefined ? CONFIG_FILE : `${CONFIG_FILE}:${m.line}`;
  return m.key === CONFIG_FILE ? `${where}: ${m.message}` : `${where}: "${m.key}": ${m.message}`;
}
