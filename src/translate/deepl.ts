import { STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import * as deepl from 'deepl-node';
import type { DeepLSettings, StyleRuleSettings } from '../config/config.js';
import { EXIT, EngineError } from '../util/errors.js';
import { escapeRegExp } from '../text/escape.js';
import { counted } from '../util/format-count.js';
import { sha256 } from '../util/hash.js';
import type { Engine, EngineRequest, EngineResult, EngineUsage } from './engine.js';
import { checkServerUrl, shownServerUrl } from './check-server-url.js';
import { settingsHash, styleRuleHash } from './settings-hash.js';

/** Options for the DeepL engine. Only `authKey` is required. */
export interface DeepLEngineOptions {
  authKey: string;
  /** DeepL or a DeepL-compatible server (a proxy, the test server): an http:// or https:// URL. */
  serverUrl?: string;
  sourceLang: 'de';
  targetLang: 'en-US' | 'en-GB';
  /** Prefix of the names of this project's glossaries and style rules, e.g. `diglot/my-edition`. */
  glossaryPrefix: string;
  /** DeepL's own controls (the config's `deepl`), sent with every request. */
  settings?: DeepLSettings;
  /** Attempts per request after the first; 429, 5xx and connection failures are retried (see {@link isRetryable}). */
  retries?: number;
  /**
   * First back-off delay; doubles each retry, capped at 60 s. A 429's or 503's Retry-After header
   * is not read: deepl-node 1.28 gives its callers no response headers.
   */
  retryBaseMs?: number;
  /** Per-attempt HTTP timeout. */
  timeoutMs?: number;
  /** Called before each retry, for the progress log. */
  onRetry?: (message: string) => void;
  /** The clock, in ms (default `Date.now`): a glossary is stale a day after it was made. */
  now?: () => number;
}

/** How long after it was made another glossary of the project may still be in use by a build elsewhere. */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/** What `syncGlossary` did (or, with dryRun, would do). */
export interface GlossarySync {
  action: 'none' | 'unchanged' | 'created';
  name: string;
  /** The glossary of these entries: used by the requests (absent in a dry run that would create it). */
  id: string | undefined;
  /** The project's newest other glossary: what DeepL held before, when the entries changed. */
  previous?: { id: string; name: string };
  /** The project's other glossaries made more than a day ago: deleted when `deleted` is true. */
  stale: Array<{ id: string; name: string }>;
  /** The project's other glossaries made within the last day, kept: a build elsewhere may be using one. */
  recent: number;
  deleted: boolean;
  /** Glossaries of other projects or people, left alone. */
  foreign: number;
}

/** What `syncStyleRule` did. */
export interface StyleRuleSync {
  action: 'unchanged' | 'created';
  name: string;
  id: string;
}

/** Style rules listed per page (DeepL's largest page). */
const STYLE_RULE_PAGE = 25;

/**
 * The DeepL engine: the only module that imports deepl-node. Sends `sourceLang` always (a
 * glossary needs it), tag handling XML, the glossary id when there is one, the configured
 * settings (formality, model type, custom instructions, style rule, tag handling version), and turns every
 * deepl-node error into an `EngineError` whose message never contains the key. A server URL
 * without http:// or https:// is an `InputError` at once (deepl-node would fail every request
 * with it as a connection failure).
 */
export class DeepLEngine implements Engine {
  readonly name = 'deepl';
  private readonly client: deepl.DeepLClient;
  /** The server requests go to, for messages: the one given, else deepl-node's default for the key. */
  private readonly serverUrl: string;
  /** The id of the glossary every request carries, once `prepare` has run. */
  private glossaryId: string | undefined;
  /** The id of the style rule every request carries, once `prepare` has run (with a style rule configured). */
  private styleId: string | undefined;

  constructor(private readonly options: DeepLEngineOptions) {
    if (options.serverUrl) checkServerUrl(options.serverUrl);
    this.serverUrl = options.serverUrl
      ? shownServerUrl(options.serverUrl)
      : options.authKey.endsWith(':fx')
        ? 'https://api-free.deepl.com'
        : 'https://api.deepl.com';
    this.client = new deepl.DeepLClient(options.authKey, {
      ...(options.serverUrl ? { serverUrl: options.serverUrl } : {}),
      // deepl-node's own back-off is fixed (1 s, then ×1.6) and says nothing while it waits; with
      // maxRetries 1 it makes one attempt and this class does the retrying, tunable and logged.
      maxRetries: 1,
      minTimeout: options.timeoutMs ?? 30_000,
      sendPlatformInfo: false,
      appInfo: { appName: 'diglot', appVersion: '0.1.0' },
    });
  }

  async prepare(entries: ReadonlyArray<[string, string]>): Promise<void> {
    await this.syncGlossary(entries, { dryRun: false, deleteStale: false });
    const rule = this.options.settings?.styleRule;
    if (rule) await this.syncStyleRule(rule);
  }

  settingsHash(entries: ReadonlyArray<[string, string]>): string {
    return settingsHash(this.options.settings ?? {}, entries);
  }

  /**
   * Brings the project's style rule on DeepL in line with `rule`, as `syncGlossary` does the
   * glossary: its name carries a hash of the content, so an unchanged rule costs the listing and
   * nothing else, and a changed one gets a style rule of its own (one is never changed once made:
   * a build elsewhere may be using it). Style rules not named with the project's prefix are never touched.
   */
  async syncStyleRule(rule: StyleRuleSettings): Promise<StyleRuleSync> {
    const name = `${this.options.glossaryPrefix} #${styleRuleHash(rule)}`;
    const all: deepl.StyleRuleInfo[] = [];
    for (let page = 0; page < 100; page++) {
      const got = await this.call('listing style rules', () => this.client.getAllStyleRules(page, STYLE_RULE_PAGE, true));
      all.push(...got);
      if (got.length < STYLE_RULE_PAGE) break;
    }
    const instructions = rule.customInstructions.map((i) => ({
      label: i.label,
      prompt: i.prompt,
      ...(i.sourceLanguage ? { source_language: i.sourceLanguage } : {}),
    }));
    const current = all.find((r) => r.name === name);
    let sync: StyleRuleSync;
    if (current) {
      sync = { action: 'unchanged', name, id: current.styleId };
    } else {
      const created = await this.call('creating the style rule', () =>
        this.client.createStyleRule({
          name,
          language: 'en',
          configured_rules: rule.configuredRules,
          ...(instructions.length > 0 ? { custom_instructions: instructions } : {}),
        }),
      );
      sync = { action: 'created', name, id: created.styleId };
    }
    this.styleId = sync.id;
    return sync;
  }

  /**
   * Brings the project's DeepL glossary in line with `entries`. A glossary is named with a hash
   * of its entries and never changed once made: an unchanged file costs one list request and
   * nothing else, a changed one gets a glossary of its own. So a build never sees its glossary's
   * entries change under it, whichever other clone or project of the same title syncs meanwhile
   * (a glossary replaced in place would translate the rest of that build with the other's terms).
   * The project's other glossaries are stale: with `deleteStale`, those made more than a day ago
   * are deleted (a younger one may be in use by a build elsewhere); glossaries not named with the
   * project's prefix are never touched.
   */
  async syncGlossary(entries: ReadonlyArray<[string, string]>, options: { dryRun: boolean; deleteStale: boolean }): Promise<GlossarySync> {
    const name = glossaryName(this.options.glossaryPrefix, entries);
    const all = await this.call('listing glossaries', () => this.client.listMultilingualGlossaries());
    const own = all
      .filter((g) => g.name.startsWith(`${this.options.glossaryPrefix} #`))
      .sort((a, b) => b.creationTime.getTime() - a.creationTime.getTime());
    const foreign = all.length - own.length;
    let current = own.find((g) => g.name === name);
    const previous = own.find((g) => g !== current);
    const action: GlossarySync['action'] = entries.length === 0 ? 'none' : current ? 'unchanged' : 'created';
    if (action === 'created' && !options.dryRun) {
      const dictionary: deepl.MultilingualGlossaryDictionaryEntries = {
        sourceLangCode: this.options.sourceLang,
        targetLangCode: 'en',
        entries: new deepl.GlossaryEntries({ entries: Object.fromEntries(entries) }),
      };
      current = await this.call('creating the glossary', () => this.client.createMultilingualGlossary(name, [dictionary]));
    }
    const others = own.filter((g) => g !== current);
    const staleBefore = (this.options.now?.() ?? Date.now()) - STALE_AFTER_MS;
    const stale = others.filter((g) => g.creationTime.getTime() < staleBefore);
    if (options.deleteStale && !options.dryRun) {
      for (const g of stale) await this.call('deleting a stale glossary', () => this.client.deleteMultilingualGlossary(g));
    }
    this.glossaryId = action === 'none' ? undefined : current?.glossaryId;
    return {
      action,
      name,
      id: current?.glossaryId,
      ...(previous ? { previous: { id: previous.glossaryId, name: previous.name } } : {}),
      stale: stale.map((g) => ({ id: g.glossaryId, name: g.name })),
      recent: others.length - stale.length,
      deleted: options.deleteStale && !options.dryRun,
      foreign,
    };
  }

  /** The German → English entries of a glossary's dictionary as DeepL holds them (for `glossary sync --dry-run`). */
  async glossaryEntries(id: string): Promise<Array<[string, string]>> {
    const dictionary = await this.call('reading the glossary', () =>
      this.client.getMultilingualGlossaryDictionaryEntries(id, this.options.sourceLang, 'en'),
    );
    return Object.entries(dictionary.entries.entries());
  }

  async translate(request: EngineRequest): Promise<EngineResult[]> {
    const settings = this.options.settings ?? {};
    const options: deepl.TranslateTextOptions = {
      tagHandling: 'xml',
      ignoreTags: ['code'],
      // A link's or picture's title travels in its own <title> after the text (text/inline-xml.ts): a sentence apart.
      splittingTags: ['title'],
      ...(request.context ? { context: request.context } : {}),
      ...(this.glossaryId ? { glossary: this.glossaryId } : {}),
      ...(settings.formality ? { formality: settings.formality } : {}),
      ...(settings.modelType ? { modelType: settings.modelType } : {}),
      ...(settings.customInstructions?.length ? { customInstructions: settings.customInstructions } : {}),
      ...(this.styleId ? { styleRule: this.styleId } : {}),
      ...(settings.tagHandlingVersion ? { tagHandlingVersion: settings.tagHandlingVersion } : {}),
    };
    const results = await this.call(
      'translating',
      () => this.client.translateText(request.texts, this.options.sourceLang, this.options.targetLang, options),
      request.signal,
      request.texts.reduce((sum, text) => sum + [...text].length, 0),
    );
    if (!Array.isArray(results) || results.length !== request.texts.length) {
      throw new EngineError(
        `DeepL answered with ${Array.isArray(results) ? results.length : 'no'} translations for ${request.texts.length} texts; nothing from this response was stored`,
        EXIT.network,
        'finished batches are kept in the memory; the next run sends this one again',
      );
    }
    return results.map((r) => ({ text: r.text, billedCharacters: r.billedCharacters ?? [...r.text].length }));
  }

  async usage(): Promise<EngineUsage> {
    const usage = await this.call('reading usage', () => this.client.getUsage());
    return { characterCount: usage.character?.count ?? 0, characterLimit: usage.character?.limit };
  }

  /**
   * Runs a deepl-node call with retries and maps its errors to `EngineError`s. Once `signal` is
   * aborted no attempt is made (a retry would be billed after the user stopped the run). A call
   * that bills (`billing`: the characters it sends) is not sent again after a timeout: DeepL had
   * it, and may have done the work and billed it, however late its answer (a slow DeepL would
   * bill each retry of a long request again, past `--max-characters`, for nothing).
   */
  private async call<T>(what: string, run: () => Promise<T>, signal?: AbortSignal, billing?: number): Promise<T> {
    const retries = this.options.retries ?? 4;
    const base = this.options.retryBaseMs ?? 1000;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw new EngineError(`interrupted while ${what}: nothing more was sent`, EXIT.interrupted);
      try {
        return await run();
      } catch (error) {
        if (billing !== undefined && timedOut(error))
          throw new EngineError(
            `${this.failure(error, what)} (${counted(billing, 'character')}): DeepL may have billed them all the same, ` +
              'so they are not sent again in this run',
            EXIT.network,
            'finished batches are kept in the memory; the next run sends it again (raise DIGLOT_TIMEOUT_MS if DeepL is slow)',
          );
        if (!isRetryable(error) || attempt >= retries) throw this.wrap(error, what, attempt, billing !== undefined);
        // Retry-After is not honoured: deepl-node 1.28 does not pass response headers to its callers.
        const delay = Math.min(60_000, base * 2 ** attempt);
        this.options.onRetry?.(`${this.failure(error, what)}; retry ${attempt + 1} of ${retries} in ${Math.round(delay)} ms`);
        await sleep(delay, undefined, signal ? { signal } : {}).catch(() => undefined);
      }
    }
  }

  /**
   * One failed attempt in words, for the retry warnings: the status and DeepL's message when the
   * server answered (`DeepL answered HTTP 502 (Bad Gateway) while translating`, `…: <message>`),
   * else why it could not be reached. Never an empty field.
   */
  private failure(error: unknown, what: string): string {
    if (timedOut(error)) return `DeepL at ${this.serverUrl} did not answer within ${this.options.timeoutMs ?? 30_000} ms while ${what}`;
    if (error instanceof deepl.ConnectionError) return `cannot reach DeepL at ${this.serverUrl} while ${what}: ${connectionDetail(error)}`;
    const answer = describeAnswer(error);
    if (!answer) return `DeepL failed while ${what}: ${this.detail(error)}`;
    const said = answer.message === undefined ? '' : `: ${this.clean(answer.message)}`;
    return `DeepL answered HTTP ${answer.status} (${answer.statusName}) while ${what}${said}`;
  }

  /** What deepl-node says of a failure, without its empty fields and with the key removed. */
  private detail(error: unknown): string {
    if (error instanceof deepl.ConnectionError) return this.clean(connectionDetail(error));
    const answer = describeAnswer(error);
    if (answer) return this.clean(answer.message ?? `HTTP ${answer.status} ${answer.statusName}`);
    return this.clean(error instanceof Error ? error.message || error.name : String(error));
  }

  /** A failure as the user reads it; `translating`: a call that sends texts, after which finished batches are kept. */
  private wrap(error: unknown, what: string, attempt: number, translating: boolean): EngineError {
    // What a stop keeps is said where texts were being translated; a glossary or usage call has translated nothing.
    const kept = (advice: string): string => (translating ? `${advice}; finished batches are kept in the memory` : advice);
    if (error instanceof deepl.AuthorizationError) {
      return new EngineError(
        'DeepL rejected the key (HTTP 403)',
        EXIT.auth,
        'check DEEPL_AUTH_KEY (and DEEPL_SERVER_URL: Free-plan keys end in ":fx")',
      );
    }
    if (error instanceof deepl.QuotaExceededError) {
      return new EngineError(
        'DeepL quota exceeded (HTTP 456): the account has no characters left this billing period',
        EXIT.quota,
        kept('run `diglot estimate` to see usage'),
      );
    }
    if (error instanceof deepl.TooManyRequestsError) {
      return new EngineError(
        `DeepL kept answering "too many requests" (HTTP 429) while ${what}, after ${counted(attempt + 1, 'attempt')}`,
        EXIT.network,
        kept('lower "concurrency" in diglot.config.json or try again later'),
      );
    }
    if (timedOut(error))
      return new EngineError(
        `${this.failure(error, what)}, ${counted(attempt + 1, 'time')}`,
        EXIT.network,
        kept('try again later, or raise DIGLOT_TIMEOUT_MS if DeepL is slow'),
      );
    if (error instanceof deepl.ConnectionError) {
      return new EngineError(
        `cannot reach DeepL at ${this.serverUrl} while ${what} after ${counted(attempt + 1, 'attempt')}: ${this.detail(error)}`,
        EXIT.network,
        kept('check the network or DEEPL_SERVER_URL'),
      );
    }
    if (error instanceof EngineError) return error;
    const status = httpStatus(error);
    const message = describeAnswer(error)?.message;
    const said = message === undefined ? '' : `: ${this.clean(message)}`;
    if (status === 404) {
      return new EngineError(
        `the DeepL server at ${this.serverUrl} answered HTTP 404 (not found) while ${what}${said}`,
        EXIT.network,
        "check DEEPL_SERVER_URL: it is the server's base URL, without /v2 (e.g. https://api.deepl.com)",
      );
    }
    if (status !== undefined && status >= 500) {
      return new EngineError(
        `DeepL failed while ${what} after ${counted(attempt + 1, 'attempt')} (HTTP ${status} from ${this.serverUrl})${said}`,
        EXIT.network,
        kept('try again later'),
      );
    }
    return new EngineError(
      status === undefined
        ? `DeepL failed while ${what}: ${this.detail(error)}`
        : `DeepL failed while ${what} (HTTP ${status} from ${this.serverUrl})${said}`,
      EXIT.network,
      kept('try again later'),
    );
  }

  /** Removes the key from any text that might echo it: where it stands as a word of its own (a short key is no piece of "exceeded"). */
  private clean(text: string): string {
    const key = this.options.authKey;
    if (!key) return text;
    return text.replace(new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(key)}(?![A-Za-z0-9])`, 'g'), '[key]');
  }
}

/**
 * Whether a failed call may succeed when sent again, told by deepl-node's error classes: too many
 * requests (429), a connection failure (refused, reset, timed out: the URL itself was checked
 * when the engine was made) and a server error (5xx). Authorization (403), quota (456), a missing
 * glossary, invalid arguments, any other 4xx and a response that does not parse are final.
 */
function isRetryable(error: unknown): boolean {
  if (error instanceof deepl.TooManyRequestsError || error instanceof deepl.ConnectionError) return true;
  const status = httpStatus(error);
  return status !== undefined && status >= 500;
}

/**
 * The HTTP status behind a plain `DeepLError` (403, 456 and 429 have their own classes, as has a
 * 404 for a glossary id, which says nothing about the URL); see {@link describeAnswer}.
 */
function httpStatus(error: unknown): number | undefined {
  if (!(error instanceof deepl.DeepLError) || error.constructor !== deepl.DeepLError) return undefined;
  return describeAnswer(error)?.status;
}

/** An HTTP answer behind a deepl-node error: its status, the status's name, and DeepL's message when it sent one. */
export interface DeepLAnswer {
  status: number;
  statusName: string;
  /** The server's `message` and `detail` (joined by ": "), or the text of a body that is not JSON; absent when empty. */
  message?: string;
}

/**
 * The opening words deepl-node 1.28's `checkStatusCode` gives each status (then `, message: M`,
 * `, detail: D` from a JSON body, or `, ` and the raw body; an unlisted status ends with
 * `, content: ` and the raw body as well). test/deepl-errors.test.ts pins the wording, so an
 * upgrade that changes it fails there.
 */
const ANSWER_PREFIXES: ReadonlyArray<[RegExp, number | undefined]> = [
  [/^Authorization failure, check auth_key/, 403],
  [/^Quota for this billing period has been exceeded/, 456],
  [/^Too many requests, DeepL servers are currently experiencing high load/, 429],
  [/^Glossary not found/, 404],
  [/^Not found/, 404],
  [/^Bad request/, 400],
  [/^Service unavailable/, 503],
  [/^Unexpected status code: (\d{3}) [^,]*/, undefined],
];

/** Status names Node does not know. */
const STATUS_NAMES: Record<number, string> = { 456: 'Quota Exceeded' };

/**
 * Reads the status and DeepL's message out of a deepl-node error (deepl-node 1.28 exposes neither:
 * see {@link ANSWER_PREFIXES}); `undefined` for a connection failure, a response that did not
 * parse, or anything that is not an HTTP answer. Only deepl-node's fixed wording is matched;
 * the server's text after it is taken apart the way deepl-node put it together, so a server that
 * sent nothing gives no message rather than an empty one.
 */
export function describeAnswer(error: unknown): DeepLAnswer | undefined {
  if (!(error instanceof deepl.DeepLError) || error instanceof deepl.ConnectionError) return undefined;
  for (const [prefix, known] of ANSWER_PREFIXES) {
    const match = prefix.exec(error.message);
    if (!match) continue;
    const status = known ?? Number(match[1]);
    const rest = error.message.slice(match[0].length);
    const message = known === undefined ? messageWithContent(rest) : messageOf(rest);
    return {
      status,
      statusName: STATUS_NAMES[status] ?? STATUS_CODES[status] ?? 'unknown status',
      ...(message ? { message } : {}),
    };
  }
  return undefined;
}

/** DeepL's message from what deepl-node appends to its words: `, message: M, detail: D` or `, BODY`. */
function messageOf(rest: string): string | undefined {
  const json = /^, message: ([\s\S]*?)(?:, detail: ([\s\S]*))?$/.exec(rest) ?? /^(), detail: ([\s\S]*)$/.exec(rest);
  if (json) return joinFields(json[1], json[2]);
  return rest.startsWith(', ') ? bodyText(rest.slice(2)) : undefined;
}

/**
 * The same for an unlisted status, whose text ends with `, content: BODY`: the split is the one at
 * which the part before it is what deepl-node would have made of that body.
 */
function messageWithContent(rest: string): string | undefined {
  for (let at = rest.indexOf(', content: '); at >= 0; at = rest.indexOf(', content: ', at + 1)) {
    const content = rest.slice(at + ', content: '.length);
    if (rest.slice(0, at) !== checkStatusCodeSuffix(content)) continue;
    try {
      const body = JSON.parse(content) as { message?: unknown; detail?: unknown };
      return joinFields(
        body.message === undefined ? undefined : String(body.message),
        body.detail === undefined ? undefined : String(body.detail),
      );
    } catch {
      return bodyText(content);
    }
  }
  return messageOf(rest);
}

/** What deepl-node 1.28's `checkStatusCode` appends for a body, before `, content: `. */
function checkStatusCodeSuffix(content: string): string {
  try {
    const body = JSON.parse(content) as { message?: unknown; detail?: unknown };
    return `${body.message !== undefined ? `, message: ${body.message}` : ''}${body.detail !== undefined ? `, detail: ${body.detail}` : ''}`;
  } catch {
    return `, ${content}`;
  }
}

function joinFields(message: string | undefined, detail: string | undefined): string | undefined {
  const parts = [message, detail].map((p) => p?.trim()).filter((p): p is string => !!p);
  return parts.length > 0 ? parts.join(': ') : undefined;
}

/** A body that is not JSON (a proxy's HTML error page, say) as one short line; `undefined` when it holds no text. */
function bodyText(body: string): string | undefined {
  const text = body
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!text) return undefined;
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/** Why a connection failed: axios's message, else its error code (an empty `AggregateError` has only that). */
/** Whether a call failed because its answer did not come within the timeout (the server had the request). */
function timedOut(error: unknown): boolean {
  if (!(error instanceof deepl.ConnectionError)) return false;
  const cause = (error as { error?: { code?: unknown } }).error;
  return cause?.code === 'ECONNABORTED' || cause?.code === 'ETIMEDOUT' || /\btimeout\b/i.test(connectionDetail(error));
}

function connectionDetail(error: deepl.ConnectionError): string {
  const cause = (error as { error?: { message?: unknown; code?: unknown } }).error;
  const message = typeof cause?.message === 'string' ? cause.message.trim() : '';
  const code = typeof cause?.code === 'string' ? cause.code : '';
  if (message && code && !message.includes(code)) return `${message} (${code})`;
  return message || code || error.message.replace(/^Connection failure:\s*/, '').trim() || 'no answer';
}

/** The glossary's name on DeepL: the project prefix and a hash of the entries. */
export function glossaryName(prefix: string, entries: ReadonlyArray<[string, string]>): string {
  return `${prefix} #${sha256(entries.map(([de, en]) => `${de}\t${en}`).join('\n'), 12)}`;
}
