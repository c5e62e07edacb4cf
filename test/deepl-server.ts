/**
 * A DeepL-compatible HTTP test server for diglot's tests: it speaks only what diglot calls, plus
 * faults to inject.
 *
 * The tests point the real `deepl-node` client at this server (`serverUrl`) instead of stubbing
 * the client, so the exact wire format deepl-node produces — form-encoded bodies, repeated
 * `text` fields, lower-cased language codes, `show_billed_characters=1`, v3 glossary
 * `dictionaries[i].*` fields, its retry loop — is exercised for real. diglot (src/translate/deepl.ts)
 * calls `translateText`, `getUsage` and the v3 glossary methods `listMultilingualGlossaries`,
 * `createMultilingualGlossary` and `deleteMultilingualGlossary` (a glossary is never changed once
 * made); in deepl-node 1.28 those are `POST /v2/translate`, `GET /v2/usage`, `GET|POST
 * /v3/glossaries` and `DELETE /v3/glossaries/{id}` (and `glossary sync --dry-run`
 * `getMultilingualGlossaryDictionaryEntries`: `GET /v3/glossaries/{id}/entries`). With a style rule configured
 * it also calls `getAllStyleRules` and `createStyleRule` (a style rule is never changed once made
 * either): `GET|POST /v3/style_rules`, JSON bodies. Anything else is a 404.
 *
 * Each translate request's options are recorded as the server received them (formality,
 * model_type, custom_instructions, style_id, tag_handling_version …), so tests assert on the wire.
 *
 * diglot translates German into American or British English, so those are the only languages
 * accepted; the request limits (50 texts, 128 KiB) and glossary entry rules are DeepL's, so a
 * diglot bug that breaks them fails here as it would against DeepL.
 *
 * Translation is fake and deterministic: glossary entries are substituted, then the result is
 * prefixed with `"EN: "`. That lets tests assert exact output without a real MT engine.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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
  /** Only requests with this method consume the fault (e.g. `'PATCH'`). Default: any method. */
  method?: string;
}

/** Kinds of response corruption {@link DeepLServer.corruptNext} can inject. */
export type CorruptionKind = 'fewer-translations' | 'malformed-json' | 'drop-placeholder';

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
  /** Answer every text exactly as sent (no prefix, no glossary): an identity translation. */
  identity?: boolean;
}

/** Translate-specific view of a recorded `POST /v2/translate` request. */
export interface TranslateCall {
  /** The `text` values, in order. */
  texts: string[];
  sourceLang?: string;
  targetLang?: string;
  glossaryId?: string;
  context?: string;
  tagHandling?: string;
  ignoreTags: string[];
  showBilledCharacters: boolean;
  formality?: string;
  modelType?: string;
  /** The `custom_instructions` values, in order. */
  customInstructions: string[];
  styleId?: string;
  tagHandlingVersion?: string;
  /** Characters billed for this request: code points of all texts; 0 unless answered 200. */
  billedCharacters: number;
}

/** One HTTP request as the server saw it. */
export interface RecordedRequest {
  method: string;
  /** URL path without the query string. */
  path: string;
  contentType?: string;
  /** The key from `Authorization: DeepL-Auth-Key <key>`, if present. */
  authKey?: string;
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

/** A stored style rule, as DeepL's v3 API describes one (snake_case, as on the wire). */
export interface StoredStyleRule {
  styleId: string;
  name: string;
  language: string;
  version: number;
  creationTime: string;
  updatedTime: string;
  configuredRules: Record<string, Record<string, string>>;
  customInstructions: Array<{ id: string; label: string; prompt: string; source_language?: string }>;
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
  /** Stored style rules by id. Live, and not cleared by {@link reset}, like {@link glossaries}. */
  readonly styleRules: Map<string, StoredStyleRule>;
  /** Unexpected exceptions inside the server (a bug here, not in the code under test). */
  readonly errors: Error[];
  /** All `POST /v2/translate` requests, whatever their outcome (retries appear separately). */
  translateRequests(): TranslateRequest[];
  /** Resolves as soon as `count` translate requests have arrived since the last {@link reset}. */
  translateRequestsArrived(count: number): Promise<void>;
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
   * (deepl-node throws `DeepLError: Error parsing response JSON`), `'drop-placeholder'` leaves out
   * the first placeholder tag (`<x i="n"/>`) of the first translation that has one, as a model that
   * mangled a token would. Characters are still billed,
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
// What DeepL accepts from diglot. Codes are compared upper-case; deepl-node sends them
// lower-cased with an upper-case region (`de`, `en-GB`).
// ---------------------------------------------------------------------------------------------

const SOURCE_LANGS = new Set(['DE']);
/** Plain `EN` is deprecated and refused by DeepL: diglot must send a variant. */
const TARGET_LANGS = new Set(['EN-GB', 'EN-US']);
/** Glossaries are region-less: the one pair diglot uses. */
const GLOSSARY_PAIR = { source: 'de', target: 'en' };

/** DeepL's documented request limits for text translation. */
const MAX_TEXTS = 50;
const MAX_BODY_BYTES = 128 * 1024;
/** Bodies beyond this are not buffered at all, whatever the endpoint. */
const HARD_BODY_CAP = 16 * 1024 * 1024;
/** What DeepL Pro reports as the limit of an uncapped account. */
const UNLIMITED_CHARACTERS = 1_000_000_000_000;
const PREFIX = 'EN: ';
/** The values DeepL takes for `formality`, `model_type` and `tag_handling_version`. */
const FORMALITIES = new Set(['default', 'more', 'less', 'prefer_more', 'prefer_less']);
const MODEL_TYPES = new Set(['quality_optimized', 'prefer_quality_optimized', 'latency_optimized']);
const TAG_HANDLING_VERSIONS = new Set(['v1', 'v2']);
/** DeepL's limits on a request's custom instructions. */
const MAX_INSTRUCTIONS = 10;
const MAX_INSTRUCTION_CHARS = 300;

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

/** Last value of a parameter. */
function param(params: Params, key: string): string | undefined {
  const values = params[key];
  return values === undefined ? undefined : values[values.length - 1];
}

/** DeepL bills Unicode code points of the source text ("A", "Δ", "深" and "😀" are one each). */
function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
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
 * Translates an XML fragment the way DeepL treats markup (diglot always sends `tag_handling=xml`):
 * tags, attributes, comments and CDATA are copied byte for byte; only text nodes are
 * "translated"; text inside `ignore_tags` elements is left alone; the prefix is inserted once, in
 * front of the first non-whitespace character of the first translatable text node. Text nodes
 * are handled in their escaped form, so `&amp;`/`&lt;` stay exactly as sent; glossary terms are
 * escaped before matching. Malformed XML is a 400, as at DeepL.
 */
function translateXml(raw: string, ignoreTags: ReadonlySet<string>, glossary: TermIndex): string {
  const fail = (detail: string): never => {
    throw new HttpError(400, 'Tag handling parsing failed, please check input.', detail);
  };
  const startTag = /<([A-Za-z_:][-\w:.]*)((?:\s+[A-Za-z_:][-\w:.]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
  const endTag = /<\/([A-Za-z_:][-\w:.]*)\s*>/y;
  const badEntity = /&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/;

  const out: string[] = [];
  const stack: Array<{ name: string; ignored: boolean }> = [];
  let ignoreDepth = 0;
  let prefixed = false;

  const emitText = (text: string): void => {
    if (badEntity.test(text)) fail('unescaped "&" or unknown entity in text');
    if (ignoreDepth > 0) {
      out.push(text);
      return;
    }
    let translated = applyGlossary(text, glossary);
    if (!prefixed && text.trim() !== '') {
      const lead = /^\s*/.exec(translated)?.[0] ?? '';
      translated = lead + PREFIX + translated.slice(lead.length);
      prefixed = true;
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
    } else if (raw.startsWith('</', i)) {
      endTag.lastIndex = i;
      const m = endTag.exec(raw) ?? fail(`malformed end tag at offset ${i}`);
      const name = m[1] ?? '';
      const top = stack.pop();
      if (top === undefined) fail(`unexpected end tag </${name}>`);
      else if (top.name !== name) fail(`end tag </${name}> does not match <${top.name}>`);
      else if (top.ignored) ignoreDepth--;
      out.push(m[0]);
      i += m[0].length;
    } else {
      startTag.lastIndex = i;
      const m = startTag.exec(raw) ?? fail(`malformed tag at offset ${i}`);
      if (badEntity.test(m[2] ?? '')) fail('unescaped "&" or unknown entity in attribute');
      const name = m[1] ?? '';
      if (m[3] !== '/') {
        const ignored = ignoreTags.has(name);
        stack.push({ name, ignored });
        if (ignored) ignoreDepth++;
      }
      out.push(m[0]);
      i += m[0].length;
    }
  }
  if (stack.length > 0) fail(`unclosed tag <${stack[stack.length - 1]?.name ?? ''}>`);
  return out.join('');
}

// ---------------------------------------------------------------------------------------------
// Glossary dictionaries (TSV, as deepl-node sends them) with DeepL-like validation
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

/** Parses and validates TSV dictionary entries; throws {@link HttpError} 400 like DeepL. */
function parseEntries(text: string, format: string): Map<string, string> {
  if (format !== 'tsv') throw new HttpError(400, "Value for 'entries_format' not supported.");
  const entries = new Map<string, string>();
  text.split(/\r\n|\n|\r/).forEach((lineText, idx) => {
    const line = idx + 1;
    if (lineText.length === 0) return; // blank lines are ignored, as deepl-node does too
    const fields = lineText.split('\t');
    if (fields.length !== 2) {
      throw new HttpError(400, `Invalid glossary entries: line ${line} must contain exactly one tab separating source and target.`);
    }
    const [source = '', target = ''] = fields;
    validateTerm(source, 'source', line);
    validateTerm(target, 'target', line);
    if (entries.has(source)) {
      throw new HttpError(400, `Invalid glossary entries: duplicate source term '${source}' in line ${line}.`);
    }
    entries.set(source, target);
  });
  if (entries.size === 0) throw new HttpError(400, 'Invalid glossary entries: no entries provided.');
  return entries;
}

/** One dictionary from its fields; glossaries are region-less, so `en-GB` here is refused as at DeepL. */
function readDictionary(fields: Record<string, string | undefined>): StoredDictionary {
  for (const which of ['source_lang', 'target_lang'] as const) {
    if (fields[which] === undefined || fields[which] === '') throw new HttpError(400, `Parameter '${which}' not specified.`);
  }
  const sourceLang = (fields['source_lang'] ?? '').toLowerCase();
  const targetLang = (fields['target_lang'] ?? '').toLowerCase();
  if (sourceLang !== GLOSSARY_PAIR.source) throw new HttpError(400, "Value for 'source_lang' not supported.");
  if (targetLang !== GLOSSARY_PAIR.target) throw new HttpError(400, "Value for 'target_lang' not supported.");
  const entriesText = fields['entries'];
  if (entriesText === undefined) throw new HttpError(400, "Parameter 'entries' not specified.");
  return { sourceLang, targetLang, entries: parseEntries(entriesText, fields['entries_format'] ?? 'tsv') };
}

/** Reads the `dictionaries[i].*` form fields of a create request, in index order. */
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
  const dictionaries = [...byIndex.keys()].sort((a, b) => a - b).map((index) => readDictionary(byIndex.get(index) ?? {}));
  if (dictionaries.length > 1)
    throw new HttpError(400, `Duplicate dictionary for language pair ${GLOSSARY_PAIR.source}-${GLOSSARY_PAIR.target}.`);
  return dictionaries;
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
  method?: string;
}

/**
 * Starts a fake DeepL API on `127.0.0.1` at a random free port.
 *
 * ```ts
 * const server = await startDeepLServer();
 * const client = new deepl.DeepLClient('test-key', { serverUrl: server.url, maxRetries: 2, minTimeout: 200 });
 * ```
 */
export async function startDeepLServer(options: DeepLServerOptions = {}): Promise<DeepLServer> {
  const validKeys = options.validKeys === undefined ? undefined : new Set(options.validKeys);
  const rejectKeys = new Set(
    options.rejectKey === undefined ? [] : typeof options.rejectKey === 'string' ? [options.rejectKey] : options.rejectKey,
  );

  const requests: RecordedRequest[] = [];
  const glossaries = new Map<string, StoredGlossary>();
  const styleRules = new Map<string, StoredStyleRule>();
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
  /** Tests waiting for a number of translate requests to arrive. */
  let arrivals: Array<{ count: number; resolve: () => void }> = [];
  const translateCount = (): number => requests.filter((r) => r.translate !== undefined).length;
  const notifyArrivals = (): void => {
    const n = translateCount();
    for (const a of arrivals.filter((w) => w.count <= n)) a.resolve();
    arrivals = arrivals.filter((w) => w.count > n);
  };

  /**
   * Counts resets: a translate request that arrived before the last one (still asleep in its
   * latency, from an earlier test that gave up on it) takes none of the faults and corruptions
   * set up since, which are meant for the requests that follow.
   */
  let generation = 0;
  const restoreDefaults = (): void => {
    generation++;
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

  const takeFault = (path: string, method: string): Fault | undefined => {
    const index = faults.findIndex(
      (f) => (f.path === undefined || path.startsWith(f.path)) && (f.method === undefined || f.method === method),
    );
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
    const text = status === 204 ? '' : (rawBody ?? JSON.stringify(body));
    const allHeaders: Record<string, string> = {
      ...(status === 204 ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      'content-length': String(Buffer.byteLength(text)),
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

  /** The translations with the first placeholder tag of the first one that has one left out. */
  const dropPlaceholder = (translations: Array<Record<string, unknown>>): Array<Record<string, unknown>> => {
    const at = translations.findIndex((t) => /<x i="\d+"\/>/.test(String(t['text'])));
    return translations.map((t, i) => (i === at ? { ...t, text: String(t['text']).replace(/<x i="\d+"\/>/, '') } : t));
  };

  const handleTranslate = async (res: ServerResponse, record: RecordedRequest, call: TranslateCall): Promise<void> => {
    if (inFlight >= concurrencyCap) {
      sendError(res, record, 429, 'Too many requests (concurrency cap of test server)');
      return;
    }
    inFlight++;
    peak = Math.max(peak, inFlight);
    const arrivedIn = generation;
    try {
      await sleep(latencyMs + (latencyPerKbMs * record.bodyBytes) / 1024);
      if (hold) await hold.promise;
      if (closed) return;
      const current = arrivedIn === generation;
      const fault = current ? takeFault(record.path, record.method) : undefined;
      if (fault !== undefined) {
        sendFault(res, record, fault);
        return;
      }
      const body = translate(call);
      call.billedCharacters = body.billed;
      characterCount += body.billed;
      const translations = body.translations;
      const corruption = current ? takeCorruption() : undefined;
      if (corruption === 'malformed-json') {
        const json = JSON.stringify({ translations });
        send(res, record, 200, undefined, {}, json.slice(0, Math.max(1, Math.floor(json.length / 2))));
      } else {
        send(res, record, 200, {
          translations:
            corruption === 'fewer-translations'
              ? translations.slice(0, -1)
              : corruption === 'drop-placeholder'
                ? dropPlaceholder(translations)
                : translations,
        });
      }
    } finally {
      inFlight--;
    }
  };

  /** Validates a translate request like DeepL and returns the response body. */
  const translate = (call: TranslateCall): { translations: Array<Record<string, unknown>>; billed: number } => {
    const texts = call.texts;
    if (texts.length === 0) throw new HttpError(400, "Parameter 'text' not specified.");
    if (texts.length > MAX_TEXTS)
      throw new HttpError(413, `Too many texts in request: ${texts.length} (at most ${MAX_TEXTS} are allowed).`);
    const target = call.targetLang?.toUpperCase();
    if (target === undefined || target === '') throw new HttpError(400, "Parameter 'target_lang' not specified.");
    if (!TARGET_LANGS.has(target)) throw new HttpError(400, "Value for 'target_lang' not supported.");
    const source = call.sourceLang?.toUpperCase();
    if (source !== undefined && !SOURCE_LANGS.has(source)) throw new HttpError(400, "Value for 'source_lang' not supported.");
    if (call.tagHandling !== undefined && call.tagHandling !== 'xml') throw new HttpError(400, "Value for 'tag_handling' not supported.");
    if (call.formality !== undefined) {
      if (!FORMALITIES.has(call.formality)) throw new HttpError(400, "Value for 'formality' not supported.");
      // DeepL documents formality for other target languages than English: only the prefer_ values pass.
      if (call.formality === 'more' || call.formality === 'less')
        throw new HttpError(400, "'formality' is not supported for given 'target_lang'.");
    }
    if (call.modelType !== undefined && !MODEL_TYPES.has(call.modelType)) throw new HttpError(400, "Value for 'model_type' not supported.");
    if (call.tagHandlingVersion !== undefined && !TAG_HANDLING_VERSIONS.has(call.tagHandlingVersion))
      throw new HttpError(400, "Value for 'tag_handling_version' not supported.");
    if (call.customInstructions.length > MAX_INSTRUCTIONS)
      throw new HttpError(400, `Too many custom instructions: at most ${MAX_INSTRUCTIONS} are allowed.`);
    if (call.customInstructions.some((i) => codePoints(i) > MAX_INSTRUCTION_CHARS))
      throw new HttpError(400, `A custom instruction is longer than ${MAX_INSTRUCTION_CHARS} characters.`);
    if (call.styleId !== undefined && !styleRules.has(call.styleId)) throw new HttpError(400, "Value for 'style_id' not found.");

    const terms = new Map<string, string>();
    if (call.glossaryId !== undefined) {
      if (source === undefined) throw new HttpError(400, 'Use of a glossary requires the source_lang parameter to be set.');
      const dict = getGlossary(call.glossaryId).dictionaries[0];
      if (dict === undefined) throw new HttpError(400, 'No dictionary found for language pair de-en in glossary');
      for (const [s, t] of dict.entries) terms.set(s, t);
    }

    let translated: string[];
    if (options.identity) {
      translated = [...texts];
    } else if (call.tagHandling === undefined) {
      const index = buildTermIndex([...terms].map(([s, t]) => ({ source: s, target: t })));
      translated = texts.map((t) => PREFIX + applyGlossary(t, index));
    } else {
      // Text nodes are matched in their escaped form, so escape the terms the same way.
      const index = buildTermIndex([...terms].map(([s, t]) => ({ source: escapeXmlText(s), target: escapeXmlText(t) })));
      const ignoreTags = new Set(call.ignoreTags);
      translated = texts.map((t) => translateXml(t, ignoreTags, index));
    }

    // Billing: code points of every text exactly as sent (tags included when tag_handling is
    // set; DeepL's own accounting of markup is not documented precisely). `context` is free.
    const billedPerText = texts.map(codePoints);
    const billed = billedPerText.reduce((a, b) => a + b, 0);
    if (characterCount + billed > characterLimit) throw new HttpError(456, 'Quota exceeded');
    return {
      billed,
      translations: translated.map((text, i) => ({
        detected_source_language: source ?? 'DE',
        text,
        ...(call.showBilledCharacters ? { billed_characters: billedPerText[i] ?? 0 } : {}),
      })),
    };
  };

  // ------------------------------------------------------------------ glossaries (v3)

  const handleGlossaries = (method: string, path: string, params: Params): { status: number; body?: unknown } => {
    if (path === '/v3/glossaries' && method === 'GET') {
      return { status: 200, body: { glossaries: [...glossaries.values()].map(glossaryInfoJson) } };
    }
    if (path === '/v3/glossaries' && method === 'POST') {
      const name = param(params, 'name');
      if (name === undefined || name === '') throw new HttpError(400, "Parameter 'name' not specified.");
      const dictionaries = readDictionaries(params);
      if (dictionaries.length === 0) throw new HttpError(400, "Parameter 'dictionaries' not specified.");
      const g: StoredGlossary = { glossaryId: randomUUID(), name, creationTime: new Date().toISOString(), dictionaries };
      glossaries.set(g.glossaryId, g);
      return { status: 201, body: glossaryInfoJson(g) };
    }
    const m = /^\/v3\/glossaries\/([^/]+)(\/entries)?$/.exec(path);
    if (m === null) throw new HttpError(404, 'Not found');
    const g = getGlossary(decodeURIComponent(m[1] ?? ''));
    if (m[2] === undefined && method === 'DELETE') {
      glossaries.delete(g.glossaryId);
      return { status: 204 };
    }
    if (m[2] === '/entries' && method === 'GET') {
      // deepl-node's getMultilingualGlossaryDictionaryEntries: one pair's entries as TSV.
      const source = (param(params, 'source_lang') ?? '').toLowerCase();
      const target = (param(params, 'target_lang') ?? '').toLowerCase();
      const d = g.dictionaries.find((x) => x.sourceLang === source && x.targetLang === target);
      if (d === undefined) throw new HttpError(404, 'Glossary dictionary not found');
      const entries = [...d.entries].map(([s, t]) => `${s}\t${t}`).join('\n');
      return { status: 200, body: { dictionaries: [{ ...dictionaryInfoJson(d), entries, entries_format: 'tsv' }] } };
    }
    throw new HttpError(405, 'Method not allowed');
  };

  // ------------------------------------------------------------------ style rules (v3)

  /** A JSON object, or a 400 naming what it should have been. */
  const object = (value: unknown, what: string): Record<string, unknown> => {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new HttpError(400, `Invalid ${what}: expected an object.`);
    return value as Record<string, unknown>;
  };

  const readConfiguredRules = (value: unknown): Record<string, Record<string, string>> => {
    const rules: Record<string, Record<string, string>> = {};
    for (const [category, entries] of Object.entries(object(value ?? {}, 'configured_rules'))) {
      const values = object(entries, `configured_rules.${category}`);
      for (const [rule, v] of Object.entries(values))
        if (typeof v !== 'string') throw new HttpError(400, `Invalid configured_rules.${category}.${rule}: expected a string.`);
      rules[category] = values as Record<string, string>;
    }
    return rules;
  };

  const readInstruction = (value: unknown): StoredStyleRule['customInstructions'][number] => {
    const { label, prompt, source_language } = object(value, 'custom instruction');
    if (typeof label !== 'string' || label === '') throw new HttpError(400, "Parameter 'label' not specified.");
    if (typeof prompt !== 'string' || prompt === '') throw new HttpError(400, "Parameter 'prompt' not specified.");
    if (codePoints(prompt) > MAX_INSTRUCTION_CHARS)
      throw new HttpError(400, `A custom instruction is longer than ${MAX_INSTRUCTION_CHARS} characters.`);
    return { id: randomUUID(), label, prompt, ...(typeof source_language === 'string' ? { source_language } : {}) };
  };

  const styleRuleJson = (rule: StoredStyleRule, detailed: boolean): Record<string, unknown> => ({
    style_id: rule.styleId,
    name: rule.name,
    creation_time: rule.creationTime,
    updated_time: rule.updatedTime,
    language: rule.language,
    version: rule.version,
    ...(detailed ? { configured_rules: rule.configuredRules, custom_instructions: rule.customInstructions } : {}),
  });

  const handleStyleRules = (method: string, path: string, params: Params, json: unknown): { status: number; body?: unknown } => {
    if (path === '/v3/style_rules' && method === 'GET') {
      const page = Number(param(params, 'page') ?? 0);
      const size = Math.min(25, Number(param(params, 'page_size') ?? 10));
      const detailed = param(params, 'detailed') === 'true';
      const all = [...styleRules.values()].slice(page * size, (page + 1) * size);
      return { status: 200, body: { style_rules: all.map((r) => styleRuleJson(r, detailed)) } };
    }
    if (path === '/v3/style_rules' && method === 'POST') {
      const body = object(json, 'body');
      if (typeof body['name'] !== 'string' || body['name'] === '') throw new HttpError(400, "Parameter 'name' not specified.");
      if (typeof body['language'] !== 'string' || body['language'] === '') throw new HttpError(400, "Parameter 'language' not specified.");
      const instructions = body['custom_instructions'] ?? [];
      if (!Array.isArray(instructions)) throw new HttpError(400, 'Invalid custom_instructions: expected a list.');
      const now = new Date().toISOString();
      const rule: StoredStyleRule = {
        styleId: randomUUID(),
        name: body['name'],
        language: body['language'],
        version: 1,
        creationTime: now,
        updatedTime: now,
        configuredRules: readConfiguredRules(body['configured_rules']),
        customInstructions: instructions.map(readInstruction),
      };
      styleRules.set(rule.styleId, rule);
      return { status: 200, body: styleRuleJson(rule, true) };
    }
    throw new HttpError(404, 'Not found');
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

    const contentType = req.headers['content-type'];
    const authMatch = /^DeepL-Auth-Key\s+(\S.*?)\s*$/i.exec(req.headers['authorization'] ?? '');
    const record: RecordedRequest = {
      method,
      path,
      ...(contentType !== undefined ? { contentType } : {}),
      ...(authMatch?.[1] !== undefined ? { authKey: authMatch[1] } : {}),
      bodyBytes,
      status: 0,
      aborted: false,
      receivedAt,
    };
    requests.push(record);
    res.on('close', () => {
      if (!res.writableFinished) record.aborted = true;
    });

    // deepl-node sends every call diglot makes as application/x-www-form-urlencoded.
    const params: Params = {};
    const form = new URLSearchParams(bodyBytes <= HARD_BODY_CAP ? Buffer.concat(chunks).toString('utf8') : '');
    for (const [key, value] of [...url.searchParams, ...form]) (params[key] ??= []).push(value);
    const formBody = bodyBytes === 0 || (contentType ?? '').startsWith('application/x-www-form-urlencoded');
    // The style rule calls send JSON.
    const jsonBody = bodyBytes > 0 && bodyBytes <= HARD_BODY_CAP && (contentType ?? '').startsWith('application/json');

    if (path === '/v2/translate') {
      const p = (k: string): string | undefined => param(params, k);
      const sourceLang = p('source_lang');
      const targetLang = p('target_lang');
      const glossaryId = p('glossary_id');
      const context = p('context');
      const tagHandling = p('tag_handling');
      const formality = p('formality');
      const modelType = p('model_type');
      const styleId = p('style_id');
      const tagHandlingVersion = p('tag_handling_version');
      record.translate = {
        texts: [...(params['text'] ?? [])],
        ...(sourceLang !== undefined ? { sourceLang } : {}),
        ...(targetLang !== undefined ? { targetLang } : {}),
        ...(glossaryId !== undefined ? { glossaryId } : {}),
        ...(context !== undefined ? { context } : {}),
        ...(tagHandling !== undefined ? { tagHandling } : {}),
        ignoreTags: (params['ignore_tags'] ?? [])
          .flatMap((v) => v.split(','))
          .map((v) => v.trim())
          .filter((v) => v !== ''),
        showBilledCharacters: ['1', 'true'].includes(p('show_billed_characters') ?? ''),
        ...(formality !== undefined ? { formality } : {}),
        ...(modelType !== undefined ? { modelType } : {}),
        customInstructions: [...(params['custom_instructions'] ?? [])],
        ...(styleId !== undefined ? { styleId } : {}),
        ...(tagHandlingVersion !== undefined ? { tagHandlingVersion } : {}),
        billedCharacters: 0,
      };
      notifyArrivals();
    }

    // Size limits are enforced at DeepL's edge, before authentication.
    if (bodyBytes > HARD_BODY_CAP || (path === '/v2/translate' && bodyBytes > MAX_BODY_BYTES)) {
      sendError(res, record, 413, 'Request Entity Too Large');
      return;
    }

    try {
      // Authentication comes first, as on the real API.
      const key = record.authKey;
      if (key === undefined) throw new HttpError(403, 'Missing or malformed Authorization header (expected "DeepL-Auth-Key <key>").');
      if (rejectKeys.has(key) || (validKeys !== undefined && !validKeys.has(key))) throw new HttpError(403, 'Invalid authentication key.');
      const styleRulePath = path === '/v3/style_rules' || path.startsWith('/v3/style_rules/');
      if (!formBody && !(styleRulePath && jsonBody)) throw new HttpError(400, `Unsupported content type '${contentType ?? ''}'.`);
      if (record.translate !== undefined) {
        if (method !== 'POST') throw new HttpError(405, 'Method not allowed');
        await handleTranslate(res, record, record.translate);
        return;
      }
      const fault = takeFault(path, method);
      if (fault !== undefined) {
        sendFault(res, record, fault);
        return;
      }
      if (path === '/v2/usage' && method === 'GET') {
        send(res, record, 200, { character_count: characterCount, character_limit: characterLimit });
        return;
      }
      if (path === '/v3/glossaries' || path.startsWith('/v3/glossaries/')) {
        const { status, body } = handleGlossaries(method, path, params);
        send(res, record, status, body);
        return;
      }
      if (styleRulePath) {
        let json: unknown = {};
        if (jsonBody) {
          try {
            json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            throw new HttpError(400, 'Invalid JSON body.');
          }
        }
        const { status, body } = handleStyleRules(method, path, params, json);
        send(res, record, status, body);
        return;
      }
      throw new HttpError(404, 'Not found');
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

  // deepl-node keeps its connections alive in one agent for the whole process, from test to test: a server that closes
  // an idle one after Node's 5 s races the client's next request on it (ECONNRESET, which tests run without retries
  // do not survive on a loaded machine). This one never closes them; `close` drops them all.
  server.keepAliveTimeout = 0;
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
    styleRules,
    errors,
    translateRequests: () => requests.filter((r): r is TranslateRequest => r.translate !== undefined),
    translateRequestsArrived: (count) =>
      count <= translateCount() ? Promise.resolve() : new Promise<void>((resolve) => arrivals.push({ count, resolve })),
    billedCharacters: () =>
      requests.reduce((sum, r) => sum + (r.status === 200 && r.translate !== undefined ? r.translate.billedCharacters : 0), 0),
    textsSent: ({ includeFailed = false } = {}) =>
      requests.filter((r) => r.translate !== undefined && (includeFailed || r.status === 200)).flatMap((r) => r.translate?.texts ?? []),
    usage: () => ({ characterCount, characterLimit }),
    failNext: (status, times = 1, opts = {}) => {
      if (times <= 0) return;
      faults.push({
        status,
        remaining: times,
        ...(opts.retryAfter !== undefined ? { retryAfter: opts.retryAfter } : {}),
        ...(opts.path !== undefined ? { path: opts.path } : {}),
        ...(opts.method !== undefined ? { method: opts.method } : {}),
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
