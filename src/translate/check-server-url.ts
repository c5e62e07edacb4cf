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
  // `http:///v2` parses with the host "v2": three slashes name no host.
  if ((protocol === 'http:' || protocol === 'https:') && !/^https?:\/\/\//i.test(url)) return;
  // A scheme with nothing usable after it (`http://`) lacks its host, not its scheme.
  if (/^https?:\/\//i.test(url))
    throw new InputError(
      `DEEPL_SERVER_URL "${url}" is not a URL diglot can use: it names no host`,
      'write it whole, e.g. https://api.deepl.com',
    );
  const example = /^[\w.-]+:\d+(\/|$)/.test(url) ? `http://${url}` : 'https://api.deepl.com';
  throw new InputError(
    `DEEPL_SERVER_URL "${url}" is not a URL diglot can use: it needs http:// or https://`,
    `write the scheme, e.g. ${example}`,
  );
}
