import type { Config } from '../config/config.js';
import { checkServerUrl } from '../translate/check-server-url.js';
import type { DeepLEngine, DeepLEngineOptions } from '../translate/deepl.js';
import type { Engine, EngineRequest, EngineResult, EngineUsage } from '../translate/engine.js';
import { settingsHash } from '../translate/settings-hash.js';
import type { Logger } from '../util/logger.js';

/**
 * The DeepL engine when `DEEPL_AUTH_KEY` is set (at `DEEPL_SERVER_URL` when that is set too);
 * `undefined` otherwise, and the memory alone serves. `DIGLOT_RETRIES` and `DIGLOT_RETRY_MS` tune
 * the back-off (defaults 4 retries from 1 s), `DIGLOT_TIMEOUT_MS` how long a request may take
 * (30 s). A `DEEPL_SERVER_URL` without http:// or https:// is an `InputError` (exit 2) before
 * anything is sent. The DeepL client is loaded when first used (see {@link DeepLOnFirstUse}).
 */
export async function engineFromEnv(
  config: Config,
  log: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<DeepLOnFirstUse | undefined> {
  const authKey = env['DEEPL_AUTH_KEY']?.trim();
  if (!authKey) return undefined;
  /** A tuning variable's number; one set to anything else is said, and the default used. */
  const setting = (name: string, usual: string): number | undefined => {
    const value = env[name];
    const n = numberFrom(value);
    if (n === undefined && value !== undefined && value.trim() !== '') log.warn(`${name}="${value}" is not a number: ${usual} used`);
    return n;
  };
  const retries = setting('DIGLOT_RETRIES', '4 retries');
  const retryBaseMs = setting('DIGLOT_RETRY_MS', '1000 ms');
  const timeoutMs = setting('DIGLOT_TIMEOUT_MS', '30000 ms');
  // deepl-node waits at least a second for an answer, whatever it is told.
  if (timeoutMs !== undefined && timeoutMs < 1000) log.warn(`DIGLOT_TIMEOUT_MS=${timeoutMs}: DeepL's client waits at least 1000 ms`);
  // Spaces around it (pasted with the value) are no part of the address.
  const serverUrl = env['DEEPL_SERVER_URL']?.trim();
  if (serverUrl) checkServerUrl(serverUrl);
  return new DeepLOnFirstUse({
    authKey,
    ...(serverUrl ? { serverUrl } : {}),
    sourceLang: config.sourceLang,
    targetLang: config.targetLang,
    glossaryPrefix: `diglot/${slug(config.title)}`,
    settings: config.deepl,
    ...(retries !== undefined ? { retries } : {}),
    ...(retryBaseMs !== undefined ? { retryBaseMs } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    onRetry: (message) => log.warn(message),
  });
}

/**
 * DeepL, with its client (deepl-node and axios: about 80 ms of CPU, a sixth of a rebuild with
 * nothing changed) loaded by the first call that talks to DeepL: a build with nothing to send,
 * which most rebuilds are, never loads it.
 */
export class DeepLOnFirstUse implements Engine {
  readonly name = 'deepl';
  private loading: Promise<DeepLEngine> | undefined;

  constructor(private readonly options: DeepLEngineOptions) {}

  /** The engine itself, for what only DeepL does (the glossary commands). */
  client(): Promise<DeepLEngine> {
    this.loading ??= import('../translate/deepl.js').then(({ DeepLEngine }) => new DeepLEngine(this.options));
    return this.loading;
  }

  async prepare(entries: ReadonlyArray<[string, string]>): Promise<void> {
    await (await this.client()).prepare(entries);
  }

  settingsHash(entries: ReadonlyArray<[string, string]>): string {
    return settingsHash(this.options.settings ?? {}, entries);
  }

  async translate(request: EngineRequest): Promise<EngineResult[]> {
    return (await this.client()).translate(request);
  }

  async usage(): Promise<EngineUsage> {
    return (await this.client()).usage();
  }
}

function numberFrom(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function slug(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'project'
  );
}
