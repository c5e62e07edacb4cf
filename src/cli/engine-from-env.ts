import type { Config } from '../config/config.js';
import type { Engine } from '../translate/engine.js';
import type { Logger } from '../util/logger.js';

/**
 * The DeepL engine when `DEEPL_AUTH_KEY` is set (at `DEEPL_SERVER_URL` when that is set too);
 * `undefined` otherwise, and the memory alone serves. `DIGLOT_RETRIES` and `DIGLOT_RETRY_MS` tune
 * the back-off (defaults 4 retries from 1 s). The DeepL client (deepl-node and axios, a third of
 * the command's start-up) is loaded only then.
 */
export async function engineFromEnv(config: Config, log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<Engine | undefined> {
  const authKey = env['DEEPL_AUTH_KEY']?.trim();
  if (!authKey) return undefined;
  const { DeepLEngine } = await withoutFetchGlobals(() => import('../translate/deepl.js'));
  const retries = numberFrom(env['DIGLOT_RETRIES']);
  const retryBaseMs = numberFrom(env['DIGLOT_RETRY_MS']);
  return new DeepLEngine({
    authKey,
    ...(env['DEEPL_SERVER_URL'] ? { serverUrl: env['DEEPL_SERVER_URL'] } : {}),
    sourceLang: config.sourceLang,
    targetLang: config.targetLang,
    glossaryPrefix: `diglot/${slug(config.title)}`,
    ...(retries !== undefined ? { retries } : {}),
    ...(retryBaseMs !== undefined ? { retryBaseMs } : {}),
    onRetry: (message) => log.warn(message),
  });
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

/**
 * Runs `load` with Node's Fetch API globals (`fetch`, `Request`, `Response`) hidden, and puts them
 * back. deepl-node talks through axios's `http` adapter, but axios, when it loads, probes the Fetch
 * API by building `Request` objects, which makes Node load undici (about 5 ms of every run's
 * start-up) for an adapter that is never used. Hidden, the probe finds no fetch and stops.
 */
async function withoutFetchGlobals<T>(load: () => Promise<T>): Promise<T> {
  const names = ['fetch', 'Request', 'Response'] as const;
  const saved = names.map((name) => [name, Object.getOwnPropertyDescriptor(globalThis, name)] as const);
  for (const [name, descriptor] of saved) if (descriptor?.configurable) Object.defineProperty(globalThis, name, { value: undefined, configurable: true, writable: true });
  try {
    return await load();
  } finally {
    for (const [name, descriptor] of saved) if (descriptor?.configurable) Object.defineProperty(globalThis, name, descriptor);
  }
}
