// Refuses a DeepL server URL that deepl-node could only fail on, before anything loads or is sent.
import { InputError } from '../util/errors.js';

/**
 * Refuses a server URL deepl-node cannot send to: anything but http:// or https:// (a missing
 * scheme, as in `127.0.0.1:8080`, included), which it would report only as a connection failure.
 */
export function checkServerUrl(url: string): void {
  let protocol: string | undefined;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = undefined;
  }
  // `http:///v2` parses with the host "v2": three slashes name no host; nor do `http:x` and `http:/x`, which parse too.
  if ((protocol === 'http:' || protocol === 'https:') && /^https?:\/\/[^/\s]/i.test(url)) return;
  // A scheme with nothing usable after it (`http://`) lacks its host, not its scheme.
  if (/^https?:\/\//i.test(url))
    throw new InputError(
      `DEEPL_SERVER_URL "${url}" is not a URL diglot can use: it names no host`,
      'write it whole, e.g. https://api.deepl.com',
    );
  if (/^https?:/i.test(url))
    throw new InputError(
      `DEEPL_SERVER_URL "${url}" is not a URL diglot can use: its scheme needs // before the host`,
      `write it whole, e.g. ${url.replace(/^(https?):\/*/i, '$1://')}`,
    );
  const example = /^[\w.-]+:\d+(\/|$)/.test(url) ? `http://${url}` : 'https://api.deepl.com';
  throw new InputError(
    `DEEPL_SERVER_URL "${url}" is not a URL diglot can use: it needs http:// or https://`,
    `write the scheme, e.g. ${example}`,
  );
}

/** A server URL as messages show it: a user name and password in it (`http://user:pw@proxy`) are not. */
export function shownServerUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return url;
    parsed.username = '***';
    parsed.password = '';
    return parsed.href;
  } catch {
    return url;
  }
}
