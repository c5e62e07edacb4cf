/**
 * A DeepL-compatible HTTP test server for diglot's tests.
 *
 * The tests point the real `deepl-node` client at this server (`serverUrl`) instead of stubbing
 * the client, so the exact wire format deepl-node produces — form-encoded bodies, repeated
 * `text` fields, lower-cased language codes, `show_billed_characters=1`, v3 glossary
 * `dictionaries[i].*` fields, its retry loop — is exercised for real. Everything here was
 * modelled on deepl-node 1.28 (`dist/translator.js`, `dist/deeplClient.js`, `dist/client.js`,
 * `dist/utils.js`, `dist/parsing.js`) and on DeepL's published API limits.
 *
 * Translation is fake and deterministic: glossary entries are substituted, then the result is
 * prefixed with `"EN: "`. That lets tests assert exact output without a real MT engine.
 *
 * Only `node:http` and friends are used: no dependencies.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/** Status codes {@link DeepLServer.failNext} can inject. All are ones DeepL really sends. */
export type FaultStatus = 403 | 429 | 456 | 500 | 503;

/** Options for {@link DeepLServer.failNext}. */
export interface FailOptions {
  /** Send a `Retry-After` header with this many seconds (only meaningful for 429/503). */
  retryAfter?: number;
  /**
   * Only requests whose path starts with this prefix consume the fault (e.g. `'/v2/translate'`).
   * Default: any request, because a fault is usually meant for "whatever comes next".
   */
  path?: string;
}

/** Kinds of response corruption {@link DeepLServer.corruptNext} can inject. */
export type CorruptionKind = 'fewer-translations' | 'malformed-json';

/** Options for {@link startDeepLServer}. All are optional. */
export interface DeepLServerOptions {
  /** If given, only these auth keys are accepted; any other key is answered with 403. */
  validKeys?: readonly string[];
  /** Keys that are answered with 403 (checked in addition to {@link validKeys}). */
  rejectKey?: string | readonly string[];
  /** Monthly character limit reported by `/v2/usage` and enforced with 456. Default 1e12. */
  characterLimit?: number;
  /** Characters already used at start (and after {@link DeepLServer.reset}). Default 0. */
  characterCount?: number;
  /** Initial latency for translate requests, see {@link DeepLServer.setLatency}. */
  latencyMs?: number;
  /** Initial per-KiB latency for translate requests, see {@link DeepLServer.setLatency}. */
  latencyPerKbMs?: number;
  /** Initial concurrency cap, see {@link DeepLServer.setConcurrencyCap}. Default: none. */
  concurrencyCap?: number;
  /** Prefix put in front of every fake translation. Default `"EN: "`. */
  prefix?: string;
  /** Reported `detected_source_language` when no `source_lang` is sent. Default `"DE"`. */
  detectedSourceLanguage?: string;
  /**
   * Accept the deprecated target codes `EN` and `PT`. Default false: they are answered with
   * 400 "Value for 'target_lang' not supported." so code that would send them is caught in tests
   * (deepl-node itself already refuses `en`/`pt` client-side).
   */
  acceptDeprecatedTargetLangs?: boolean;
  /** Maximum texts per translate request (DeepL: 50). More is answered with 413. */
  maxTexts?: number;
  /** Maximum translate request body in bytes (DeepL: 128 KiB). More is answered with 413. */
  maxBodyBytes?: number;
}

/** Translate-specific view of a recorded `POST /v2/translate` request. */
export interface TranslateCall {
  /** The `text` values, in order. */
  texts: string[];
  sourceLang?: string;
  targetLang?: string;
  glossaryId?: string;
  /** `glossary_ids` (deepl-node's `glossaryIds` option), split on commas. */
  glossaryIds: string[];
  context?: string;
  tagHandling?: string;
  ignoreTags: string[];
  splitSentences?: string;
  preserveFormatting?: string;
  formality?: string;
  modelType?: string;
  showBilledCharacters: boolean;
  /** Characters billed for this request: code points of all texts; 0 unless answered 200. */
  billedCharacters: number;
}

/** One HTTP request as the server saw it. */
export interface RecordedRequest {
  method: string;
  /** URL path without the query string. */
  path: string;
  /** Query-string parameters (every value, in order). */
  query: Record<string, string[]>;
  /**
   * Query and body parameters merged (query first). Form bodies map 1:1; JSON bodies are
   * flattened the way deepl-node names form fields: arrays of scalars become repeated values,
   * nested objects become `dictionaries[0].source_lang`-style keys, booleans `"true"`/`"false"`.
   */
  params: Record<string, string[]>;
  /** The parsed JSON body, if the body was JSON. */
  json?: unknown;
  contentType?: string;
  /** The key from `Authorization: DeepL-Auth-Key <key>`, if present. */
  authKey?: string;
  /** Lower-cased request headers. */
  headers: Record<string, string | string[] | undefined>;
  bodyBytes: number;
  /** HTTP status the server answered with; 0 while the request is still being handled. */
  status: number;
  /** Lower-cased headers of the response (e.g. `retry-after`), once answered. */
  responseHeaders?: Record<string, string>;
  /** True if the client went away before the response was written (e.g. its timeout fired). */
  aborted: boolean;
  /** `Date.now()` when the request arrived. */
  receivedAt: number;
  /** When the server answered (`Date.now()`); absent while the request is still being handled. */
  answeredAt?: number;
  /** Present for `POST /v2/translate`. */
  translate?: TranslateCall;
}

/** A recorded request that is known to be a `POST /v2/translate`. */
export type TranslateRequest = RecordedRequest & { translate: TranslateCall };

/** One language pair of a stored glossary. Language codes are lower-case, without region. */
export interface StoredDictionary {
  sourceLang: string;
  targetLang: string;
  /** Source term → target term, in insertion order. */
  entries: Map<string, string>;
}

/** A stored v3 (multilingual) glossary. */
export interface StoredGlossary {
  glossaryId: string;
  name: string;
  /** ISO timestamp, as DeepL reports `creation_time`. */
  creationTime: string;
  dictionaries: StoredDictionary[];
}

/** Handle on a running fake DeepL server; see {@link startDeepLServer}. */
export interface DeepLServer {
  /** Base URL to pass as deepl-node's `serverUrl`, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  readonly port: number;
  /**
   * Every request received, in arrival order, including failed and unauthenticated ones.
   * The array is live and is cleared in place by {@link reset}.
   */
  readonly requests: RecordedRequest[];
  /**
   * Stored v3 glossaries by id. Live: tests may seed glossaries directly instead of going
   * through the API. Not cleared by {@link reset}.
   */
  readonly glossaries: Map<string, StoredGlossary>;
  /** Unexpected exceptions inside the server (a bug here, not in the code under test). */
  readonly errors: Error[];
  /** All `POST /v2/translate` requests, whatever their outcome (retries appear separately). */
  translateRequests(): TranslateRequest[];
  /** Sum of `billed_characters` over successfully answered translate requests. */
  billedCharacters(): number;
  /**
   * All texts of translate requests, flattened in order. By default only requests answered
   * 200 count, so a retried request does not show its texts twice.
   */
  textsSent(options?: { includeFailed?: boolean }): string[];
  /** Current usage counter and limit, as `/v2/usage` would report them. */
  usage(): { characterCount: number; characterLimit: number };
  /**
   * Answer the next `times` requests (optionally only those under `opts.path`) with `status`
   * and a DeepL-style JSON error body. Faults queue up in call order. Applied after the
   * auth check; for translate requests after the concurrency check and latency.
   */
  failNext(status: FaultStatus, times?: number, opts?: FailOptions): void;
  /**
   * Corrupt the next `times` successful translate responses: `'fewer-translations'` drops the
   * last translation (deepl-node does not notice!), `'malformed-json'` sends truncated JSON
   * (deepl-node throws `DeepLError: Error parsing response JSON`). Characters are still billed,
   * as a real server would have done the work.
   */
  corruptNext(kind: CorruptionKind, times?: number): void;
  /** Drop every pending fault and corruption; recorded requests stay. */
  clearFaults(): void;
  /** Delay translate answers by `ms + perKbMs * bodyKiB` milliseconds. */
  setLatency(ms: number, perKbMs?: number): void;
  /**
   * Hold every translate answer (the requests are received and recorded) until the returned
   * function is called: a test can act while requests are surely in flight, without timing.
   */
  holdTranslations(): () => void;
  /**
   * Answer 429 to a translate request that arrives while `n` are already being handled.
   * `Infinity` (or `undefined`) removes the cap.
   */
  setConcurrencyCap(n: number | undefined): void;
  /** Highest number of translate requests handled at the same time so far. */
  peakConcurrency(): number;
  /**
   * Set the character limit (and optionally the count already used). A translate request
   * whose billed characters would push the count above the limit is answered with 456.
   */
  setUsageLimit(limit: number, used?: number): void;
  /**
   * Clear recorded requests and errors, pending faults and corruptions, and restore latency,
   * concurrency cap and usage to the construction options. Glossaries are kept.
   */
  reset(): void;
  /** Stop listening, drop open (keep-alive) connections and cancel pending latency timers. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Language tables (DeepL API, 2025). Codes are compared upper-case; deepl-node sends them
// lower-cased with an upper-case region (`de`, `en-GB`), the REST docs upper-case.
// ---------------------------------------------------------------------------------------------

const BASE_LANGUAGES: ReadonlyArray<readonly [string, string]> = [
  ['AR', 'Arabic'], ['BG', 'Bulgarian'], ['CS', 'Czech'], ['DA', 'Danish'], ['DE', 'German'],
  ['EL', 'Greek'], ['EN', 'English'], ['ES', 'Spanish'], ['ET', 'Estonian'], ['FI', 'Finnish'],
  ['FR', 'French'], ['HE', 'Hebrew'], ['HU', 'Hungarian'], ['ID', 'Indonesian'],
  ['IT', 'Italian'], ['JA', 'Japanese'], ['KO', 'Korean'], ['LT', 'Lithuanian'],
  ['LV', 'Latvian'], ['NB', 'Norwegian (Bokmål)'], ['NL', 'Dutch'], ['PL', 'Polish'],
  ['PT', 'Portuguese'], ['RO', 'Romanian'], ['RU', 'Russian'], ['SK', 'Slovak'],
  ['SL', 'Slovenian'], ['SV', 'Swedish'], ['TH', 'Thai'], ['TR', 'Turkish'],
  ['UK', 'Ukrainian'], ['VI', 'Vietnamese'], ['ZH', 'Chinese'],
];
const SOURCE_LANGS = new Set(BASE_LANGUAGES.map(([code]) => code));
const TARGET_LANGUAGES: ReadonlyArray<readonly [string, string]> = [
  ...BASE_LANGUAGES.filter(([code]) => code !== 'EN' && code !== 'PT'),
  ['EN-GB', 'English (British)'], ['EN-US', 'English (American)'],
  ['ES-419', 'Spanish (Latin American)'], ['PT-BR', 'Portuguese (Brazilian)'],
  ['PT-PT', 'Portuguese (European)'], ['ZH-HANS', 'Chinese (simplified)'],
  ['ZH-HANT', 'Chinese (traditional)'],
];
const TARGET_LANGS = new Set(TARGET_LANGUAGES.map(([code]) => code));
/** Accepted only with `acceptDeprecatedTargetLangs`; deepl-node refuses them client-side. */
const DEPRECATED_TARGET_LANGS = new Set(['EN', 'PT']);
/** Glossaries are region-less; DeepL supports every pair of these (as of 2025). */
const GLOSSARY_LANGS = SOURCE_LANGS;
/** Target languages for which DeepL reports `supports_formality: false`. */
const NO_FORMALITY = new Set(['EN-GB', 'EN-US', 'ZH', 'ZH-HANS', 'ZH-HANT', 'AR', 'BG', 'CS', 'DA', 'EL', 'ET', 'FI', 'HE', 'HU', 'ID', 'KO', 'LT', 'LV', 'NB', 'RO', 'SK', 'SL', 'SV', 'TH', 'TR', 'UK', 'VI']);
const FORMALITIES = new Set(['default', 'more', 'less', 'prefer_more', 'prefer_less']);
const SPLIT_SENTENCES = new Set(['0', '1', 'nonewlines']);
const MODEL_TYPES = new Set(['quality_optimized', 'prefer_quality_optimized', 'latency_optimized']);
const TAG_HANDLINGS = new Set(['xml', 'html']);
const HTML_VOID_ELEMENTS = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr',
]);

/** DeepL's documented request limits for text translation. */
const DEFAULT_MAX_TEXTS = 50;
const DEFAULT_MAX_BODY_BYTES = 128 * 1024;
/** Bodies beyond this are not buffered at all, whatever the endpoint. */
const HARD_BODY_CAP = 16 * 1024 * 1024;
/** What DeepL Pro reports as the limit of an uncapped account. */
const UNLIMITED_CHARACTERS = 1_000_000_000_000;

const FAULT_MESSAGES: Record<FaultStatus, string> = {
  403: 'Forbidden (fault injected by test server)',
  429: 'Too many requests (fault injected by test server)',
  456: 'Quota exceeded (fault injected by test server)',
  500: 'Internal server error (fault injected by test server)',
  503: 'Service unavailable (fault injected by test server)',
};

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

type Params = Record<string, string[]>;

/** An HTTP error to send, thrown from deep inside a handler. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

function addParam(params: Params, key: string, value: string): void {
  (params[key] ??= []).push(value);
}

/** Last value of a parameter: deepl-node's `extraRequestParameters` uses `set`, so at most one. */
function param(params: Params, key: string): string | undefined {
  const values = params[key];
  return values === undefined ? undefined : values[values.length - 1];
}

function isTruthy(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 'on', 'yes'].includes(value.toLowerCase());
}

/** DeepL bills Unicode code points of the source text ("A", "Δ", "深" and "😀" are one each). */
function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

function searchParamsToParams(search: URLSearchParams, into: Params): void {
  for (const [key, value] of search) addParam(into, key, value);
}

/**
 * Flattens a JSON body into form-style parameters so both encodings go through one code path.
 * `{"text":["a","b"]}` → `text: [a, b]`; `{"dictionaries":[{"source_lang":"de"}]}` →
 * `dictionaries[0].source_lang: [de]`.
 */
function flattenJson(value: unknown, key: string, into: Params): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      if (item !== null && typeof item === 'object') flattenJson(item, `${key}[${index}]`, into);
      else flattenJson(item, key, into);
    });
  } else if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      flattenJson(v, key === '' ? k : `${key}.${k}`, into);
    }
  } else {
    addParam(into, key, String(value));
  }
}

const LETTER = /^[\p{L}\p{M}]$/u;

function isLetter(ch: string): boolean {
  return ch !== '' && LETTER.test(ch);
}

/** The (possibly astral) character ending just before index `i`, or '' at the start. */
function charBefore(s: string, i: number): string {
  if (i <= 0) return '';
  const c = s.charCodeAt(i - 1);
  if (c >= 0xdc00 && c <= 0xdfff && i >= 2) return s.slice(i - 2, i);
  return s.charAt(i - 1);
}

/** The (possibly astral) character starting at index `i`, or '' at the end. */
function charAt(s: string, i: number): string {
  const cp = s.codePointAt(i);
  return cp === undefined ? '' : String.fromCodePoint(cp);
}

function escapeXmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// ---------------------------------------------------------------------------------------------
// Fake translation
// ---------------------------------------------------------------------------------------------

interface Term {
  source: string;
  target: string;
}

/** Glossary terms grouped by first UTF-16 unit, each group longest first. */
type TermIndex = Map<string, Term[]>;

function buildTermIndex(terms: Iterable<Term>): TermIndex {
  const index: TermIndex = new Map();
  for (const term of terms) {
    const first = term.source.charAt(0);
    let group = index.get(first);
    if (group === undefined) index.set(first, (group = []));
    group.push(term);
  }
  for (const group of index.values()) {
    // Longest first so "Ostflanke der NATO" wins over "Ostflanke"; ties sorted for determinism.
    group.sort((a, b) => b.source.length - a.source.length || (a.source < b.source ? -1 : 1));
  }
  return index;
}

/**
 * Replaces glossary source terms by their targets: case-sensitive, longest match first, no
 * rescanning of replaced text, and whole-word-ish: a term edge that is a letter must not touch
 * another letter. Hyphens are not letters, so "NATO-Ostflanke" and "Ostflanke-Debatte" match
 * "Ostflanke" while "Südostflanke" and "Ostflanken" do not.
 */
function applyGlossary(text: string, index: TermIndex): string {
  if (index.size === 0) return text;
  let out = '';
  let i = 0;
  outer: while (i < text.length) {
    const group = index.get(text.charAt(i));
    if (group !== undefined) {
      for (const term of group) {
        const end = i + term.source.length;
        if (!text.startsWith(term.source, i)) continue;
        if (isLetter(charAt(term.source, 0)) && isLetter(charBefore(text, i))) continue;
        if (isLetter(charBefore(term.source, term.source.length)) && isLetter(charAt(text, end))) {
          continue;
        }
        out += term.target;
        i = end;
        continue outer;
      }
    }
    const ch = charAt(text, i);
    out += ch;
    i += ch.length;
  }
  return out;
}

/**
 * Translates an XML (or, leniently, HTML) fragment the way DeepL treats markup: tags, attributes,
 * comments, CDATA and processing instructions are copied byte for byte; only text nodes are
 * "translated"; text inside `ignore_tags` elements is left alone; the prefix is inserted once, in
 * front of the first non-whitespace character of the first translatable text node. Text nodes
 * are handled in their escaped form, so `&amp;`/`&lt;` stay exactly as sent; glossary terms are
 * escaped before matching. (Limitation: a term written with a numeric character reference in
 * the input, e.g. `&#252;`, is not recognised.)
 */
function translateMarkup(
  raw: string,
  mode: 'xml' | 'html',
  ignoreTags: ReadonlySet<string>,
  glossary: TermIndex,
  prefix: string,
  state: { prefixed: boolean },
): string {
  const xml = mode === 'xml';
  const fail = (detail: string): never => {
    throw new HttpError(400, 'Tag handling parsing failed, please check input.', detail);
  };
  const norm = (name: string): string => (xml ? name : name.toLowerCase());
  const startTag = /<([A-Za-z_:][-\w:.]*)((?:\s+[A-Za-z_:][-\w:.]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
  const lenientStartTag = /<([A-Za-z][-\w:.]*)(\s[^<>]*?)?\s*(\/?)>/y;
  const endTag = /<\/([A-Za-z_:][-\w:.]*)\s*>/y;
  const badEntity = /&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/;

  const out: string[] = [];
  const stack: Array<{ name: string; ignored: boolean }> = [];
  let ignoreDepth = 0;

  const emitText = (text: string): void => {
    if (xml && badEntity.test(text)) fail('unescaped "&" or unknown entity in text');
    if (ignoreDepth > 0) {
      out.push(text);
      return;
    }
    let translated = applyGlossary(text, glossary);
    if (!state.prefixed && text.trim() !== '') {
      const lead = /^\s*/.exec(translated)?.[0] ?? '';
      translated = lead + prefix + translated.slice(lead.length);
      state.prefixed = true;
    }
    out.push(translated);
  };
  const copyUntil = (i: number, open: string, close: string): number => {
    const end = raw.indexOf(close, i + open.length);
    if (end < 0) fail(`unterminated ${open}`);
    out.push(raw.slice(i, end + close.length));
    return end + close.length;
  };

  let i = 0;
  while (i < raw.length) {
    const lt = raw.indexOf('<', i);
    if (lt !== i) {
      const end = lt < 0 ? raw.length : lt;
      emitText(raw.slice(i, end));
      i = end;
      continue;
    }
    if (raw.startsWith('<!--', i)) {
      i = copyUntil(i, '<!--', '-->');
    } else if (raw.startsWith('<![CDATA[', i)) {
      i = copyUntil(i, '<![CDATA[', ']]>');
    } else if (raw.startsWith('<?', i)) {
      i = copyUntil(i, '<?', '?>');
    } else if (raw.startsWith('<!', i)) {
      i = copyUntil(i, '<!', '>'); // e.g. a DOCTYPE in HTML
    } else if (raw.startsWith('</', i)) {
      endTag.lastIndex = i;
      const m = endTag.exec(raw);
      if (m === null) {
        if (xml) fail(`malformed end tag at offset ${i}`);
        emitText('<');
        i += 1;
        continue;
      }
      const name = norm(m[1] ?? '');
      if (xml) {
        const top = stack.pop();
        if (top === undefined) fail(`unexpected end tag </${name}>`);
        else if (top.name !== name) fail(`end tag </${name}> does not match <${top.name}>`);
        else if (top.ignored) ignoreDepth--;
      } else if (stack.some((e) => e.name === name)) {
        // HTML: implicitly close anything left open inside the element being closed.
        for (;;) {
          const top = stack.pop();
          if (top === undefined) break;
          if (top.ignored) ignoreDepth--;
          if (top.name === name) break;
        }
      }
      out.push(m[0]);
      i += m[0].length;
    } else {
      const re = xml ? startTag : lenientStartTag;
      re.lastIndex = i;
      const m = re.exec(raw);
      if (m === null) {
        if (xml) fail(`malformed tag at offset ${i}`);
        emitText('<');
        i += 1;
        continue;
      }
      if (xml && badEntity.test(m[2] ?? '')) fail('unescaped "&" or unknown entity in attribute');
      const name = norm(m[1] ?? '');
      const selfClosing = m[3] === '/' || (!xml && HTML_VOID_ELEMENTS.has(name));
      if (!selfClosing) {
        const ignored = ignoreTags.has(name);
        stack.push({ name, ignored });
        if (ignored) ignoreDepth++;
      }
      out.push(m[0]);
      i += m[0].length;
    }
  }
  if (xml && stack.length > 0) fail(`unclosed tag <${stack[stack.length - 1]?.name ?? ''}>`);
  return out.join('');
}

// ---------------------------------------------------------------------------------------------
// Glossary entries (TSV / CSV) with DeepL-like validation
// ---------------------------------------------------------------------------------------------

function validateTerm(term: string, side: 'source' | 'target', line: number): void {
  if (term.length === 0) throw new HttpError(400, `Invalid glossary entries: empty ${side} term in line ${line}.`);
  if (term !== term.trim()) {
    throw new HttpError(400, `Invalid glossary entries: ${side} term '${term}' in line ${line} has leading or trailing whitespace.`);
  }
  // C0/C1 controls (tab and newline included) and Unicode line/paragraph separators, the same
  // set deepl-node's GlossaryEntries.validateGlossaryTerm refuses.
  if (/[\u0000-\u001f\u0080-\u009f\u2028\u2029]/.test(term)) {
    throw new HttpError(400, `Invalid glossary entries: ${side} term '${term}' in line ${line} contains a control character.`);
  }
}

/** Splits one CSV record (RFC 4180 quoting). Returns undefined on unbalanced quotes. */
function splitCsvLine(line: string): string[] | undefined {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let atStart = true;
  for (let i = 0; i < line.length; i++) {
    const ch = line.charAt(i);
    if (quoted) {
      if (ch === '"' && line.charAt(i + 1) === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"' && atStart) {
      quoted = true;
      atStart = false;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      atStart = true;
    } else {
      field += ch;
      atStart = false;
    }
  }
  if (quoted) return undefined;
  fields.push(field);
  return fields;
}

/** Parses and validates dictionary entries; throws {@link HttpError} 400 like DeepL. */
function parseEntries(text: string, format: string): Map<string, string> {
  if (format !== 'tsv' && format !== 'csv') {
    throw new HttpError(400, "Value for 'entries_format' not supported.");
  }
  const entries = new Map<string, string>();
  const lines = text.split(/\r\n|\n|\r/);
  lines.forEach((lineText, idx) => {
    const line = idx + 1;
    if (lineText.length === 0) return; // blank lines are ignored, as deepl-node does too
    let fields: string[] | undefined;
    if (format === 'tsv') {
      fields = lineText.split('\t');
      if (fields.length !== 2) {
        throw new HttpError(400, `Invalid glossary entries: line ${line} must contain exactly one tab separating source and target.`);
      }
    } else {
      fields = splitCsvLine(lineText);
      if (fields === undefined || (fields.length !== 2 && fields.length !== 4)) {
        throw new HttpError(400, `Invalid glossary entries: line ${line} must contain 2 (or 4) CSV fields.`);
      }
    }
    const [source = '', target = ''] = fields;
    validateTerm(source, 'source', line);
    validateTerm(target, 'target', line);
    if (entries.has(source)) {
      throw new HttpError(400, `Invalid glossary entries: duplicate source term '${source}' in line ${line}.`);
    }
    entries.set(source, target);
  });
  return entries;
}

function entriesToTsv(entries: Map<string, string>): string {
  return [...entries].map(([s, t]) => `${s}\t${t}`).join('\n');
}

function glossaryLang(value: string | undefined, which: 'source_lang' | 'target_lang'): string {
  if (value === undefined || value === '') throw new HttpError(400, `Parameter '${which}' not specified.`);
  // Glossaries are region-less: DeepL refuses e.g. EN-GB here (deepl-node's v3 calls pass the
  // code through unchanged, unlike its v2 createGlossary which strips the region).
  if (!GLOSSARY_LANGS.has(value.toUpperCase())) {
    throw new HttpError(400, `Value for '${which}' not supported.`);
  }
  return value.toLowerCase();
}

/** Reads `dictionaries[i].*` parameters (form or flattened JSON) in index order. */
function readDictionaries(params: Params): StoredDictionary[] {
  const byIndex = new Map<number, Record<string, string>>();
  for (const [key, values] of Object.entries(params)) {
    const m = /^dictionaries\[(\d+)\]\.(\w+)$/.exec(key);
    if (m === null) continue;
    const index = Number(m[1]);
    let fields = byIndex.get(index);
    if (fields === undefined) byIndex.set(index, (fields = {}));
    fields[m[2] ?? ''] = values[values.length - 1] ?? '';
  }
  const dictionaries: StoredDictionary[] = [];
  for (const index of [...byIndex.keys()].sort((a, b) => a - b)) {
    const fields = byIndex.get(index) ?? {};
    dictionaries.push(readDictionary(fields));
  }
  const pairs = new Set<string>();
  for (const d of dictionaries) {
    const pair = `${d.sourceLang}-${d.targetLang}`;
    if (pairs.has(pair)) throw new HttpError(400, `Duplicate dictionary for language pair ${pair}.`);
    pairs.add(pair);
  }
  return dictionaries;
}

function readDictionary(fields: Record<string, string | undefined>): StoredDictionary {
  const sourceLang = glossaryLang(fields['source_lang'], 'source_lang');
  const targetLang = glossaryLang(fields['target_lang'], 'target_lang');
  if (sourceLang === targetLang) throw new HttpError(400, 'Source and target language must differ.');
  const entriesText = fields['entries'];
  if (entriesText === undefined) throw new HttpError(400, "Parameter 'entries' not specified.");
  const entries = parseEntries(entriesText, fields['entries_format'] ?? 'tsv');
  if (entries.size === 0) throw new HttpError(400, 'Invalid glossary entries: no entries provided.');
  return { sourceLang, targetLang, entries };
}

function glossaryInfoJson(g: StoredGlossary): Record<string, unknown> {
  return {
    glossary_id: g.glossaryId,
    name: g.name,
    dictionaries: g.dictionaries.map(dictionaryInfoJson),
    creation_time: g.creationTime,
  };
}

function dictionaryInfoJson(d: StoredDictionary): Record<string, unknown> {
  return { source_lang: d.sourceLang, target_lang: d.targetLang, entry_count: d.entries.size };
}

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

interface Fault {
  status: FaultStatus;
  remaining: number;
  retryAfter?: number;
  path?: string;
}

/**
 * Starts a fake DeepL API on `127.0.0.1` at a random free port.
 *
 * ```ts
 * const server = await startDeepLServer();
 * const client = new deepl.DeepLClient('test-key', { serverUrl: server.url, maxRetries: 2, minTimeout: 200 });
 * ```
 *
 * Endpoints: `POST /v2/translate`, `GET|POST /v2/usage`, `GET|POST /v2/languages`,
 * `GET /v2/glossary-language-pairs`, and the v3 glossary API used by deepl-node's DeepLClient
 * (`/v3/glossaries`, `/v3/glossaries/{id}`, `/v3/glossaries/{id}/entries`,
 * `/v3/glossaries/{id}/dictionaries`). Anything else is a 404 JSON error.
 */
export async function startDeepLServer(options: DeepLServerOptions = {}): Promise<DeepLServer> {
  const prefix = options.prefix ?? 'EN: ';
  const detectedDefault = (options.detectedSourceLanguage ?? 'DE').toUpperCase();
  const maxTexts = options.maxTexts ?? DEFAULT_MAX_TEXTS;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const validKeys = options.validKeys === undefined ? undefined : new Set(options.validKeys);
  const rejectKeys = new Set(
    options.rejectKey === undefined ? [] : typeof options.rejectKey === 'string' ? [options.rejectKey] : options.rejectKey,
  );

  const requests: RecordedRequest[] = [];
  const glossaries = new Map<string, StoredGlossary>();
  const errors: Error[] = [];
  let faults: Fault[] = [];
  let corruptions: Array<{ kind: CorruptionKind; remaining: number }> = [];
  let latencyMs = 0;
  let latencyPerKbMs = 0;
  let concurrencyCap = Infinity;
  let characterCount = 0;
  let characterLimit = UNLIMITED_CHARACTERS;
  let inFlight = 0;
  let peak = 0;
  let closed = false;
  /** Set by holdTranslations: answers wait for it. */
  let hold: { promise: Promise<void>; release: () => void } | undefined;
  const sleepers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();

  const restoreDefaults = (): void => {
    faults = [];
    corruptions = [];
    latencyMs = options.latencyMs ?? 0;
    latencyPerKbMs = options.latencyPerKbMs ?? 0;
    concurrencyCap = options.concurrencyCap ?? Infinity;
    characterCount = options.characterCount ?? 0;
    characterLimit = options.characterLimit ?? UNLIMITED_CHARACTERS;
    peak = 0;
  };
  restoreDefaults();

  /** A sleep that close() can cut short, so a slow test server never holds up shutdown. */
  const sleep = (ms: number): Promise<void> =>
    ms <= 0 || closed
      ? Promise.resolve()
      : new Promise((resolve) => {
          const sleeper = {
            resolve: () => {
              sleepers.delete(sleeper);
              resolve();
            },
            timer: setTimeout(() => sleeper.resolve(), ms),
          };
          sleepers.add(sleeper);
        });

  const takeFault = (path: string): Fault | undefined => {
    const index = faults.findIndex((f) => f.path === undefined || path.startsWith(f.path));
    const fault = faults[index];
    if (fault === undefined) return undefined;
    fault.remaining--;
    if (fault.remaining <= 0) faults.splice(index, 1);
    return fault;
  };

  const takeCorruption = (): CorruptionKind | undefined => {
    const c = corruptions[0];
    if (c === undefined) return undefined;
    c.remaining--;
    if (c.remaining <= 0) corruptions.shift();
    return c.kind;
  };

  const send = (
    res: ServerResponse,
    record: RecordedRequest,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
    rawBody?: string,
  ): void => {
    const text = status === 204 ? '' : rawBody ?? JSON.stringify(body);
    const allHeaders: Record<string, string> = {
      ...(status === 204 ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      'content-length': String(Buffer.byteLength(text)),
      'x-trace-id': randomUUID().replace(/-/g, ''),
    };
    for (const [k, v] of Object.entries(headers)) allHeaders[k.toLowerCase()] = v;
    record.status = status;
    record.answeredAt = Date.now();
    record.responseHeaders = allHeaders;
    if (res.headersSent || res.destroyed) return; // the client gave up (timeout); nothing to do
    res.writeHead(status, allHeaders);
    res.end(text);
  };

  const sendError = (
    res: ServerResponse,
    record: RecordedRequest,
    status: number,
    message: string,
    detail?: string,
    headers?: Record<string, string>,
  ): void => send(res, record, status, detail === undefined ? { message } : { message, detail }, headers);

  const sendFault = (res: ServerResponse, record: RecordedRequest, fault: Fault): void => {
    const headers: Record<string, string> = {};
    if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
    sendError(res, record, fault.status, FAULT_MESSAGES[fault.status], undefined, headers);
  };

  const getGlossary = (id: string): StoredGlossary => {
    const g = glossaries.get(id);
    if (g === undefined) throw new HttpError(404, 'Glossary not found');
    return g;
  };

  // ------------------------------------------------------------------ translate

  const handleTranslate = async (
    res: ServerResponse,
    record: RecordedRequest,
    call: TranslateCall,
  ): Promise<void> => {
    if (inFlight >= concurrencyCap) {
      sendError(res, record, 429, 'Too many requests (concurrency cap of test server)');
      return;
    }
    inFlight++;
    peak = Math.max(peak, inFlight);
    try {
      await sleep(latencyMs + (latencyPerKbMs * record.bodyBytes) / 1024);
      if (hold) await hold.promise;
      if (closed) return;
      const fault = takeFault(record.path);
      if (fault !== undefined) {
        sendFault(res, record, fault);
        return;
      }
      const body = translate(call);
      call.billedCharacters = body.billed;
      characterCount += body.billed;
      const translations = body.translations;
      const corruption = takeCorruption();
      if (corruption === 'malformed-json') {
        const json = JSON.stringify({ translations });
        send(res, record, 200, undefined, {}, json.slice(0, Math.max(1, Math.floor(json.length / 2))));
      } else {
        send(res, record, 200, {
          translations: corruption === 'fewer-translations' ? translations.slice(0, -1) : translations,
        });
      }
    } finally {
      inFlight--;
    }
  };

  /** Validates a translate request like DeepL and returns the response body. */
  const translate = (
    call: TranslateCall,
  ): { translations: Array<Record<string, unknown>>; billed: number } => {
    const texts = call.texts;
    if (texts.length === 0) throw new HttpError(400, "Parameter 'text' not specified.");
    if (texts.length > maxTexts) {
      throw new HttpError(413, `Too many texts in request: ${texts.length} (at most ${maxTexts} are allowed).`);
    }
    const target = call.targetLang?.toUpperCase();
    if (target === undefined || target === '') throw new HttpError(400, "Parameter 'target_lang' not specified.");
    const targetOk =
      TARGET_LANGS.has(target) || (options.acceptDeprecatedTargetLangs === true && DEPRECATED_TARGET_LANGS.has(target));
    if (!targetOk) throw new HttpError(400, "Value for 'target_lang' not supported.");
    const source = call.sourceLang?.toUpperCase();
    if (source !== undefined && !SOURCE_LANGS.has(source)) {
      throw new HttpError(400, "Value for 'source_lang' not supported.");
    }
    const formality = call.formality;
    if (formality !== undefined && !FORMALITIES.has(formality)) {
      throw new HttpError(400, "Value for 'formality' not supported.");
    }
    if (call.splitSentences !== undefined && !SPLIT_SENTENCES.has(call.splitSentences)) {
      throw new HttpError(400, "Value for 'split_sentences' not supported.");
    }
    if (call.modelType !== undefined && !MODEL_TYPES.has(call.modelType)) {
      throw new HttpError(400, "Value for 'model_type' not supported.");
    }
    const tagHandling = call.tagHandling?.toLowerCase();
    if (tagHandling !== undefined && !TAG_HANDLINGS.has(tagHandling)) {
      throw new HttpError(400, "Value for 'tag_handling' not supported.");
    }

    // Glossaries: one glossary_id, or up to five glossary_ids (newer API); entries merged with
    // the first glossary winning on a clash.
    const ids = [...(call.glossaryId !== undefined ? [call.glossaryId] : []), ...call.glossaryIds];
    const terms = new Map<string, string>();
    if (ids.length > 0) {
      if (source === undefined) {
        throw new HttpError(400, 'Use of a glossary requires the source_lang parameter to be set.');
      }
      const src = source.toLowerCase();
      const tgt = (target.split('-')[0] ?? '').toLowerCase();
      for (const id of ids) {
        const g = getGlossary(id);
        const dict = g.dictionaries.find((d) => d.sourceLang === src && d.targetLang === tgt);
        if (dict === undefined) {
          throw new HttpError(400, `No dictionary found for language pair ${src}-${tgt} in glossary`);
        }
        for (const [s, t] of dict.entries) if (!terms.has(s)) terms.set(s, t);
      }
    }

    const ignoreTags = new Set(
      call.ignoreTags.map((t) => (tagHandling === 'html' ? t.toLowerCase() : t)),
    );
    let index: TermIndex;
    let translated: string[];
    if (tagHandling === undefined) {
      index = buildTermIndex([...terms].map(([s, t]) => ({ source: s, target: t })));
      translated = texts.map((t) => prefix + applyGlossary(t, index));
    } else {
      // Text nodes are matched in their escaped form, so escape the terms the same way.
      index = buildTermIndex([...terms].map(([s, t]) => ({ source: escapeXmlText(s), target: escapeXmlText(t) })));
      translated = texts.map((t) =>
        translateMarkup(t, tagHandling === 'html' ? 'html' : 'xml', ignoreTags, index, prefix, { prefixed: false }),
      );
    }

    // Billing: code points of every text exactly as sent (tags included when tag_handling is
    // set; DeepL's own accounting of markup is not documented precisely). `context` is free.
    const billedPerText = texts.map(codePoints);
    const billed = billedPerText.reduce((a, b) => a + b, 0);
    if (characterCount + billed > characterLimit) throw new HttpError(456, 'Quota exceeded');

    const detected = source ?? detectedDefault;
    const showBilled = call.showBilledCharacters;
    return {
      billed,
      translations: translated.map((text, i) => ({
        detected_source_language: detected,
        text,
        ...(showBilled ? { billed_characters: billedPerText[i] ?? 0 } : {}),
      })),
    };
  };

  // ------------------------------------------------------------------ glossaries (v3)

  const handleGlossaries = (method: string, path: string, params: Params, query: Params): { status: number; body?: unknown } => {
    if (path === '/v3/glossaries') {
      if (method === 'GET') {
        return { status: 200, body: { glossaries: [...glossaries.values()].map(glossaryInfoJson) } };
      }
      if (method === 'POST') {
        const name = param(params, 'name');
        if (name === undefined || name === '') throw new HttpError(400, "Parameter 'name' not specified.");
        const dictionaries = readDictionaries(params);
        if (dictionaries.length === 0) throw new HttpError(400, "Parameter 'dictionaries' not specified.");
        const g: StoredGlossary = {
          glossaryId: randomUUID(),
          name,
          creationTime: new Date().toISOString(),
          dictionaries,
        };
        glossaries.set(g.glossaryId, g);
        return { status: 201, body: glossaryInfoJson(g) };
      }
      throw new HttpError(405, 'Method not allowed');
    }

    const m = /^\/v3\/glossaries\/([^/]+)(\/entries|\/dictionaries)?$/.exec(path);
    if (m === null) throw new HttpError(404, 'Not found');
    const id = decodeURIComponent(m[1] ?? '');
    const sub = m[2];

    if (sub === undefined) {
      if (method === 'GET') return { status: 200, body: glossaryInfoJson(getGlossary(id)) };
      if (method === 'DELETE') {
        getGlossary(id);
        glossaries.delete(id);
        return { status: 204 };
      }
      if (method === 'PATCH') {
        // Update: a new name and/or dictionaries whose entries are MERGED into existing ones
        // (a source term already present gets the new target); unknown pairs are added.
        const g = getGlossary(id);
        const name = param(params, 'name');
        const dictionaries = readDictionaries(params);
        if (name === undefined && dictionaries.length === 0) {
          throw new HttpError(400, "Either 'name' or 'dictionaries' must be specified.");
        }
        if (name !== undefined) {
          if (name === '') throw new HttpError(400, "Value for 'name' must not be empty.");
          g.name = name;
        }
        for (const d of dictionaries) {
          const existing = g.dictionaries.find((e) => e.sourceLang === d.sourceLang && e.targetLang === d.targetLang);
          if (existing === undefined) g.dictionaries.push(d);
          else for (const [s, t] of d.entries) existing.entries.set(s, t);
        }
        return { status: 200, body: glossaryInfoJson(g) };
      }
      throw new HttpError(405, 'Method not allowed');
    }

    if (sub === '/entries') {
      if (method !== 'GET') throw new HttpError(405, 'Method not allowed');
      const g = getGlossary(id);
      const src = glossaryLang(param(query, 'source_lang') ?? param(params, 'source_lang'), 'source_lang');
      const tgt = glossaryLang(param(query, 'target_lang') ?? param(params, 'target_lang'), 'target_lang');
      const d = g.dictionaries.find((e) => e.sourceLang === src && e.targetLang === tgt);
      if (d === undefined) throw new HttpError(404, `Glossary dictionary ${src}-${tgt} not found`);
      return {
        status: 200,
        body: {
          dictionaries: [
            { source_lang: d.sourceLang, target_lang: d.targetLang, entries: entriesToTsv(d.entries), entries_format: 'tsv' },
          ],
        },
      };
    }

    // sub === '/dictionaries'
    if (method === 'PUT') {
      // Replace: the dictionary for the pair is replaced wholesale (or created).
      const g = getGlossary(id);
      const d = readDictionary({
        source_lang: param(params, 'source_lang'),
        target_lang: param(params, 'target_lang'),
        entries: param(params, 'entries'),
        entries_format: param(params, 'entries_format'),
      });
      const index = g.dictionaries.findIndex((e) => e.sourceLang === d.sourceLang && e.targetLang === d.targetLang);
      if (index < 0) g.dictionaries.push(d);
      else g.dictionaries[index] = d;
      return { status: 200, body: dictionaryInfoJson(d) };
    }
    if (method === 'DELETE') {
      // deepl-node puts source_lang/target_lang in the query string of this DELETE.
      const g = getGlossary(id);
      const src = glossaryLang(param(query, 'source_lang'), 'source_lang');
      const tgt = glossaryLang(param(query, 'target_lang'), 'target_lang');
      const index = g.dictionaries.findIndex((e) => e.sourceLang === src && e.targetLang === tgt);
      if (index < 0) throw new HttpError(404, `Glossary dictionary ${src}-${tgt} not found`);
      g.dictionaries.splice(index, 1);
      return { status: 204 };
    }
    throw new HttpError(405, 'Method not allowed');
  };

  // ------------------------------------------------------------------ dispatch

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const receivedAt = Date.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const method = (req.method ?? 'GET').toUpperCase();

    // Read the whole body before answering anything: answering early while the client is still
    // uploading makes it see EPIPE/ECONNRESET instead of the status code.
    const chunks: Buffer[] = [];
    let bodyBytes = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      bodyBytes += chunk.length;
      if (bodyBytes <= HARD_BODY_CAP) chunks.push(chunk);
    }
    const bodyText = bodyBytes <= HARD_BODY_CAP ? Buffer.concat(chunks).toString('utf8') : '';

    const contentType = req.headers['content-type'];
    const query: Params = {};
    searchParamsToParams(url.searchParams, query);
    const params: Params = {};
    for (const [k, v] of Object.entries(query)) params[k] = [...v];

    const authHeader = req.headers['authorization'];
    const authMatch = authHeader === undefined ? null : /^DeepL-Auth-Key\s+(\S.*?)\s*$/i.exec(authHeader);
    const record: RecordedRequest = {
      method,
      path,
      query,
      params,
      ...(contentType !== undefined ? { contentType } : {}),
      ...(authMatch?.[1] !== undefined ? { authKey: authMatch[1] } : {}),
      headers: { ...req.headers },
      bodyBytes,
      status: 0,
      aborted: false,
      receivedAt,
    };
    requests.push(record);
    res.on('close', () => {
      if (!res.writableFinished) record.aborted = true;
    });

    // Body parameters. deepl-node sends application/x-www-form-urlencoded for everything it
    // uses here (URLSearchParams via axios); JSON is accepted for other clients and curl.
    let bodyError: string | undefined;
    if (bodyText.length > 0) {
      const ct = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (ct === 'application/json') {
        try {
          const json: unknown = JSON.parse(bodyText);
          record.json = json;
          if (json === null || typeof json !== 'object' || Array.isArray(json)) bodyError = 'JSON body must be an object.';
          else flattenJson(json, '', params);
        } catch {
          bodyError = 'Invalid JSON in request body.';
        }
      } else if (ct === 'application/x-www-form-urlencoded' || ct === '') {
        searchParamsToParams(new URLSearchParams(bodyText), params);
      } else {
        bodyError = `Unsupported content type '${ct}'.`;
      }
    }

    let call: TranslateCall | undefined;
    if (path === '/v2/translate') {
      const p = (k: string): string | undefined => param(params, k);
      const split = (k: string): string[] =>
        (params[k] ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
      const sourceLang = p('source_lang');
      const targetLang = p('target_lang');
      const glossaryId = p('glossary_id');
      const context = p('context');
      const tagHandling = p('tag_handling');
      const splitSentences = p('split_sentences');
      const preserveFormatting = p('preserve_formatting');
      const formality = p('formality');
      const modelType = p('model_type');
      call = {
        texts: [...(params['text'] ?? [])],
        ...(sourceLang !== undefined ? { sourceLang } : {}),
        ...(targetLang !== undefined ? { targetLang } : {}),
        ...(glossaryId !== undefined ? { glossaryId } : {}),
        glossaryIds: split('glossary_ids'),
        ...(context !== undefined ? { context } : {}),
        ...(tagHandling !== undefined ? { tagHandling } : {}),
        ignoreTags: split('ignore_tags'),
        ...(splitSentences !== undefined ? { splitSentences } : {}),
        ...(preserveFormatting !== undefined ? { preserveFormatting } : {}),
        ...(formality !== undefined ? { formality } : {}),
        ...(modelType !== undefined ? { modelType } : {}),
        showBilledCharacters: isTruthy(p('show_billed_characters')),
        billedCharacters: 0,
      };
      record.translate = call;
    }

    // Size limits are enforced at DeepL's edge, before authentication.
    if (bodyBytes > HARD_BODY_CAP || (path === '/v2/translate' && bodyBytes > maxBodyBytes)) {
      sendError(res, record, 413, 'Request Entity Too Large');
      return;
    }

    try {
      await route(res, record, method, path, query, params, bodyError, call);
    } catch (error: unknown) {
      if (error instanceof HttpError) {
        sendError(res, record, error.status, error.message, error.detail);
        return;
      }
      // A bug in this test server. Surface it loudly, and answer 418 rather than 500 because
      // deepl-node retries 5xx and would bury the problem under a retry.
      const err = error instanceof Error ? error : new Error(String(error));
      errors.push(err);
      console.error('[deepl-server] internal error:', err);
      sendError(res, record, 418, `Test server bug: ${err.message}`);
    }
  };

  const route = async (
    res: ServerResponse,
    record: RecordedRequest,
    method: string,
    path: string,
    query: Params,
    params: Params,
    bodyError: string | undefined,
    call: TranslateCall | undefined,
  ): Promise<void> => {
    // Authentication comes first, as on the real API.
    const key = record.authKey;
    if (key === undefined) {
      sendError(res, record, 403, 'Missing or malformed Authorization header (expected "DeepL-Auth-Key <key>").');
      return;
    }
    if (rejectKeys.has(key) || (validKeys !== undefined && !validKeys.has(key))) {
      sendError(res, record, 403, 'Invalid authentication key.');
      return;
    }
    if (bodyError !== undefined) {
      sendError(res, record, 400, bodyError);
      return;
    }

    if (call !== undefined) {
      if (method !== 'POST') {
        sendError(res, record, 405, 'Method not allowed');
        return;
      }
      await handleTranslate(res, record, call);
      return;
    }

    const fault = takeFault(path);
    if (fault !== undefined) {
      sendFault(res, record, fault);
      return;
    }

    if (path === '/v2/usage') {
      if (method !== 'GET' && method !== 'POST') throw new HttpError(405, 'Method not allowed');
      send(res, record, 200, { character_count: characterCount, character_limit: characterLimit });
      return;
    }
    if (path === '/v2/languages') {
      if (method !== 'GET' && method !== 'POST') throw new HttpError(405, 'Method not allowed');
      const type = param(params, 'type') ?? 'source';
      if (type !== 'source' && type !== 'target') throw new HttpError(400, "Value for 'type' not supported.");
      const list = type === 'source' ? BASE_LANGUAGES : TARGET_LANGUAGES;
      send(
        res,
        record,
        200,
        list.map(([language, name]) =>
          type === 'target'
            ? { language, name, supports_formality: !NO_FORMALITY.has(language) }
            : { language, name },
        ),
      );
      return;
    }
    if (path === '/v2/glossary-language-pairs') {
      if (method !== 'GET') throw new HttpError(405, 'Method not allowed');
      const langs = [...GLOSSARY_LANGS].map((l) => l.toLowerCase());
      const supported_languages = langs.flatMap((s) =>
        langs.filter((t) => t !== s).map((t) => ({ source_lang: s, target_lang: t })),
      );
      send(res, record, 200, { supported_languages });
      return;
    }
    if (path === '/v3/glossaries' || path.startsWith('/v3/glossaries/')) {
      const { status, body } = handleGlossaries(method, path, params, query);
      send(res, record, status, body);
      return;
    }
    sendError(res, record, 404, 'Not found');
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // Only reached if reading the request itself failed (e.g. the client reset the socket).
      const err = error instanceof Error ? error : new Error(String(error));
      errors.push(err);
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(418, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ message: `Test server bug: ${err.message}` }));
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    glossaries,
    errors,
    translateRequests: () => requests.filter((r): r is TranslateRequest => r.translate !== undefined),
    billedCharacters: () =>
      requests.reduce((sum, r) => sum + (r.status === 200 && r.translate !== undefined ? r.translate.billedCharacters : 0), 0),
    textsSent: ({ includeFailed = false } = {}) =>
      requests
        .filter((r) => r.translate !== undefined && (includeFailed || r.status === 200))
        .flatMap((r) => r.translate?.texts ?? []),
    usage: () => ({ characterCount, characterLimit }),
    failNext: (status, times = 1, opts = {}) => {
      if (times <= 0) return;
      faults.push({
        status,
        remaining: times,
        ...(opts.retryAfter !== undefined ? { retryAfter: opts.retryAfter } : {}),
        ...(opts.path !== undefined ? { path: opts.path } : {}),
      });
    },
    corruptNext: (kind, times = 1) => {
      if (times > 0) corruptions.push({ kind, remaining: times });
    },
    clearFaults: () => {
      faults = [];
      corruptions = [];
    },
    setLatency: (ms, perKbMs = 0) => {
      latencyMs = ms;
      latencyPerKbMs = perKbMs;
    },
    holdTranslations: () => {
      let release = (): void => undefined;
      const promise = new Promise<void>((resolve) => (release = resolve));
      const held = { promise, release };
      hold = held;
      return () => {
        if (hold === held) hold = undefined;
        held.release();
      };
    },
    setConcurrencyCap: (n) => {
      concurrencyCap = n === undefined ? Infinity : n;
    },
    peakConcurrency: () => peak,
    setUsageLimit: (limit, used) => {
      characterLimit = limit;
      if (used !== undefined) characterCount = used;
    },
    reset: () => {
      requests.length = 0;
      errors.length = 0;
      restoreDefaults();
    },
    close: async () => {
      if (closed) return;
      closed = true;
      hold?.release();
      for (const s of [...sleepers]) {
        clearTimeout(s.timer);
        s.resolve();
      }
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // deepl-node's axios agent keeps connections alive; drop them so close() returns now.
        server.closeAllConnections();
      });
    },
  };
}
