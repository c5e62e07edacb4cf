import { realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { closestMatch } from 'leven';
import path from 'node:path';
import { PROTECT_PRESETS } from '../segment/protect-tokens.js';
import type { CleanupRule } from '../segment/cleanup-rule.js';
import type { Config, ConfigMessage, Layout, VolumesSetting } from './config.js';
import { deeplSettings } from './deepl-settings.js';
import { keyPathLines, lineOfKey } from './key-path-lines.js';
import { misnamedPaths } from './misnamed-paths.js';
import { pathOverlaps } from './path-overlaps.js';
import type { Message } from '../model.js';

/** The config file's name at the project root. */
export const CONFIG_FILE = 'diglot.config.json';

/** The config's keys with their defaults: what a missing key means, and what `diglot init` writes. */
export const DEFAULTS = {
  title: 'diglot edition',
  subtitle: 'German–English edition',
  sourceLang: 'de',
  targetLang: 'en-US',
  sources: 'sources',
  glossary: 'glossary/terms.csv',
  memory: 'memory/memory.jsonl',
  output: 'output',
  layout: 'interleaved',
  concurrency: 4,
} as const;

const KNOWN_KEYS = new Set([
  ...Object.keys(DEFAULTS),
  'author',
  'publisher',
  'identifier',
  'cleanup',
  'baseUrl',
  'protect',
  'translateHtml',
  'deepl',
  'volumes',
  '$schema',
]);

/**
 * Loads and validates `diglot.config.json` at `root` (a missing file means all defaults).
 * Never throws on user input: problems come back as errors and warnings, each naming the key
 * (`"output": …`) and, where the file sets it, its line.
 */
export async function loadConfig(root: string): Promise<{ value: Config | undefined; warnings: Message[]; errors: Message[] }> {
  const file = path.join(root, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return asMessages(validateConfig({}, path.resolve(root)), new Map());
    return asMessages(
      { value: undefined, warnings: [], errors: [{ key: CONFIG_FILE, message: `cannot be read: ${(error as Error).message}` }] },
      new Map(),
    );
  }
  // A byte-order mark (some Windows editors save one) is no part of the JSON.
  text = text.replace(/^\uFEFF/, '');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    // Node 20 names the offset ("at position 42"): turn it into the line.
    const position = /at position (\d+)/.exec(message);
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : undefined;
    const slip = position ? jsonSlip(text, Number(position[1])) : undefined;
    return asMessages(
      {
        value: undefined,
        warnings: [],
        errors: [{ key: CONFIG_FILE, message: `cannot be read as JSON: ${message}${slip ? ` (${slip})` : ''}`, ...(line ? { line } : {}) }],
      },
      new Map(),
    );
  }
  const result = validateConfig(raw, path.resolve(root));
  const misnamed = result.value ? misnamedPaths(result.value, result.value.root) : [];
  return asMessages(
    misnamed.length > 0 ? { value: undefined, warnings: result.warnings, errors: [...result.errors, ...misnamed] } : result,
    keyPathLines(text),
  );
}

/**
 * The validation's keyed messages as diglot's messages: `diglot.config.json:LINE: "key": …`, the
 * line that of the key itself (`deepl.customInstructions[2]`), else of the nearest key around it.
 */
function asMessages(
  result: ReturnType<typeof validateConfig>,
  lines: ReadonlyMap<string, number>,
): { value: Config | undefined; warnings: Message[]; errors: Message[] } {
  const message =
    (severity: Message['severity']) =>
    (m: ConfigMessage): Message => ({
      file: CONFIG_FILE,
      line: m.line ?? lineOfKey(lines, m.key) ?? 0,
      rule: 'config',
      severity,
      message: m.key === CONFIG_FILE ? m.message : `"${m.key}": ${m.message}`,
    });
  // In the order of their lines, as a reader goes through the file (the checks run key by key).
  const byLine = (a: Message, b: Message): number => a.line - b.line;
  return {
    value: result.value,
    warnings: result.warnings.map(message('warning')).sort(byLine),
    errors: result.errors.map(message('error')).sort(byLine),
  };
}

/** Validates a parsed config object; see `loadConfig`. */
export function validateConfig(
  raw: unknown,
  root: string,
): { value: Config | undefined; warnings: ConfigMessage[]; errors: ConfigMessage[] } {
  const errors: ConfigMessage[] = [];
  const warnings: ConfigMessage[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { value: undefined, warnings, errors: [{ key: CONFIG_FILE, message: 'must be a JSON object' }] };
  }
  const input = raw as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!KNOWN_KEYS.has(key)) {
      const near = closestMatch(key.toLowerCase(), [...KNOWN_KEYS], { maxDistance: 3 });
      const guess = near !== undefined && near !== '$schema' ? `did you mean "${near}"? ` : '';
      warnings.push({ key, message: `unknown key, ignored (${guess}known: ${[...KNOWN_KEYS].filter((k) => k !== '$schema').join(', ')})` });
    }
  }
  const text = (key: keyof typeof DEFAULTS): string => {
    const value = input[key] ?? DEFAULTS[key];
    if (typeof value !== 'string' || value.trim() === '') {
      errors.push({ key, message: 'must be a non-empty string' });
      return String(DEFAULTS[key]);
    }
    return value;
  };
  const inside = (key: 'sources' | 'glossary' | 'memory' | 'output'): string => {
    const value = text(key);
    // Through the links the folders may take (macOS's /tmp is /private/tmp): the project's own path as written or as it is.
    const [resolved, base] = path.isAbsolute(value) ? [realPath(value), realPath(root)] : [path.resolve(root, value), root];
    const within = resolved === base || resolved.startsWith(base + path.sep);
    // An absolute path would tie the committed config to this machine's folders, even one inside the project.
    if (path.isAbsolute(value) && within) {
      const relative = path.relative(base, resolved) || '.';
      errors.push({
        key,
        message: `must be relative to the project folder, so the config works in every clone (got "${value}"; write "${relative}")`,
      });
      return DEFAULTS[key];
    }
    if (!within || path.isAbsolute(value)) {
      errors.push({ key, message: `must be a path inside the project (got "${value}")` });
      return DEFAULTS[key];
    }
    return path.relative(root, resolved) || '.';
  };
  const oneOf = <T extends string>(key: keyof typeof DEFAULTS, allowed: readonly T[]): T => {
    const value = input[key] ?? DEFAULTS[key];
    if (!allowed.includes(value as T)) {
      errors.push({ key, message: `must be one of ${allowed.map((a) => `"${a}"`).join(', ')} (got ${JSON.stringify(value)})` });
      return DEFAULTS[key] as T;
    }
    return value as T;
  };
  const concurrency = input['concurrency'] ?? DEFAULTS.concurrency;
  if (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) {
    errors.push({ key: 'concurrency', message: 'must be a whole number from 1 to 32' });
  }
  const value: Config = {
    root,
    title: text('title'),
    subtitle: text('subtitle'),
    authors: authors(input['author'], errors),
    ...publisher(input['publisher'], errors),
    ...identifier(input['identifier'], errors),
    sourceLang: oneOf('sourceLang', ['de'] as const),
    targetLang: oneOf('targetLang', ['en-US', 'en-GB'] as const),
    sources: inside('sources'),
    glossary: inside('glossary'),
    memory: inside('memory'),
    output: inside('output'),
    layout: oneOf<Layout>('layout', ['interleaved', 'facing']),
    concurrency:
      typeof concurrency === 'number' && Number.isInteger(concurrency) ? Math.min(32, Math.max(1, concurrency)) : DEFAULTS.concurrency,
    cleanup: cleanupRules(input['cleanup'], errors),
    ...baseUrl(input['baseUrl'], errors),
    protect: protectPatterns(input['protect'], errors, warnings),
    translateHtml: translateHtml(input['translateHtml'], errors),
    deepl: deeplSettings(
      input['deepl'],
      typeof input['targetLang'] === 'string' ? input['targetLang'] : DEFAULTS.targetLang,
      errors,
      warnings,
    ),
    ...volumes(input['volumes'], errors),
  };
  // Overlaps only between paths that are themselves valid (else the message would name a default).
  if (!errors.some((e) => ['sources', 'glossary', 'memory', 'output'].includes(e.key)))
    errors.push(...pathOverlaps(value, new Set(Object.keys(input))));
  return { value: errors.length === 0 ? value : undefined, warnings, errors };
}

/** `protect`: preset names or regular expressions of tokens never to translate (empty: nothing protected). */
function protectPatterns(raw: unknown, errors: ConfigMessage[], warnings: ConfigMessage[]): string[] {
  if (raw === undefined) return [];
  const presets = Object.keys(PROTECT_PRESETS);
  if (!Array.isArray(raw)) {
    errors.push({ key: 'protect', message: `must be a list of preset names (${presets.join(', ')}) or regular expressions` });
    return [];
  }
  return raw.flatMap((item: unknown, i): string[] => {
    const key = `protect[${i}]`;
    if (typeof item !== 'string' || item === '') {
      errors.push({ key, message: `must be a preset name (${presets.join(', ')}) or a regular expression` });
      return [];
    }
    if (item in PROTECT_PRESETS) return [item];
    // A word close to a preset's name ("makros") is more likely that preset misspelt than a pattern of that word.
    const near = /^[a-z]+$/i.test(item) ? closestMatch(item.toLowerCase(), presets, { maxDistance: 2 }) : undefined;
    if (near !== undefined)
      warnings.push({ key, message: `"${item}" is taken as a regular expression (the word itself); did you mean the preset "${near}"?` });
    try {
      if (new RegExp(item, 'u').test('')) {
        errors.push({ key, message: `${JSON.stringify(item)} matches the empty text` });
        return [];
      }
    } catch (error) {
      errors.push({ key, message: `not a valid regular expression: ${(error as Error).message}` });
      return [];
    }
    return [item];
  });
}

/** `author`: the books' author or editor, or a list of them (none when absent). */
function authors(raw: unknown, errors: ConfigMessage[]): string[] {
  if (raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0 || !list.every((name) => typeof name === 'string' && name.trim() !== '')) {
    errors.push({ key: 'author', message: 'must be a name, or a list of names (non-empty strings)' });
    return [];
  }
  return list.map((name: string) => name.trim());
}

/** `identifier`: the edition's identifier, a URN or URL with no white space (absent when not set). */
function identifier(raw: unknown, errors: ConfigMessage[]): { identifier?: string } {
  if (raw === undefined) return {};
  if (typeof raw !== 'string' || !/^\S+:\S+$/.test(raw)) {
    errors.push({ key: 'identifier', message: 'must be a URN or URL without spaces, such as "urn:uuid:…" (`diglot init` makes one)' });
    return {};
  }
  return { identifier: raw };
}

/** `publisher`: the books' publisher (absent when not set). */
function publisher(raw: unknown, errors: ConfigMessage[]): { publisher?: string } {
  if (raw === undefined) return {};
  if (typeof raw !== 'string' || raw.trim() === '') {
    errors.push({ key: 'publisher', message: 'must be a non-empty string' });
    return {};
  }
  return { publisher: raw.trim() };
}

/** `translateHtml`: whether raw HTML blocks are translated (true unless set to false). */
function translateHtml(raw: unknown, errors: ConfigMessage[]): boolean {
  if (raw === undefined) return true;
  if (typeof raw !== 'boolean') {
    errors.push({ key: 'translateHtml', message: `must be true or false (got ${JSON.stringify(raw)})` });
    return true;
  }
  return raw;
}

/** `volumes`: `{ "articles": N }` (N ≥ 1) or `{ "by": "month" | "year" }`; absent: one book pair. */
function volumes(raw: unknown, errors: ConfigMessage[]): { volumes?: VolumesSetting } {
  if (raw === undefined) return {};
  const usage = 'must be {"articles": N} (articles a volume) or {"by": "month"} or {"by": "year"}';
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    errors.push({ key: 'volumes', message: `${usage} (got ${JSON.stringify(raw)})` });
    return {};
  }
  const keys = Object.keys(raw);
  const { articles, by } = raw as Record<string, unknown>;
  if (keys.length !== 1 || (articles === undefined && by === undefined)) {
    errors.push({ key: 'volumes', message: `${usage} (got ${JSON.stringify(raw)})` });
    return {};
  }
  if (articles !== undefined) {
    if (typeof articles !== 'number' || !Number.isInteger(articles) || articles < 1) {
      errors.push({
        key: 'volumes.articles',
        // A number JSON cannot write back (1e400 is read as Infinity) is shown as read, not as `null`.
        message: `must be a whole number of articles a volume, 1 or more (got ${
          typeof articles === 'number' ? String(articles) : JSON.stringify(articles)
        })`,
      });
      return {};
    }
    return { volumes: { articles } };
  }
  if (by !== 'month' && by !== 'year') {
    errors.push({ key: 'volumes.by', message: `must be "month" or "year" (got ${JSON.stringify(by)})` });
    return {};
  }
  return { volumes: { by } };
}

/** `baseUrl`: the site the sources come from, an absolute http(s) URL; site-relative links are made absolute against it. */
function baseUrl(raw: unknown, errors: ConfigMessage[]): { baseUrl?: string } {
  if (raw === undefined) return {};
  const url = typeof raw === 'string' && URL.canParse(raw) ? new URL(raw) : undefined;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    errors.push({ key: 'baseUrl', message: `must be an absolute http(s) URL such as "https://example.org/" (got ${JSON.stringify(raw)})` });
    return {};
  }
  return { baseUrl: url.href };
}

function cleanupRules(raw: unknown, errors: ConfigMessage[]): CleanupRule[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    errors.push({ key: 'cleanup', message: 'must be a list of {"id", "pattern", "description"}' });
    return [];
  }
  const rules: CleanupRule[] = [];
  raw.forEach((item: unknown, i) => {
    const key = `cleanup[${i}]`;
    if (typeof item !== 'object' || item === null) {
      errors.push({ key, message: 'must be an object with "id" and "pattern"' });
      return;
    }
    const { id, pattern, description } = item as Record<string, unknown>;
    if (typeof id !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(id)) {
      errors.push({ key: `${key}.id`, message: 'must be a short lower-case id such as "image-credit"' });
      return;
    }
    if (typeof pattern !== 'string' || pattern === '') {
      errors.push({ key: `${key}.pattern`, message: 'must be a non-empty regular expression' });
      return;
    }
    try {
      const compiled = new RegExp(pattern, 'u');
      // `.*` would drop every paragraph it is tried on (as `protect` refuses such a pattern).
      if (compiled.test('')) {
        errors.push({
          key: `${key}.pattern`,
          message: `${JSON.stringify(pattern)} matches the empty text, so it would match every paragraph`,
        });
        return;
      }
      rules.push({ id, pattern: compiled, description: typeof description === 'string' ? description : id });
    } catch (error) {
      errors.push({ key: `${key}.pattern`, message: `is not a valid regular expression: ${(error as Error).message}` });
    }
  });
  return rules;
}

/** What people write in JSON that JSON has not, where the parser stopped at `at`: a comment, a comma after the last entry. */
function jsonSlip(text: string, at: number): string | undefined {
  const rest = text.slice(at);
  if (/^\s*(?:\/\/|\/\*)/.test(rest)) return 'JSON has no comments: remove the comment';
  if (/^\s*[}\]]/.test(rest) && /,\s*$/.test(text.slice(0, at)))
    return 'a comma after the last entry, which JSON does not allow: remove it';
  return undefined;
}

/** A path with the links of its folders resolved (its own last part too, where it exists). */
function realPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    // Not there (a memory not made yet): its folder's real path, and its name.
    const folder = path.dirname(file);
    return folder === file ? file : path.join(realPath(folder), path.basename(file));
  }
}
