/**
 * Puppeteer (a dependency of Ace by DAISY, used in CI) must never download its own Chrome: there
 * is no network for it here, and the checks use Debian's chromium. Without this file a plain
 * `npm install` fails on a fresh machine.
 */
module.exports = { skipDownload: true };
