import type { Config } from '../config/config.js';
import type { Engine } from '../translate/engine.js';
import type { Logger } from '../util/logger.js';

/**
 * The DeepL engine when `DEEPL_AUTH_KEY` is set (at `DEEPL_SERVER_URL` when that is set too);
 * `undefined` otherwise, and the memory alone serves. `DIGLOT_RETRIES` and `DIGLOT_RETRY_MS` tune
 * the back-off (defaults 4 retries from 1 s). A `DEEPL_SERVER_URL` without http:// or https://
 * is an `InputError` (exit 2) before anything is sent. The DeepL client (deepl-node and axios, a
 * third of the command's start-up) is loaded only when there is a key.
 */
export async function engineFromEnv(config: Config, log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<Engine | undefined> {
  const authKey = env['DEEPL_AUTH_KEY']?.trim();
  if (!authKey) return undefined;
  const { DeepLEngine } = await import('../translate/deepl.js');
  const retries = numberFrom(env['DIGLOT_RETRIES']);
  const retryBaseMs = numberFrom(env['DIGLOT_RETRY_MS']);
  // Spaces around it (pasted with the value) are no part of the address.
  const serverUrl = env['DEEPL_SERVER_URL']?.trim();
  return new DeepLEngine({
    authKey,
    ...(serverUrl ? { serverUrl } : {}),
    sourceLang: config.sourceLang,
    targetLang: config.targetLang,
    glossaryPrefix: `diglot/${slug(config.title)}`,
    settings: config.deepl,
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
