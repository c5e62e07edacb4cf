import type { CleanupRule } from '../segment/cleanup-rule.js';

/** Layout of the bilingual EPUB. */
export type Layout = 'interleaved' | 'facing';

/** The validated project configuration (`diglot.config.json`). Paths are relative to the root. */
export interface Config {
  /** Absolute project root. */
  root: string;
  title: string;
  subtitle: string;
  /** The books' authors or editors (`author` in the config: one name or a list), as e-readers list them; empty when not set. */
  authors: string[];
  /** The books' publisher (`publisher` in the config). */
  publisher?: string;
  /**
   * The edition's own identifier (`identifier` in the config, a `urn:uuid:…` that `diglot init`
   * makes): its books' identifiers derive from it. Absent: from the title and language.
   */
  identifier?: string;
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
  /** DeepL's own controls, sent with every request (`deepl` in the config; empty when absent). */
  deepl: DeepLSettings;
  /** Split the edition into several book pairs (`volumes` in the config); absent: one book pair. */
  volumes?: VolumesSetting;
}

/** How the config's `volumes` splits an edition: so many articles a volume, or one volume a month or a year. */
export type VolumesSetting = { articles: number } | { by: 'month' | 'year' };

/** DeepL's formality values (deepl-node's `Formality`). */
export const FORMALITIES = ['default', 'more', 'less', 'prefer_more', 'prefer_less'] as const;
/** DeepL's model types (deepl-node's `ModelType`). */
export const MODEL_TYPES = ['quality_optimized', 'prefer_quality_optimized', 'latency_optimized'] as const;
/** DeepL's tag handling versions (deepl-node's `TagHandlingVersion`). */
export const TAG_HANDLING_VERSIONS = ['v1', 'v2'] as const;
/** The categories of a style rule's configured rules, as DeepL's API names them. */
export const STYLE_RULE_CATEGORIES = [
  'dates_and_times',
  'formatting',
  'numbers',
  'punctuation',
  'spelling_and_grammar',
  'style_and_tone',
  'vocabulary',
] as const;

/**
 * The translation settings of the config's `deepl` key: what every request to DeepL carries, and
 * (hashed with the glossary) what each machine translation in the memory records as `settings`.
 * A key left out is not sent: DeepL's default applies.
 */
export interface DeepLSettings {
  formality?: (typeof FORMALITIES)[number];
  modelType?: (typeof MODEL_TYPES)[number];
  /** Up to 10 instructions of at most 300 characters each ("Use American spelling"). */
  customInstructions?: string[];
  /** A style rule kept on DeepL under a name hashed from this content, created or updated as it changes. */
  styleRule?: StyleRuleSettings;
  tagHandlingVersion?: (typeof TAG_HANDLING_VERSIONS)[number];
}

/** A style rule's content: configured rules by category (DeepL's names), and its own custom instructions. */
export interface StyleRuleSettings {
  /** E.g. `{ "punctuation": { "periods_in_academic_degrees": "do_not_use" } }`. */
  configuredRules: Record<string, Record<string, string>>;
  customInstructions: StyleRuleInstruction[];
}

/** One custom instruction kept in a style rule. */
export interface StyleRuleInstruction {
  label: string;
  prompt: string;
  sourceLanguage?: string;
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
