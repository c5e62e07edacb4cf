// Validates the config's `deepl` key: DeepL's own controls (formality, model, custom instructions,
// style rule, tag handling version), each problem named by its key path.
import {
  type ConfigMessage,
  type DeepLSettings,
  FORMALITIES,
  MODEL_TYPES,
  STYLE_RULE_CATEGORIES,
  type StyleRuleInstruction,
  type StyleRuleSettings,
  TAG_HANDLING_VERSIONS,
} from './config.js';

/** DeepL's limits on custom instructions: 10 per request, 300 characters each. */
export const CUSTOM_INSTRUCTION_LIMITS = { count: 10, characters: 300 } as const;

const KEYS = ['formality', 'modelType', 'customInstructions', 'styleRule', 'tagHandlingVersion'];

/**
 * The `deepl` settings, or `{}` when the key is absent; problems go to `errors` and `warnings`
 * keyed `deepl.<key>` (list items `deepl.customInstructions[i]`), so each message names its line.
 */
export function deeplSettings(raw: unknown, targetLang: string, errors: ConfigMessage[], warnings: ConfigMessage[]): DeepLSettings {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    errors.push({ key: 'deepl', message: `must be an object with any of ${KEYS.map((k) => `"${k}"`).join(', ')}` });
    return {};
  }
  const input = raw as Record<string, unknown>;
  for (const key of Object.keys(input))
    if (!KEYS.includes(key)) warnings.push({ key: `deepl.${key}`, message: `unknown key, ignored (known: ${KEYS.join(', ')})` });
  const settings: DeepLSettings = {};
  const formality = oneOf('deepl.formality', input['formality'], FORMALITIES, errors);
  if (formality !== undefined) {
    settings.formality = formality;
    // DeepL documents formality for a few target languages, English not among them: "more" and "less" may be refused.
    if (targetLang.startsWith('en') && (formality === 'more' || formality === 'less'))
      warnings.push({
        key: 'deepl.formality',
        message: `DeepL may refuse "${formality}" for English (it documents formality for other target languages); "prefer_${formality}" falls back to the default instead`,
      });
  }
  const modelType = oneOf('deepl.modelType', input['modelType'], MODEL_TYPES, errors);
  if (modelType !== undefined) settings.modelType = modelType;
  const instructions = customInstructions(input['customInstructions'], errors);
  if (instructions.length > 0) settings.customInstructions = instructions;
  const styleRule = styleRuleSettings(input['styleRule'], errors, warnings);
  if (styleRule !== undefined) settings.styleRule = styleRule;
  const version = oneOf('deepl.tagHandlingVersion', input['tagHandlingVersion'], TAG_HANDLING_VERSIONS, errors);
  if (version !== undefined) settings.tagHandlingVersion = version;
  return settings;
}

function oneOf<T extends string>(key: string, value: unknown, allowed: readonly T[], errors: ConfigMessage[]): T | undefined {
  if (value === undefined) return undefined;
  if (allowed.includes(value as T)) return value as T;
  errors.push({ key, message: `must be one of ${allowed.map((a) => `"${a}"`).join(', ')} (got ${JSON.stringify(value)})` });
  return undefined;
}

/** Characters as DeepL counts them: code points. */
function characters(text: string): number {
  return [...text].length;
}

/** `deepl.customInstructions`: up to 10 non-empty strings of at most 300 characters. */
function customInstructions(raw: unknown, errors: ConfigMessage[]): string[] {
  if (raw === undefined) return [];
  const { count, characters: max } = CUSTOM_INSTRUCTION_LIMITS;
  if (!Array.isArray(raw)) {
    errors.push({ key: 'deepl.customInstructions', message: `must be a list of up to ${count} instructions (strings)` });
    return [];
  }
  if (raw.length > count)
    errors.push({ key: 'deepl.customInstructions', message: `holds ${raw.length} instructions; DeepL takes at most ${count}` });
  return raw.flatMap((item: unknown, i): string[] => {
    const key = `deepl.customInstructions[${i}]`;
    if (typeof item !== 'string' || item.trim() === '') {
      errors.push({ key, message: 'must be a non-empty string such as "Use American spelling"' });
      return [];
    }
    if (characters(item) > max) {
      errors.push({ key, message: `is ${characters(item)} characters long; DeepL takes at most ${max}` });
      return [];
    }
    return [item];
  });
}

/** `deepl.styleRule`: `configuredRules` by category and/or `customInstructions` of `{ label, prompt }`. */
function styleRuleSettings(raw: unknown, errors: ConfigMessage[], warnings: ConfigMessage[]): StyleRuleSettings | undefined {
  if (raw === undefined) return undefined;
  const key = 'deepl.styleRule';
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    errors.push({ key, message: 'must be an object with "configuredRules" and/or "customInstructions"' });
    return undefined;
  }
  const input = raw as Record<string, unknown>;
  for (const k of Object.keys(input))
    if (k !== 'configuredRules' && k !== 'customInstructions')
      warnings.push({ key: `${key}.${k}`, message: 'unknown key, ignored (known: configuredRules, customInstructions)' });
  const before = errors.length;
  const rules = configuredRules(input['configuredRules'], errors, warnings);
  const instructions = styleRuleInstructions(input['customInstructions'], errors);
  if (errors.length > before) return undefined;
  if (Object.keys(rules).length === 0 && instructions.length === 0) {
    errors.push({ key, message: 'holds no rules: give "configuredRules" or "customInstructions", or leave "styleRule" out' });
    return undefined;
  }
  return { configuredRules: rules, customInstructions: instructions };
}

function configuredRules(raw: unknown, errors: ConfigMessage[], warnings: ConfigMessage[]): Record<string, Record<string, string>> {
  const key = 'deepl.styleRule.configuredRules';
  if (raw === undefined) return {};
  const shape =
    'must be an object of categories, each an object of rule → value strings, e.g. {"punctuation": {"periods_in_academic_degrees": "do_not_use"}}';
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    errors.push({ key, message: shape });
    return {};
  }
  const rules: Record<string, Record<string, string>> = {};
  for (const [category, values] of Object.entries(raw as Record<string, unknown>)) {
    const at = `${key}.${category}`;
    if (!(STYLE_RULE_CATEGORIES as readonly string[]).includes(category))
      warnings.push({ key: at, message: `not a category DeepL documents (${STYLE_RULE_CATEGORIES.join(', ')}); sent as written` });
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      errors.push({ key: at, message: shape });
      continue;
    }
    const entries = Object.entries(values as Record<string, unknown>);
    const bad = entries.find(([, v]) => typeof v !== 'string' || v === '');
    if (bad) {
      errors.push({ key: `${at}.${bad[0]}`, message: `must be a non-empty string (got ${JSON.stringify(bad[1])})` });
      continue;
    }
    rules[category] = Object.fromEntries(entries) as Record<string, string>;
  }
  return rules;
}

function styleRuleInstructions(raw: unknown, errors: ConfigMessage[]): StyleRuleInstruction[] {
  const key = 'deepl.styleRule.customInstructions';
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    errors.push({ key, message: 'must be a list of {"label", "prompt"}' });
    return [];
  }
  const max = CUSTOM_INSTRUCTION_LIMITS.characters;
  return raw.flatMap((item: unknown, i): StyleRuleInstruction[] => {
    const at = `${key}[${i}]`;
    const { label, prompt, sourceLanguage } = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    if (typeof label !== 'string' || label.trim() === '' || typeof prompt !== 'string' || prompt.trim() === '') {
      errors.push({ key: at, message: 'must be {"label": "…", "prompt": "…"} with non-empty strings' });
      return [];
    }
    if (characters(prompt) > max) {
      errors.push({ key: `${at}.prompt`, message: `is ${characters(prompt)} characters long; DeepL takes at most ${max}` });
      return [];
    }
    if (sourceLanguage !== undefined && (typeof sourceLanguage !== 'string' || sourceLanguage === '')) {
      errors.push({ key: `${at}.sourceLanguage`, message: 'must be a language code such as "de"' });
      return [];
    }
    return [{ label, prompt, ...(sourceLanguage !== undefined ? { sourceLanguage } : {}) }];
  });
}
