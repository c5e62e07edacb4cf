import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** Debian's chromium, or `CHROMIUM` when set; `undefined` when neither exists. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env['CHROMIUM'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => Boolean(p));
  return candidates.find((p) => existsSync(p));
}

/**
 * A headless Chromium driven over the DevTools protocol through a pipe (`--remote-debugging-pipe`:
 * messages are JSON, each ended by a NUL byte, sent on fd 3 and received on fd 4), so the tests
 * need no browser-automation package. One page; enough for load, evaluate, keys and screenshots.
 */
export class HeadlessChromium {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners: Array<(method: string, params: Record<string, unknown>) => void> = [];
  private buffer = '';
  private sessionId = '';
  /** JavaScript dialogs (alert, confirm …) the page opened. */
  readonly dialogs: string[] = [];
  /** URLs of every request the page made, the document's own included. */
  readonly requests: string[] = [];

  private constructor(
    private readonly child: ChildProcess,
    private readonly profile: string,
  ) {
    const out = child.stdio[4] as Readable;
    out.setEncoding('utf8');
    out.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\0')) >= 0) {
        const message = JSON.parse(this.buffer.slice(0, end)) as {
          id?: number;
          result?: unknown;
          error?: { message: string };
          method?: string;
          params?: Record<string, unknown>;
        };
        this.buffer = this.buffer.slice(end + 1);
        if (message.id !== undefined) {
          const waiter = this.pending.get(message.id);
          this.pending.delete(message.id);
          if (message.error) waiter?.reject(new Error(message.error.message));
          else waiter?.resolve(message.result);
        } else if (message.method) {
          for (const l of this.listeners) l(message.method, message.params ?? {});
        }
      }
    });
  }

  /** Starts Chromium with a fresh profile and opens one blank page. */
  static async launch(executable: string, size = { width: 1440, height: 1000 }): Promise<HeadlessChromium> {
    const profile = mkdtempSync(path.join(tmpdir(), 'diglot-chromium-'));
    const child = spawn(
      executable,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-dev-shm-usage',
        '--hide-scrollbars',
        `--user-data-dir=${profile}`,
        `--window-size=${size.width},${size.height}`,
        '--remote-debugging-pipe',
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
    );
    const browser = new HeadlessChromium(child, profile);
    browser.listeners.push((method, params) => {
      if (method === 'Network.requestWillBeSent') browser.requests.push(String((params['request'] as { url?: string } | undefined)?.url));
      if (method === 'Page.javascriptDialogOpening') {
        browser.dialogs.push(String(params['message']));
        void browser.send('Page.handleJavaScriptDialog', { accept: true }).catch(() => undefined);
      }
    });
    const { targetId } = (await browser.send('Target.createTarget', { url: 'about:blank' }, false)) as { targetId: string };
    const { sessionId } = (await browser.send('Target.attachToTarget', { targetId, flatten: true }, false)) as { sessionId: string };
    browser.sessionId = sessionId;
    await browser.send('Page.enable');
    await browser.send('Runtime.enable');
    await browser.send('Network.enable');
    await browser.send('Emulation.setDeviceMetricsOverride', {
      width: size.width,
      height: size.height,
      deviceScaleFactor: 1,
      mobile: false,
    });
    return browser;
  }

  /** Sends a DevTools command (to the page unless `toPage` is false) and waits for its result. */
  send(method: string, params: Record<string, unknown> = {}, toPage = true): Promise<unknown> {
    const id = this.nextId++;
    const message = { id, method, params, ...(toPage ? { sessionId: this.sessionId } : {}) };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      (this.child.stdio[3] as Writable).write(`${JSON.stringify(message)}\0`);
    });
  }

  /** Loads a URL and waits for its load event. */
  async goto(url: string): Promise<void> {
    // The load event of this navigation, not a late one of the page before (a click's navigation still
    // loading): told by the loader that `Page.navigate` names, which the frame navigated with first.
    const navigated = new Set<string>();
    const loadedFor = new Set<string>();
    let wanted: string | undefined;
    let done = (): void => {};
    const loaded = new Promise<void>((resolve) => {
      done = resolve;
    });
    this.listeners.push((method, params) => {
      if (method === 'Page.frameNavigated') navigated.add(String((params['frame'] as { loaderId?: string } | undefined)?.loaderId));
      if (method === 'Page.loadEventFired') for (const id of navigated) loadedFor.add(id);
      if (wanted !== undefined && loadedFor.has(wanted)) done();
    });
    const { loaderId } = (await this.send('Page.navigate', { url })) as { loaderId?: string };
    wanted = loaderId;
    // Without a loader (a navigation within the document) there is no load event to wait for.
    if (wanted === undefined || loadedFor.has(wanted)) done();
    await loaded;
  }

  /** Evaluates an expression in the page and returns its (JSON) value. */
  async evaluate<T>(expression: string): Promise<T> {
    const result = (await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })) as {
      result: { value?: unknown };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    if (result.exceptionDetails) throw new Error(`${result.exceptionDetails.text} ${result.exceptionDetails.exception?.description ?? ''}`);
    return result.result.value as T;
  }

  /** Presses a key as a user would (keydown and keyup), with Ctrl held when `ctrl`. */
  async press(key: string, { ctrl = false } = {}): Promise<void> {
    const codes: Record<string, { code: string; keyCode: number }> = {
      ArrowDown: { code: 'ArrowDown', keyCode: 40 },
      ArrowUp: { code: 'ArrowUp', keyCode: 38 },
      Enter: { code: 'Enter', keyCode: 13 },
      Escape: { code: 'Escape', keyCode: 27 },
    };
    const known = codes[key] ?? { code: `Key${key.toUpperCase()}`, keyCode: key.toUpperCase().charCodeAt(0) };
    const shift = key.length === 1 && key !== key.toLowerCase();
    const modifiers = (shift ? 8 : 0) | (ctrl ? 2 : 0);
    const base = {
      key,
      code: known.code,
      windowsVirtualKeyCode: known.keyCode,
      ...(modifiers ? { modifiers } : {}),
      ...(key.length === 1 && !ctrl ? { text: key } : {}),
    };
    await this.send('Input.dispatchKeyEvent', { type: 'keyDown', ...base });
    await this.send('Input.dispatchKeyEvent', { type: 'keyUp', ...base });
  }

  /** Types text into the focused element as a keyboard would (one input event). */
  async insertText(text: string): Promise<void> {
    await this.send('Input.insertText', { text });
  }

  /**
   * Waits until an expression is true in the page, checked at every animation frame and after
   * every change of the page's DOM; the test's own timeout bounds the wait.
   */
  async waitFor(expression: string): Promise<void> {
    // The page may go on to another while waiting (a key that crosses to the next article): ask the new one.
    for (;;) {
      try {
        return await this.waitInPage(expression);
      } catch (error) {
        if (!/navigated or closed|context was destroyed|Cannot find context/i.test((error as Error).message)) throw error;
      }
    }
  }

  private async waitInPage(expression: string): Promise<void> {
    await this.evaluate(`new Promise((resolve) => {
      const check = () => { try { return Boolean(${expression}); } catch { return false; } };
      if (check()) return resolve(true);
      const observer = new MutationObserver(() => { if (check()) { observer.disconnect(); resolve(true); } });
      observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
      const frame = () => { if (check()) { observer.disconnect(); resolve(true); } else requestAnimationFrame(frame); };
      requestAnimationFrame(frame);
    })`);
  }

  /** A PNG screenshot of the viewport (or the full page). */
  async screenshot(fullPage = false): Promise<Buffer> {
    const { data } = (await this.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: fullPage })) as { data: string };
    return Buffer.from(data, 'base64');
  }

  /** Ends Chromium and removes its profile. */
  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      await Promise.race([this.send('Browser.close', {}, false), new Promise((r) => setTimeout(r, 2000))]);
    } catch {
      // Already closing.
    }
    if (this.child.exitCode === null) {
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.profile, { recursive: true, force: true });
  }
}
