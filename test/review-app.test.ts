// `diglot review serve`: the live review app driven in headless Chromium, its guards (token, Host,
// Origin), escaping, a concurrent `review import` of the same pair, and the CLI's start and Ctrl-C.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { test } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import type { MemoryEntry } from '../src/memory/entry.js';
import { TranslationMemory } from '../src/memory/translation-memory.js';
import { build } from '../src/pipeline.js';
import { serveReview, type ReviewServer } from '../src/review-app/serve-review.js';
import { MemoryLogger } from '../src/util/logger.js';
import { CLI, configOf, read, ROOT, runCli, sampleProject } from './helpers.js';
import { chromiumPath, HeadlessChromium } from './review-browser.js';

const chromium = chromiumPath();
const DOC = '000_20a6b0fe2192dee9';
/** "Es war zu erwarten, dass die NATO ihre Ostflanke verstärken würde. …" */
const FLANK = `${DOC}/600cadbe`;
/** The article's first paragraph. */
const FIRST = `${DOC}/c863f044`;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request to the app with any headers (Host and Origin included), as another site's page or a rebinding attack would send. */
function call(
  port: number,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Answer> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? (body ? 'POST' : 'GET'),
        path: options.path ?? '/',
        headers: { host: `127.0.0.1:${port}`, ...(body ? { 'content-type': 'application/json' } : {}), ...options.headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** An article's page in the app, asked with its token: the page's HTML (it must be there). */
async function articlePage(server: ReviewServer, id: string): Promise<string> {
  const answer = await call(server.port, { path: `/a/${id}`, headers: { 'x-diglot-token': server.token } });
  assert.equal(answer.status, 200, answer.body);
  return answer.body;
}

/** The memory entry of a German text, read from disk. */
async function entryOf(dir: string, source: string): Promise<MemoryEntry> {
  const { memory } = await TranslationMemory.open(path.join(dir, 'memory', 'memory.jsonl'));
  const entry = memory.entries().find((e) => e.source.startsWith(source));
  assert.ok(entry, `an entry for "${source}"`);
  return entry;
}

/** Makes the flank paragraph a DeepL draft that misses its glossary term: one finding. */
async function draftWithFinding(dir: string): Promise<MemoryEntry> {
  const file = path.join(dir, 'memory', 'memory.jsonl');
  const { memory } = await TranslationMemory.open(file);
  const entry = await entryOf(dir, 'Es war zu erwarten, dass die NATO ihre Ostflanke');
  const draft: MemoryEntry = {
    ...entry,
    target: entry.target.replace('eastern flank', 'east side'),
    origin: 'deepl',
    status: 'draft',
    updated: '2030-01-01T00:00:00Z',
  };
  memory.append([draft]);
  return draft;
}

function chapters(epub: string): string {
  const files = unzipSync(readFileSync(epub));
  return Object.entries(files)
    .filter(([name]) => name.endsWith('.xhtml'))
    .map(([, bytes]) => strFromU8(bytes))
    .join('\n');
}

test('review app in headless Chromium: filter, edit with live checks, save, approve, escape; build takes both', {
  skip: chromium ? false : 'no chromium (apt-get install chromium)',
  timeout: 180_000,
}, async () => {
  const project = sampleProject();
  const log = new MemoryLogger();
  const config = await configOf(project.dir);
  const draft = await draftWithFinding(project.dir);
  const first = await entryOf(project.dir, 'Mit seinem Truppenaufmarsch');
  const edited = draft.target.replace('east side', 'eastern flank').replace('It was to be expected', 'It was only to be expected');
  assert.notEqual(edited, draft.target);
  const server = await serveReview(config, { log });
  const browser = await HeadlessChromium.launch(chromium as string);
  try {
    await browser.goto(server.url);
    await browser.waitFor("document.documentElement.hasAttribute('data-ready')");
    assert.equal(await browser.evaluate<string>('location.href'), `http://127.0.0.1:${server.port}/`, 'the token left the address bar');
    // The index: the article with the finding counts it; its link opens the article's live page.
    assert.equal(
      await browser.evaluate<string>(`document.querySelector('#list tr.line[data-id="${DOC}"] td:last-child').textContent`),
      '1',
    );
    await browser.evaluate(`document.querySelector('#list tr.line[data-id="${DOC}"] a').click()`);
    await browser.waitFor(`location.pathname === '/a/${DOC}' && document.documentElement.hasAttribute('data-ready')`);
    const row = (id: string, what: string): Promise<string> =>
      browser.evaluate<string>(`document.getElementById(${JSON.stringify(id)}).${what}`);

    // Filter to the rows with findings: only the draft.
    await browser.evaluate("document.querySelector('input[name=findings][value=with]').click()");
    assert.deepEqual(await browser.evaluate<string[]>("Array.from(document.querySelectorAll('tr.row:not([hidden])'), (r) => r.id)"), [
      FLANK,
    ]);
    assert.equal(await row(FLANK, 'dataset.status'), 'machine');

    // n to the finding, e to edit: the checks run on the text in the editor, the glossary panel shows the pair's term.
    await browser.press('n');
    assert.equal(await browser.evaluate<string>("document.querySelector('tr.row.current').id"), FLANK);
    assert.match(await browser.evaluate<string>("document.getElementById('gloss-body').textContent"), /Ostflanke → eastern flank/);
    await browser.press('e');
    await browser.waitFor("document.querySelector('.editor .checks li')");
    assert.match(await browser.evaluate<string>("document.querySelector('.editor .checks').textContent"), /term.*Ostflanke.*eastern flank/);
    assert.equal(await browser.evaluate<string>("document.querySelector('.editor textarea').value"), draft.target);
    const shots = process.env['DIGLOT_SCREENSHOTS'];
    if (shots) {
      // For people to look at (the README's): every row shown, the editor open on the finding.
      await browser.evaluate("document.querySelector('input[name=findings][value=all]').click()");
      mkdirSync(shots, { recursive: true });
      writeFileSync(path.join(shots, 'review-app.png'), await browser.screenshot());
      await browser.evaluate("document.querySelector('input[name=findings][value=with]').click()");
    }
    await browser.evaluate("document.querySelector('.editor textarea').select()");
    await browser.insertText(edited);
    await browser.waitFor("document.querySelector('.editor .checks li.ok')");
    await browser.press('Enter', { ctrl: true });
    await browser.waitFor(
      `!document.querySelector('.editor') && document.getElementById(${JSON.stringify(FLANK)}).dataset.status === 'reviewed'`,
    );
    assert.equal(await row(FLANK, "querySelector('td.en .text').textContent"), edited);
    assert.equal(await row(FLANK, 'dataset.findings'), '0');

    // Approve another pair: select it, press a.
    await browser.evaluate("document.querySelector('input[name=findings][value=all]').click()");
    await browser.evaluate(`document.getElementById(${JSON.stringify(FIRST)}).click()`);
    await browser.press('a');
    await browser.waitFor(`document.getElementById(${JSON.stringify(FIRST)}).dataset.status === 'approved'`);
    assert.match(
      await browser.evaluate<string>(`document.querySelector('#a-${DOC} .progress').textContent`),
      /^9 of 9 reviewed · 1 approved$/,
    );

    // Esc cancels an edit: nothing is saved.
    const third = await browser.evaluate<string>(`document.querySelectorAll('#a-${DOC} tr.row')[2].id`);
    const thirdBefore = await row(third, "querySelector('td.en .text').textContent");
    await browser.evaluate(`document.getElementById(${JSON.stringify(third)}).click()`);
    await browser.press('e');
    await browser.waitFor("document.querySelector('.editor textarea') === document.activeElement");
    await browser.insertText(' and more');
    await browser.press('Escape');
    await browser.waitFor('!document.querySelector(".editor")');
    assert.equal(await row(third, "querySelector('td.en .text').textContent"), thirdBefore);

    // A <script> typed as English is text: shown as typed, never run, also after a reload.
    const hostile = '<script>alert(1)</script> & <img src=x onerror=alert(2)> stay text';
    await browser.evaluate(`document.getElementById(${JSON.stringify(third)}).click()`);
    await browser.press('e');
    await browser.waitFor("document.querySelector('.editor textarea') === document.activeElement");
    await browser.evaluate("document.querySelector('.editor textarea').select()");
    await browser.insertText(hostile);
    await browser.press('Enter', { ctrl: true });
    await browser.waitFor(
      `!document.querySelector('.editor') && document.getElementById(${JSON.stringify(third)}).dataset.status === 'reviewed'`,
    );
    await browser.goto(`http://127.0.0.1:${server.port}/a/${DOC}`);
    await browser.waitFor("document.documentElement.hasAttribute('data-ready')");
    assert.equal(await row(third, "querySelector('td.en .text').textContent"), hostile);
    assert.equal(await browser.evaluate<number>('document.scripts.length'), 2, "the page's script and its JSON data, nothing else");
    assert.equal(await browser.evaluate<number>('document.images.length'), 0);
    assert.deepEqual(browser.dialogs, []);
    assert.equal(await row(FLANK, "querySelector('td.en .text').textContent"), edited, 'the reload shows the saved English');
  } finally {
    await browser.close();
    await server.close();
  }
  try {
    assert.ok(!existsSync(path.join(project.dir, '.diglot.lock')), 'the lock is released');
    // The memory holds both, the edit with the draft in its history.
    const saved = await entryOf(project.dir, 'Es war zu erwarten, dass die NATO ihre Ostflanke');
    assert.equal(saved.target, edited);
    assert.deepEqual([saved.origin, saved.status], ['human', 'reviewed']);
    assert.deepEqual(saved.history?.at(-1), { target: draft.target, origin: 'deepl', status: 'draft', updated: draft.updated });
    const approved = await entryOf(project.dir, 'Mit seinem Truppenaufmarsch');
    assert.deepEqual([approved.target, approved.status, approved.history], [first.target, 'approved', first.history]);

    // A build from the memory alone (no DeepL key) puts both into the English Markdown and both books.
    const result = await build(config, { engine: undefined, log: new MemoryLogger() });
    assert.equal(result.exitCode, 0);
    const out = path.join(project.dir, 'output');
    const markdown = read(path.join(out, `${DOC}.en.md`));
    for (const text of [edited, first.target]) {
      assert.ok(markdown.includes(text), `English Markdown holds "${text.slice(0, 40)}…"`);
      for (const book of ['edition.epub', 'edition.en.epub']) assert.ok(chapters(path.join(out, book)).includes(text), `${book} holds it`);
    }
    assert.match(read(path.join(out, `${DOC}.review.md`)), /<!-- segment c863f044 · .* · approved -->/);
  } finally {
    project.cleanup();
  }
});

test('review app refuses requests without the token, from a foreign Host or Origin; text is escaped; no CORS', async () => {
  const project = sampleProject();
  const config = await configOf(project.dir);
  const server = await serveReview(config, { log: new MemoryLogger() });
  const { port, token } = server;
  try {
    const before = read(path.join(project.dir, 'memory', 'memory.jsonl'));
    const first = await entryOf(project.dir, 'Mit seinem Truppenaufmarsch');
    const save = { row: FIRST, version: first.updated, target: 'Changed by someone else' };
    const refused: Answer[] = [
      await call(port),
      await call(port, { path: '/?token=wrong' }),
      await call(port, { path: `/?token=${token}x` }),
      await call(port, { path: `/?token=${token}`, headers: { host: `attacker.example:${port}` } }),
      await call(port, { path: `/?token=${token}`, headers: { host: '127.0.0.1' } }),
      await call(port, { path: '/api/save', body: save }),
      await call(port, { path: '/api/save', body: save, headers: { 'x-diglot-token': token, origin: 'http://attacker.example' } }),
      await call(port, { path: '/api/save', body: save, headers: { 'x-diglot-token': token, origin: `http://attacker.example:${port}` } }),
      await call(port, { path: '/api/save', body: save, headers: { 'x-diglot-token': token, host: `rebound.example:${port}` } }),
      await call(port, {
        path: '/api/save',
        body: save,
        headers: { cookie: `diglot-review-${port}=${token}`, 'sec-fetch-site': 'cross-site' },
      }),
    ];
    assert.deepEqual(
      refused.map((a) => a.status),
      refused.map(() => 403),
    );
    assert.equal(read(path.join(project.dir, 'memory', 'memory.jsonl')), before, 'nothing was written');

    // The token in the address becomes a cookie; the page loads with it, from 127.0.0.1 or localhost.
    const first303 = await call(port, { path: `/?token=${token}` });
    assert.equal(first303.status, 303);
    const cookie = String(first303.headers['set-cookie']).split(';')[0] as string;
    assert.match(String(first303.headers['set-cookie']), /HttpOnly; SameSite=Strict/);
    assert.equal((await call(port, { headers: { cookie } })).status, 200);
    assert.equal((await call(port, { headers: { cookie, host: `localhost:${port}` } })).status, 200);
    for (const route of [`/a/${DOC}`, '/search.js']) {
      assert.equal((await call(port, { path: route })).status, 403, `${route} without the token`);
      assert.equal((await call(port, { path: route, headers: { cookie, host: `attacker.example:${port}` } })).status, 403);
      assert.equal((await call(port, { path: route, headers: { cookie } })).status, 200, route);
    }
    assert.equal((await call(port, { path: '/a/no-such-article', headers: { cookie } })).status, 404);
    // A body over 1 MiB is refused as such, not as a body of the wrong shape.
    const huge = await call(port, {
      path: '/api/save',
      body: { ...save, target: 'x'.repeat(2 * 1024 * 1024) },
      headers: { cookie, 'x-diglot-token': token },
    });
    assert.equal(huge.status, 413, huge.body);
    assert.match(huge.body, /over 1 MiB/);

    // A <script> saved as English is escaped in the page; the answers carry no CORS header.
    const hostile = '</script><script>alert(1)</script><!-- & "quotes"';
    const saved = await call(port, {
      path: '/api/save',
      body: { ...save, target: hostile },
      headers: { cookie, 'x-diglot-token': token, origin: `http://127.0.0.1:${port}` },
    });
    assert.equal(saved.status, 200, saved.body);
    const page = await call(port, { path: `/a/${DOC}`, headers: { cookie } });
    assert.equal(page.body.match(/<script/g)?.length, 2, "the page's script and its JSON data only");
    assert.ok(page.body.includes('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!-- &amp; &quot;quotes&quot;'));
    assert.match(String(page.headers['content-security-policy']), /^default-src 'none';.*script-src 'sha256-[^']+';.*connect-src 'self'/);
    for (const a of [...refused, first303, saved, page]) assert.equal(a.headers['access-control-allow-origin'], undefined);
    assert.equal((await entryOf(project.dir, 'Mit seinem Truppenaufmarsch')).target, hostile);
  } finally {
    await server.close();
    project.cleanup();
  }
});

test('review app and a concurrent review import of the same pair: one wins, the other is refused, nothing lost', {
  timeout: 120_000,
}, async () => {
  const project = sampleProject();
  const config = await configOf(project.dir);
  assert.equal((await build(config, { engine: undefined, log: new MemoryLogger() })).exitCode, 0);
  const server = await serveReview(config, { log: new MemoryLogger() });
  const post = (route: string, body: unknown): Promise<Answer> =>
    call(server.port, { path: route, body, headers: { 'x-diglot-token': server.token } });
  try {
    const original = await entryOf(project.dir, 'Es war zu erwarten, dass die NATO ihre Ostflanke');
    // The reviewer of the review file and the one in the app edit the same pair from the same version.
    const reviewFile = path.join(project.dir, 'output', `${DOC}.review.md`);
    const fileText = `FILE: ${original.target}`;
    writeFileSync(reviewFile, read(reviewFile).replace(original.target, fileText));
    const appText = `APP: ${original.target}`;

    const importing = (async () => {
      // A run refused because the other holds the lock for a moment is simply run again, as a user would.
      for (;;) {
        const r = await runCli(['review', 'import', '--root', project.dir]);
        if (r.code !== 6) return r;
      }
    })();
    const [imported, app] = await Promise.all([importing, post('/api/save', { row: FLANK, version: original.updated, target: appText })]);

    // The import wins; the app's save is refused with a message and the English the memory holds now.
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /600cadbe edited/);
    assert.equal(app.status, 409);
    const refusal = JSON.parse(app.body) as { message: string; row: { state: { target: string; version: string } } };
    assert.match(refusal.message, /changed elsewhere|not in the memory yet/);
    const now = await entryOf(project.dir, 'Es war zu erwarten, dass die NATO ihre Ostflanke');
    assert.equal(now.target, fileText);
    assert.deepEqual(now.history?.at(-1)?.target, original.target);

    // Saving again with the page's old version is refused too, now showing the imported English.
    const again = await post('/api/save', { row: FLANK, version: original.updated, target: appText });
    assert.equal(again.status, 409);
    const shown = JSON.parse(again.body) as { message: string; row: { state: { target: string; version: string } } };
    assert.match(shown.message, /changed elsewhere/);
    assert.equal(shown.row.state.target, fileText);
    // With the version it was shown, the reviewer's text replaces it; every text is kept.
    const replaced = await post('/api/save', { row: FLANK, version: shown.row.state.version, target: appText });
    assert.equal(replaced.status, 200, replaced.body);
    const last = await entryOf(project.dir, 'Es war zu erwarten, dass die NATO ihre Ostflanke');
    assert.equal(last.target, appText);
    assert.deepEqual(
      last.history?.slice(-2).map((h) => h.target),
      [original.target, fileText],
    );

    // Revert goes back to the imported English, keeping the app's in the history.
    const reverted = await post('/api/revert', { row: FLANK, version: last.updated });
    assert.equal(reverted.status, 200, reverted.body);
    const back = await entryOf(project.dir, 'Es war zu erwarten, dass die NATO ihre Ostflanke');
    assert.equal(back.target, fileText);
    assert.equal(back.history?.at(-1)?.target, appText);
  } finally {
    await server.close();
    project.cleanup();
  }
});

test('review app: Revert brings a machine translation back as one (deepl, draft, its settings); an approval withdrawn leaves a machine draft', {
  timeout: 120_000,
}, async () => {
  const project = sampleProject();
  const config = await configOf(project.dir);
  const machine = { ...(await draftWithFinding(project.dir)), settings: 'abc123' };
  const file = path.join(project.dir, 'memory', 'memory.jsonl');
  (await TranslationMemory.open(file)).memory.append([machine]);
  assert.equal((await build(config, { engine: undefined, log: new MemoryLogger() })).exitCode, 0);
  const server = await serveReview(config, { log: new MemoryLogger() });
  const post = (route: string, body: unknown): Promise<Answer> =>
    call(server.port, { path: route, body, headers: { 'x-diglot-token': server.token } });
  const current = (): Promise<MemoryEntry> => entryOf(project.dir, 'Es war zu erwarten, dass die NATO ihre Ostflanke');
  try {
    assert.equal((await post('/api/save', { row: FLANK, version: machine.updated, target: 'A human fix.' })).status, 200);
    const fixed = await current();
    assert.deepEqual([fixed.origin, fixed.status, fixed.settings], ['human', 'reviewed', undefined]);
    assert.equal((await post('/api/revert', { row: FLANK, version: fixed.updated })).status, 200);
    const back = await current();
    assert.deepEqual(
      [back.target, back.origin, back.status, back.settings],
      [machine.target, 'deepl', 'draft', 'abc123'],
      'the machine translation again, counted and re-sent as one',
    );
    assert.equal(back.history?.at(-1)?.target, 'A human fix.', 'the human fix kept');
    // Approved, then withdrawn by mistake: a machine draft again, not "reviewed".
    assert.equal((await post('/api/approve', { row: FLANK, version: back.updated, approved: true })).status, 200);
    const approved = await current();
    assert.equal(approved.status, 'approved');
    assert.equal((await post('/api/approve', { row: FLANK, version: approved.updated, approved: false })).status, 200);
    assert.deepEqual([(await current()).origin, (await current()).status], ['deepl', 'draft']);
    // Only a finding the pair has can be accepted; the draft misses its glossary term, nothing else.
    const now = await current();
    const unfounded = await post('/api/accept', { row: FLANK, version: now.updated, rule: 'number' });
    assert.equal(unfounded.status, 400);
    assert.match(unfounded.body, /this pair has no \\"number\\" finding to accept/);
    assert.equal((await post('/api/accept', { row: FLANK, version: now.updated, rule: 'term' })).status, 200);
    // An approval from a page that is behind: refused, without talk of an editor.
    const stale = await post('/api/approve', { row: FLANK, version: now.updated, approved: true });
    assert.equal(stale.status, 409);
    assert.match(stale.body, /changed elsewhere since the page showed it.*look at it, then try again/);
  } finally {
    await server.close();
    project.cleanup();
  }
});

test('review serve: prints the address, serves the page, stops on Ctrl-C and releases the lock', { timeout: 60_000 }, async (t) => {
  const project = sampleProject();
  try {
    const bad = await runCli(['review', 'serve', '--root', project.dir, '--port', 'abc']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--port must be a port number/);
    const child = spawn(process.execPath, [CLI, 'review', 'serve', '--root', project.dir], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // A test that times out kills the server, so no wait outlives it.
      signal: t.signal,
      killSignal: 'SIGKILL',
    });
    child.on('error', (error) => assert.equal(error.name, 'AbortError'));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const found = /Review app: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)\n/.exec(out);
        if (found) resolve(found[1] as string);
      });
      void exited.then(() => reject(new Error(`exited early: ${stderr}`)));
    });
    const { port, searchParams } = new URL(url);
    assert.equal((await call(Number(port), { headers: { 'x-diglot-token': searchParams.get('token') as string } })).status, 200);
    const first = await entryOf(project.dir, 'Mit seinem Truppenaufmarsch');
    const approved = await call(Number(port), {
      path: '/api/approve',
      body: { row: FIRST, version: first.updated },
      headers: { 'x-diglot-token': searchParams.get('token') as string },
    });
    assert.equal(approved.status, 200, approved.body);
    child.kill('SIGINT');
    assert.equal(await exited, 0, stderr);
    assert.match(stderr, /Review app stopped/);
    assert.ok(!existsSync(path.join(project.dir, '.diglot.lock')));
    assert.equal((await entryOf(project.dir, 'Mit seinem Truppenaufmarsch')).status, 'approved');
  } finally {
    project.cleanup();
  }
});

test('review app: accepting a finding stores it in the memory, and --strict no longer counts it', {
  skip: chromium ? false : 'no chromium (apt-get install chromium)',
  timeout: 120_000,
}, async () => {
  const project = sampleProject();
  const config = await configOf(project.dir);
  const draft = await draftWithFinding(project.dir);
  assert.equal((await build(config, { engine: undefined, log: new MemoryLogger(), strict: true })).exitCode, 1, 'the finding counts');
  const server = await serveReview(config, { log: new MemoryLogger(), by: 'Rita Reviewer' });
  const browser = await HeadlessChromium.launch(chromium as string);
  try {
    await browser.goto(server.url);
    await browser.waitFor("document.documentElement.hasAttribute('data-ready')");
    await browser.goto(`http://127.0.0.1:${server.port}/a/${DOC}`);
    await browser.waitFor("document.documentElement.hasAttribute('data-ready')");
    const accept = `document.getElementById(${JSON.stringify(FLANK)}).querySelector('.findings button[data-act=accept][data-rule=term]')`;
    await browser.waitFor(accept);
    await browser.evaluate(`${accept}.click()`);
    await browser.waitFor(`document.getElementById(${JSON.stringify(FLANK)}).dataset.findings === '0'`);
    assert.equal(
      await browser.evaluate<string>(`document.getElementById(${JSON.stringify(FLANK)}).querySelector('td.en .text').textContent`),
      draft.target,
    );
  } finally {
    await browser.close();
    await server.close();
  }
  try {
    const entry = await entryOf(project.dir, 'Es war zu erwarten, dass die NATO ihre Ostflanke');
    assert.equal(entry.target, draft.target, 'the English stays');
    assert.deepEqual(
      entry.accepted?.map((a) => [a.rule, a.by]),
      [['term', 'Rita Reviewer']],
    );
    assert.equal(
      (await build(config, { engine: undefined, log: new MemoryLogger(), strict: true })).exitCode,
      0,
      'accepted: no longer counted',
    );
  } finally {
    project.cleanup();
  }
});

test('a review file edited after the app saved the same pair is refused on import, and wins only with --overwrite', {
  timeout: 120_000,
}, async () => {
  const project = sampleProject();
  const config = await configOf(project.dir);
  assert.equal((await build(config, { engine: undefined, log: new MemoryLogger() })).exitCode, 0);
  const server = await serveReview(config, { log: new MemoryLogger() });
  try {
    const original = await entryOf(project.dir, 'Es war zu erwarten, dass die NATO ihre Ostflanke');
    const appText = `APP: ${original.target}`;
    const saved = await call(server.port, {
      path: '/api/save',
      body: { row: FLANK, version: original.updated, target: appText },
      headers: { 'x-diglot-token': server.token },
    });
    assert.equal(saved.status, 200, saved.body);
  } finally {
    await server.close();
  }
  try {
    // The review file still shows the English from before the app's save; a reviewer edits it there.
    const reviewFile = path.join(project.dir, 'output', `${DOC}.review.md`);
    const original = (await entryOf(project.dir, 'Es war zu erwarten, dass die NATO ihre Ostflanke')).history?.at(-1)?.target as string;
    const fileText = `FILE: ${original}`;
    writeFileSync(reviewFile, read(reviewFile).replace(original, fileText));
    const refused = await runCli(['review', 'import', '--root', project.dir]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /changed since this file was written \(now: "APP: /);
    assert.equal((await entryOf(project.dir, 'Es war zu erwarten, dass die NATO ihre Ostflanke')).target, `APP: ${original}`);
    const overwritten = await runCli(['review', 'import', '--overwrite', '--root', project.dir]);
    assert.equal(overwritten.code, 0, overwritten.stderr);
    const now = await entryOf(project.dir, 'Es war zu erwarten, dass die NATO ihre Ostflanke');
    assert.equal(now.target, fileText);
    assert.equal(now.history?.at(-1)?.target, `APP: ${original}`, "the app's English is kept in the history");
  } finally {
    project.cleanup();
  }
});

test('review app reads the project again only when an input changed on disk, and keeps its own saves without reading it', {
  timeout: 120_000,
}, async () => {
  const project = sampleProject();
  // An empty file beside the articles: each read of the project warns of it once, which tells how often the app read it.
  writeFileSync(path.join(project.dir, 'sources', 'leer.md'), '');
  const config = await configOf(project.dir);
  assert.equal((await build(config, { engine: undefined, log: new MemoryLogger() })).exitCode, 0);
  const source = path.join(project.dir, 'sources', `${DOC}.txt`);
  // A whole second, so that setting it again gives the very same stamp.
  const stamped = new Date('2026-01-01T00:00:00Z');
  utimesSync(source, stamped, stamped);
  const log = new MemoryLogger();
  const server = await serveReview(config, { log });
  const page = (): Promise<string> => articlePage(server, DOC);
  const reads = (): number => log.lines.filter((l) => l.message.startsWith('sources/leer.md:1: is empty')).length;
  try {
    assert.match(await page(), /Noch ist das Signal mehr politischer/);
    assert.equal(reads(), 1);
    assert.match(await page(), /Noch ist das Signal mehr politischer/);
    assert.equal(reads(), 1, 'nothing changed: the page comes from what the app read before');
    // The source changed in place to a text of the same length, its modification time put back: its
    // change time, which no one sets, moved on, and the app reads the project again.
    writeFileSync(source, read(source).replace('Noch ist das Signal', 'Doch ist das Signal'));
    utimesSync(source, stamped, stamped);
    assert.match(await page(), /Doch ist das Signal mehr politischer/);
    assert.equal(reads(), 2);

    /** Saves `target` as the English of a pair (by its German's start), at the version its memory entry has now. */
    const save = async (row: string, german: string, target: string): Promise<Answer> =>
      call(server.port, {
        path: '/api/save',
        body: { row, version: (await entryOf(project.dir, german)).updated, target },
        headers: { 'x-diglot-token': server.token },
      });
    // A save through the app shows at once, and does not make the next page read the project.
    const saved = await save(FIRST, 'Mit seinem Truppenaufmarsch', 'Saved in the app.');
    assert.equal(saved.status, 200, saved.body);
    const afterSave = await page();
    assert.match(afterSave, /Saved in the app\./);
    assert.match(afterSave, /Doch ist das Signal mehr politischer/);
    assert.equal(reads(), 2, 'its own save did not make the app read the project');

    // The source's time moves on (as any edit's does): the next page reads the project again.
    utimesSync(source, stamped, new Date(stamped.getTime() + 5000));
    const afterEdit = await page();
    assert.equal(reads(), 3);
    assert.match(afterEdit, /Doch ist das Signal mehr politischer/);
    assert.doesNotMatch(afterEdit, /Noch ist das Signal/);
    assert.match(afterEdit, /Saved in the app\./);

    // The memory changed by another run (a build, an import): the next page shows it.
    const flank = await entryOf(project.dir, 'Es war zu erwarten, dass die NATO ihre Ostflanke');
    const { memory } = await TranslationMemory.open(path.join(project.dir, 'memory', 'memory.jsonl'));
    memory.append([{ ...flank, target: 'Changed by another run.', updated: '2030-01-01T00:00:00Z' }]);
    assert.match(await page(), /Changed by another run\./);

    // The German of a pair edited while its page is open, no page loaded since: a save to it is refused, not stored under the old German.
    const before = read(path.join(project.dir, 'memory', 'memory.jsonl'));
    writeFileSync(source, read(source).replace('Mit seinem Truppenaufmarsch', 'Mit seinem großen Truppenaufmarsch'));
    utimesSync(source, stamped, new Date(stamped.getTime() + 10_000));
    // (Its version as the page had it: the entry of the German as it was, which the memory still holds.)
    const stale = await save(FIRST, 'Mit seinem Truppenaufmarsch', 'Saved against German that is gone.');
    assert.equal(stale.status, 404, stale.body);
    assert.match(stale.body, /reload the page/);
    // Nor is English of two paragraphs joined into one without a word.
    const twoParagraphs = await save(FLANK, 'Es war zu erwarten, dass die NATO ihre Ostflanke', 'Line one.\n\nLine two.');
    assert.equal(twoParagraphs.status, 400, twoParagraphs.body);
    assert.match(twoParagraphs.body, /the English has a blank line; a pair's English is one paragraph/);
    // With Windows line ends too.
    assert.equal((await save(FLANK, 'Es war zu erwarten, dass die NATO ihre Ostflanke', 'Line one.\r\n\r\nLine two.')).status, 400);
    assert.equal(read(path.join(project.dir, 'memory', 'memory.jsonl')), before, 'nothing stored');
  } finally {
    await server.close();
    project.cleanup();
  }
});

test('review app: a save for a title whose German changed since its page was drawn is refused (the row keeps its id)', {
  timeout: 120_000,
}, async () => {
  const project = sampleProject();
  const source = path.join(project.dir, 'sources', 'neu.md');
  writeFileSync(source, '---\ntitle: Alter Titel\n---\n\nEin Absatz.\n');
  const config = await configOf(project.dir);
  const server = await serveReview(config, { log: new MemoryLogger() });
  try {
    const page = await articlePage(server, 'neu');
    const german = /<tr[^>]* id="neu\/title"[^>]*data-german="([0-9a-f]+)"/.exec(page)?.[1];
    assert.ok(german, 'the row says which German it shows');
    writeFileSync(source, '---\ntitle: Ganz anderer Titel\n---\n\nEin Absatz.\n');
    const memoryBefore = read(path.join(project.dir, 'memory', 'memory.jsonl'));
    const stale = await call(server.port, {
      path: '/api/save',
      body: { row: 'neu/title', version: '', german, target: 'Old title' },
      headers: { 'x-diglot-token': server.token },
    });
    assert.equal(stale.status, 404, stale.body);
    assert.match(stale.body, /the German of neu\/title changed since the page showed it; nothing was saved\. Reload the page/);
    assert.equal(read(path.join(project.dir, 'memory', 'memory.jsonl')), memoryBefore);
    // Drawn again, the row says the new German, and a save goes through.
    const fresh = /<tr[^>]* id="neu\/title"[^>]*data-german="([0-9a-f]+)"/.exec(await articlePage(server, 'neu'))?.[1];
    assert.notEqual(fresh, german);
    const saved = await call(server.port, {
      path: '/api/save',
      body: { row: 'neu/title', version: '', german: fresh, target: 'A quite different title' },
      headers: { 'x-diglot-token': server.token },
    });
    assert.equal(saved.status, 200, saved.body);
    assert.equal((await entryOf(project.dir, 'Ganz anderer Titel')).target, 'A quite different title');

    // An English with a line a review file reads as its own markup would break the file's next import: refused.
    const row = /<tr[^>]* id="neu\/([0-9a-f]{8})"[^>]*data-german="([0-9a-f]+)"/.exec(await articlePage(server, 'neu'));
    assert.ok(row, 'the paragraph has a row');
    const before = read(path.join(project.dir, 'memory', 'memory.jsonl'));
    for (const target of ['A paragraph.\\\n<!-- /segment -->', '<!-- ok: number -->', 'A paragraph.  \n  <!-- EN -->']) {
      const refused = await call(server.port, {
        path: '/api/save',
        body: { row: `neu/${row[1]}`, version: '', german: row[2], target },
        headers: { 'x-diglot-token': server.token },
      });
      assert.equal(refused.status, 400, refused.body);
      assert.match(refused.body, /a line a review file reads as its own markup/);
    }
    assert.equal(read(path.join(project.dir, 'memory', 'memory.jsonl')), before);
    // A hard line break (two spaces or a backslash at a line's end) and a no-break space are kept, as a review file's are;
    // a line break of its own is a space, as in Markdown.
    const kept = await call(server.port, {
      path: '/api/save',
      body: { row: `neu/${row[1]}`, version: '', german: row[2], target: 'Line one  \nline\u00a0two\nand three.' },
      headers: { 'x-diglot-token': server.token },
    });
    assert.equal(kept.status, 200, kept.body);
    assert.equal((await entryOf(project.dir, 'Ein Absatz.')).target, 'Line one\\\nline\u00a0two and three.');
  } finally {
    await server.close();
    project.cleanup();
  }
});

test('review app: a save shows at once in every article that holds the same German, and leaves the others as they were', {
  timeout: 120_000,
}, async () => {
  const project = sampleProject();
  const config = await configOf(project.dir);
  const flank = (await entryOf(project.dir, 'Es war zu erwarten, dass die NATO ihre Ostflanke')).source;
  writeFileSync(path.join(project.dir, 'sources', '005_extra.txt'), `Ein Artikel, der einen Absatz teilt.\n\n${flank}\n`);
  const server = await serveReview(config, { log: new MemoryLogger() });
  const page = (id: string): Promise<string> => articlePage(server, id);
  const OTHER = '001_4a3d075f46cdf68a';
  try {
    // Every page worked out once before the save.
    const other = await page(OTHER);
    assert.doesNotMatch(await page('005_extra'), /Saved once, shown twice/);
    const before = await entryOf(project.dir, 'Es war zu erwarten, dass die NATO ihre Ostflanke');
    await page(DOC);
    const saved = await call(server.port, {
      path: '/api/save',
      body: { row: FLANK, version: before.updated, target: 'Saved once, shown twice.' },
      headers: { 'x-diglot-token': server.token },
    });
    assert.equal(saved.status, 200, saved.body);
    assert.match(await page(DOC), /Saved once, shown twice\./);
    assert.match(await page('005_extra'), /Saved once, shown twice\./, 'the other article with the same German');
    assert.equal(await page(OTHER), other, 'an article without it is as it was');
    const index = await call(server.port, { path: '/', headers: { 'x-diglot-token': server.token } });
    assert.equal(index.status, 200);
  } finally {
    await server.close();
    project.cleanup();
  }
});

test('review app: a save into a memory gone since the build is refused and makes no new memory', async () => {
  const project = sampleProject();
  const config = await configOf(project.dir);
  assert.equal((await build(config, { engine: undefined, log: new MemoryLogger() })).exitCode, 0);
  const first = await entryOf(project.dir, 'Mit seinem Truppenaufmarsch');
  const server = await serveReview(config, { log: new MemoryLogger() });
  const { port, token } = server;
  try {
    const memory = path.join(project.dir, 'memory', 'memory.jsonl');
    rmSync(memory);
    const refused = await call(port, {
      path: '/api/save',
      body: { row: FIRST, version: first.updated, target: 'Saved into no memory' },
      headers: { 'x-diglot-token': token, cookie: `diglot-review-${port}=${token}` },
    });
    assert.equal(refused.status, 409, refused.body);
    assert.match(refused.body, /memory\/memory\.jsonl is gone, but output\/ holds a build made with a memory/);
    // Nor as a pair without English, as the page would show it then.
    const again = await call(port, {
      path: '/api/save',
      body: { row: FIRST, version: '', target: 'Saved into no memory' },
      headers: { 'x-diglot-token': token, cookie: `diglot-review-${port}=${token}` },
    });
    assert.equal(again.status, 409, again.body);
    assert.equal(existsSync(memory), false, 'no memory made');
    // Emptied instead, and the page drawn again from it (the app reads a changed input again): refused too.
    writeFileSync(memory, '');
    const cookie = `diglot-review-${port}=${token}`;
    assert.equal((await call(port, { path: `/a/${DOC}`, headers: { cookie } })).status, 200);
    const emptied = await call(port, {
      path: '/api/save',
      body: { row: FIRST, version: '', target: 'Saved into an emptied memory' },
      headers: { 'x-diglot-token': token, cookie },
    });
    assert.equal(emptied.status, 409, emptied.body);
    assert.match(emptied.body, /memory\/memory\.jsonl is empty, but output\/ holds a build made with a memory/);
    assert.equal(readFileSync(memory, 'utf8'), '', 'nothing written to it');
  } finally {
    await server.close();
    project.cleanup();
  }
});
