// `diglot review serve`: the review page served live on 127.0.0.1, behind a random token and a Host and
// Origin check; its changes go into the memory through review-actions.ts.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config/config.js';
import { DiglotError, EXIT } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import { renderLiveIndex, renderLivePage, renderLiveRow, renderLiveSearch } from './live-page.js';
import type { TranslationMemory } from '../memory/translation-memory.js';
import { inputStamps, sameStamps, type Stamps } from '../write/last-build.js';
import type { FileStamp } from '../write/write-atomic.js';
import { findPair, loadReviewData, withMemory, type ReviewData } from './load-review-data.js';
import { applyReviewAction, checkEdit, type ReviewAction } from './review-actions.js';

/** A running review app. */
export interface ReviewServer {
  /** The address to open, token included. */
  url: string;
  port: number;
  token: string;
  /** Stops taking requests, waits for those under way (a save holds the lock until it is done), and closes. */
  close: () => Promise<void>;
}

/** The largest request body taken: an edited paragraph is far smaller. */
const MAX_BODY = 1024 * 1024;

/**
 * Starts the review app on 127.0.0.1 (`port` 0: a free one). Every request must carry the token
 * (in the URL's `token`, the `x-diglot-token` header, or the cookie the first page load sets), a
 * `Host` of this address and port (so a page of another site whose name is made to resolve to
 * 127.0.0.1 is refused), and, where the browser sends one, an `Origin` of this address. No CORS
 * headers: other sites' pages cannot read the answers.
 */
export async function serveReview(
  config: Config,
  options: { port?: number; log: Logger; now?: () => string; by?: string },
): Promise<ReviewServer> {
  const token = randomBytes(24).toString('base64url');
  const project = new LiveProject(config, options.log);
  let data = await project.current();
  let port = 0;
  const cookie = (): string => `diglot-review-${port}`;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const refusal = guard(req, port, token, cookie());
    if (refusal) return send(res, 403, { message: refusal });
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (req.method === 'GET' && url.searchParams.has('token')) {
      // The token moves into a cookie and out of the address bar (and the browser's history).
      url.searchParams.delete('token');
      res.writeHead(303, {
        ...HEADERS,
        location: `${url.pathname}${url.search}`,
        'set-cookie': `${cookie()}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      });
      res.end();
      return;
    }
    if (req.method === 'GET' && (url.pathname === '/' || url.pathname.startsWith('/a/') || url.pathname === '/search.js')) {
      // Each page shows the project as it is now: the memory may have changed since (a build, an import).
      data = await project.current();
      if (url.pathname === '/search.js') {
        res.writeHead(200, { ...HEADERS, 'content-type': 'text/javascript; charset=utf-8' });
        res.end(renderLiveSearch(data));
        return;
      }
      const html = url.pathname === '/' ? renderLiveIndex(data) : renderLivePage(data, token, articleId(url.pathname));
      if (html === undefined) return send(res, 404, { message: `no article ${url.pathname.slice(3)}` });
      res.writeHead(200, { ...HEADERS, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp(html) });
      res.end(html);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/favicon.ico') {
      res.writeHead(204, HEADERS);
      res.end();
      return;
    }
    if (req.method !== 'POST' || !url.pathname.startsWith('/api/')) return send(res, 404, { message: 'not found' });
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return send(res, 415, { message: 'JSON only' });
    const body = await readJson(req);
    if (body === 'too large')
      return send(res, 413, { message: `the request is over ${MAX_BODY / 1024 / 1024} MiB; a pair's English is far shorter` });
    if (body === undefined || typeof body['row'] !== 'string') return send(res, 400, { message: 'a JSON object with "row" expected' });
    const row = body['row'];
    // As the project is now: a pair whose German changed since the page was drawn is no pair any more ("reload the page").
    data = await project.current();
    if (url.pathname === '/api/check') {
      const findings = checkEdit(data, row, String(body['target'] ?? ''));
      if (!findings) return send(res, 404, { message: `no pair ${row}; reload the page` });
      return send(res, 200, { findings: findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message })) });
    }
    const action = actionOf(url.pathname, row, body);
    if (!action) return send(res, 404, { message: 'not found' });
    const result = await applyReviewAction(config, data, action, options);
    if (result.memory) data = project.changed(result.memory, result.memoryStamp, result.ok ? findPair(data, row)?.segment.key : undefined);
    const fresh = renderLiveRow(data, row);
    if (!result.ok) {
      if (result.status !== 404) options.log.warn(`${row}: ${result.message}`);
      return send(res, result.status, { message: result.message, ...(result.memory && fresh ? { row: fresh } : {}) });
    }
    if (result.changed)
      options.log.info(
        `${row}: ${action.kind === 'save' ? 'saved' : action.kind === 'approve' ? (action.approved ? 'approved' : 'approval withdrawn') : action.kind === 'accept' ? `${action.rule} finding accepted` : 'reverted'}`,
      );
    return send(res, 200, { changed: result.changed, row: fresh });
  };

  const inflight = new Set<Promise<void>>();
  const server = createServer((req, res) => {
    const done = handle(req, res).catch((error: unknown) => {
      options.log.error(`review app: ${(error as Error)?.stack ?? String(error)}`);
      if (!res.headersSent) send(res, 500, { message: error instanceof DiglotError ? error.message : 'internal error; see the terminal' });
      else res.destroy();
    });
    inflight.add(done);
    void done.finally(() => inflight.delete(done));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new DiglotError(`port ${options.port} is in use`, EXIT.usage, 'give another --port, or none to take a free one')
          : error,
      ),
    );
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // A change under way finishes (and releases the lock) before the connections are dropped.
      await Promise.all([...inflight]);
      server.closeAllConnections();
      await closed;
    },
  };
}

/**
 * The project as the app last read it, read again only when one of its inputs (the config, the
 * glossary, the memory, a source) has changed on disk since: at a thousand articles reading and
 * checking them all takes seconds, and most pages follow no change at all.
 */
class LiveProject {
  private data: ReviewData | undefined;
  private stamps: Stamps = {};

  constructor(
    private readonly config: Config,
    private readonly log: Logger,
  ) {}

  /** The project as it is on disk now. */
  async current(): Promise<ReviewData> {
    // Stamped before reading: a change made while it is read is seen by the next page.
    const now = await inputStamps(this.config);
    if (this.data === undefined || !sameStamps(now, this.stamps)) {
      this.data = await loadReviewData(this.config, this.log, now[this.config.memory]);
      this.stamps = now;
    }
    return this.data;
  }

  /**
   * The project with the memory as a change of the app left it (`stamp`: the memory file's then,
   * taken under the lock; `key`: the German text changed, see `withMemory`).
   */
  changed(memory: TranslationMemory, stamp: FileStamp | undefined, key: string | undefined): ReviewData {
    this.data = withMemory(this.data as ReviewData, memory, stamp, key);
    const file = this.config.memory;
    // Unstamped (not there), the next page reads the project again.
    if (stamp) this.stamps = { ...this.stamps, [file]: stamp };
    else delete this.stamps[file];
    return this.data;
  }
}

/** Headers of every answer: nothing cached, framed, sniffed or sent on as a referrer. */
const HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

/** Why a request is refused, or `undefined`: a foreign Host or Origin, or no valid token. */
export function guard(req: IncomingMessage, port: number, token: string, cookieName: string): string | undefined {
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!hosts.includes(req.headers.host ?? '')) return 'unexpected Host header; open the address diglot printed';
  const origin = req.headers.origin;
  if (origin !== undefined && !hosts.some((h) => origin === `http://${h}`)) return 'requests from other sites are refused';
  // A change comes from the page itself, never from another site's page (whose browser might send the cookie).
  const fetchSite = req.headers['sec-fetch-site'];
  if (req.method !== 'GET' && fetchSite !== undefined && fetchSite !== 'same-origin') return 'requests from other sites are refused';
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const given = [url.searchParams.get('token'), header(req, 'x-diglot-token'), cookieOf(req, cookieName)];
  if (!given.some((t) => t !== null && t !== undefined && same(t, token))) return 'missing or wrong token; open the address diglot printed';
  return undefined;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** Compares two tokens in constant time. */
function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The page's CSP as a header too (the page also carries it as a meta element): its own scripts only, requests to itself only. */
function csp(html: string): string {
  const scripts = /script-src ([^;"]+)/.exec(html)?.[1] ?? "'none'";
  return `default-src 'none'; style-src 'unsafe-inline'; script-src ${scripts}; img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

/** The article id of an article page's path (`/a/<id>`); `''` when it is not well encoded. */
function articleId(pathname: string): string {
  try {
    return decodeURIComponent(pathname.slice(3));
  } catch {
    return '';
  }
}

function actionOf(pathname: string, row: string, body: Record<string, unknown>): ReviewAction | undefined {
  const version = typeof body['version'] === 'string' ? body['version'] : '';
  const german = typeof body['german'] === 'string' ? { german: body['german'] } : {};
  if (pathname === '/api/save' && typeof body['target'] === 'string')
    return { kind: 'save', row, version, ...german, target: body['target'] };
  if (pathname === '/api/approve') return { kind: 'approve', row, version, ...german, approved: body['approved'] !== false };
  if (pathname === '/api/revert') return { kind: 'revert', row, version, ...german };
  if (pathname === '/api/accept' && typeof body['rule'] === 'string')
    return { kind: 'accept', row, version, ...german, rule: body['rule'] };
  return undefined;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | 'too large' | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    // Read to its end all the same: a request left unread would reset the connection before the answer.
    if (size <= MAX_BODY) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY) return 'too large';
  try {
    const value = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...HEADERS, 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
