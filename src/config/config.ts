import type { CleanupRule } from '../segment/cleanup-rule.js';

/** Layout of the bilingual EPUB. */
export type Layout = 'interleaved' | 'facing';

/** The validated project configuration (`diglot.config.json`). Paths are relative to the root. */
export interface Config {
  /** Absolute project root. */
  root: string;
  title: string;
  subtitle: string;
  sourceLang: 'de';
  targetLang: 'en-US' | 'en-GB';
  sources: string;
  glossary: string;
  memory: string;
  output: string;
  layout: Layout;
  concurrency: number;
  cleanup: CleanupRule[];
  /** The site the sources come from: their site-relative links (`/docs/x`) point there in the books. */
  baseUrl?: string;
  /** Tokens never translated (macros, shortcodes, placeholders): preset names or regular expressions. */
  protect: string[];
  /** Whether the text inside raw HTML blocks is translated (the markup kept as written); default true. */
  translateHtml: boolean;
}

/**
 * A problem found while validating the config, by key (the validation sees values, not lines):
 * `loadConfig` turns each into a `Message` at the key's line.
 */
export interface ConfigMessage {
  key: string;
  message: string;
  /** 1-based line of the key in the config file (absent for defaults and for values built without a file). */
  line?: number;
}
