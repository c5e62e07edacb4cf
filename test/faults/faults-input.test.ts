/**
 * Bad input and hostile input: each case is handled correctly or refused with file:line and a
 * non-zero exit, never a stack trace, never a silent drop; the API key never appears anywhere;
 * every text is escaped in the editions; nothing is written outside output/ and memory/.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { EpubCheck } from '@likecoin/epubcheck-ts';
import { strFromU8, unzipSync } from 'fflate';
import { startDeepLServer, type DeepLServer } from '../deepl-server.js';
import { sampleProject, runCli } from '../helpers.js';

const SECRET = 'SECRET-a1b2c3d4-KEY:fx';

let server: DeepLServer;
before(async () => {
  server = await startDeepLServer({ validKeys: [SECRET] });
});
after(async () => {
  await server.close();
});

async function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  const result = await runCli(args, env);
  return { code: result.code, out: result.stdout + result.stderr };
}

const noStackTrace = (out: string): void => assert.doesNotMatch(out, /\n\s+at .+:\d+:\d+\)?\n|internal error/, out);

test('refused inputs: file:line, exit 2, no stack trace, nothing written', async () => {
  const cases: Array<[string, string | Buffer, RegExp]> = [
    ['latin1.txt', Buffer.from(' date 2022-01 Gr\xfc\xdfe\n', 'latin1'), /sources\/latin1\.txt:1: is not valid UTF-8/],
    [
      'binary.md',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      /sources\/binary\.md:3: looks like a binary file/,
    ],
    ['broken.md', '---\ntitle: "unclosed\ndate: 2022\n---\n\nText\n', /sources\/broken\.md:\d+: front matter is not valid YAML/],
    // As Windows Notepad saves "Unicode", with and without its byte-order mark.
    [
      'notepad.txt',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Grüße aus Kiel.\n', 'utf16le')]),
      /sources\/notepad\.txt:1: is UTF-16 text; diglot reads UTF-8: convert it, e\.g\. iconv -f utf-16 -t utf-8/,
    ],
    ['bare.txt', Buffer.from('Grüße aus Kiel.\n', 'utf16le'), /sources\/bare\.txt:1: is UTF-16 text/],
  ];
  for (const [name, content, expected] of cases) {
    const project = sampleProject();
    try {
      writeFileSync(path.join(project.dir, 'sources', name), content);
      const result = await run(['build', '--root', project.dir]);
      assert.equal(result.code, 2, `${name}: ${result.out}`);
      assert.match(result.out, expected);
      noStackTrace(result.out);
      assert.ok(!existsSync(path.join(project.dir, 'output', 'report.json')), `${name}: nothing written`);
    } finally {
      project.cleanup();
    }
  }
});

test('odd but valid inputs are handled: empty, front matter only, BOM, CRLF, NBSP, soft hyphens, nesting, raw HTML, odd names', async () => {
  const project = sampleProject();
  try {
    const src = (name: string, text: string | Buffer): void => writeFileSync(path.join(project.dir, 'sources', name), text);
    src('empty.md', '');
    // Invisible characters only (a zero-width space, a soft hyphen, a word joiner): as empty.
    src('invisible.md', '\u200B\u00AD\n\u2060\n');
    src('only-front-matter.md', '---\ntitle: Nur ein Titel\n---\n');
    src('bom crlf.md', Buffer.from('\uFEFF# Überschrift\r\n\r\nErster\u00A0Absatz mit wei\u00ADchem Trenn\u00ADstrich.\r\n', 'utf8'));
    src(
      '-dash Ümlaut.md',
      `${Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i)}- Ebene ${i}`).join('\n')}\n\n<div onclick="x()">HTML bleibt</div>\n`,
    );
    const sentence = 'Die Allianz verstärkt ihre Ostflanke, sagte Dr. Müller am 5. Dezember. ';
    src('huge paragraph.txt', ` date 2022-01 ${sentence.repeat(Math.ceil(300_000 / sentence.length)).trim()}`);
    const result = await run(['build', '--root', project.dir], { DEEPL_AUTH_KEY: SECRET, DEEPL_SERVER_URL: server.url });
    assert.equal(result.code, 0, result.out);
    noStackTrace(result.out);
    assert.match(result.out, /sources\/empty\.md:1: is empty; skipped/);
    assert.match(result.out, /sources\/invisible\.md:1: is empty; skipped/);
    const huge =
      readFileSync(path.join(project.dir, 'output', 'huge-paragraph.en.md'), 'utf8')
        .split('---\n')[2]
        ?.trim() ?? '';
    assert.ok(!huge.includes('\n'), 'the 300 KB paragraph comes back as one paragraph');
    assert.equal((huge.match(/eastern flank/g) ?? []).length, Math.ceil(300_000 / sentence.length), 'every sentence of it translated');
    const out = readdirSync(path.join(project.dir, 'output'));
    for (const id of ['only-front-matter', 'bom-crlf', 'dash-Ümlaut']) assert.ok(out.includes(`${id}.en.md`), `${id} in ${out.join(', ')}`);
    const english = readFileSync(path.join(project.dir, 'output', 'bom-crlf.en.md'), 'utf8');
    assert.match(english, /^# EN: Überschrift\r\n\r\nEN: Erster/);
    const nested = readFileSync(path.join(project.dir, 'output', 'dash-Ümlaut.en.md'), 'utf8');
    assert.equal((nested.match(/EN: Ebene/g) ?? []).length, 40, 'every nesting level translated, none dropped');
    assert.match(nested, /<div onclick="x\(\)">EN: HTML bleibt<\/div>/, 'raw HTML block: its text translated, its markup as written');
    // The same memory entry serves NBSP/soft-hyphen variants: one text, one translation.
    const report = JSON.parse(readFileSync(path.join(project.dir, 'output', 'report.json'), 'utf8'));
    assert.equal(report.totals.missing, 0);
  } finally {
    project.cleanup();
  }
});

test('a memory file with a corrupt line: refused whole (exit 2) naming its line, nothing written, the file not rewritten', async () => {
  const project = sampleProject();
  try {
    const file = path.join(project.dir, 'memory', 'memory.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.splice(10, 0, '{"source": "kaputt", oops');
    writeFileSync(file, lines.join('\n'));
    const before = readFileSync(file, 'utf8');
    const result = await run(['build', '--root', project.dir]);
    assert.equal(result.code, 2, result.out);
    assert.match(result.out, /memory\/memory\.jsonl:11: not valid JSON/);
    assert.equal(readFileSync(file, 'utf8'), before);
    assert.equal(existsSync(path.join(project.dir, 'output')), false, 'nothing written');
  } finally {
    project.cleanup();
  }
});

test('hostile text is escaped in both EPUBs, which still validate', async () => {
  const project = sampleProject();
  try {
    writeFileSync(
      path.join(project.dir, 'sources', 'hostile.md'),
      '---\ntitle: "<script>alert(1)</script> & Co"\n---\n\nEin <script>alert(1)</script> im Text, ein <img src=x onerror=alert(2)> und ]]> sowie &amp; und &lt;b&gt;.\n\n<script>alert(3)</script>\n',
    );
    const result = await run(['build', '--root', project.dir], { DEEPL_AUTH_KEY: SECRET, DEEPL_SERVER_URL: server.url });
    assert.equal(result.code, 0, result.out);
    for (const book of ['edition.epub', 'edition.en.epub']) {
      const bytes = readFileSync(path.join(project.dir, 'output', book));
      const files = unzipSync(bytes);
      const xhtml = Object.entries(files)
        .filter(([n]) => n.endsWith('.xhtml'))
        .map(([, d]) => strFromU8(d))
        .join('\n');
      assert.doesNotMatch(xhtml, /<script|<img/i, book);
      assert.match(xhtml, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, book);
      const check = await EpubCheck.validate(new Uint8Array(bytes));
      assert.deepEqual(
        check.messages.filter((m: { severity: string }) => ['FATAL', 'ERROR'].includes(m.severity.toUpperCase())),
        [],
        book,
      );
    }
  } finally {
    project.cleanup();
  }
});

test('nothing is written outside output/ and memory/: symlinks and paths are refused', async () => {
  const project = sampleProject();
  try {
    const outside = path.join(project.dir, '..', `outside-${path.basename(project.dir)}`);
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'secret.md'), '# Geheim\n');
    symlinkSync(path.join(outside, 'secret.md'), path.join(project.dir, 'sources', 'link.md'));
    const linked = await run(['build', '--root', project.dir]);
    assert.equal(linked.code, 2);
    assert.match(linked.out, /sources\/link\.md:1: is a symbolic link/);

    const config = JSON.parse(readFileSync(path.join(project.dir, 'diglot.config.json'), 'utf8'));
    for (const bad of [{ output: '../elsewhere' }, { memory: '/tmp/x.jsonl' }, { output: outside }]) {
      writeFileSync(path.join(project.dir, 'diglot.config.json'), JSON.stringify({ ...config, ...bad }));
      const refused = await run(['build', '--root', project.dir]);
      assert.equal(refused.code, 2, JSON.stringify(bad));
      assert.match(refused.out, /must be a path inside the project/);
    }
    writeFileSync(path.join(project.dir, 'diglot.config.json'), JSON.stringify(config));
    rmSync(path.join(project.dir, 'sources', 'link.md'));
    rmSync(path.join(project.dir, 'output'), { recursive: true, force: true });
    symlinkSync(outside, path.join(project.dir, 'output'));
    const redirected = await run(['build', '--root', project.dir]);
    assert.equal(redirected.code, 2, redirected.out);
    assert.match(redirected.out, /output\/ is a symbolic link or not a folder/);
    assert.deepEqual(readdirSync(outside), ['secret.md']);
  } finally {
    project.cleanup();
  }
});

test('the API key never appears in console output, logs, report.json or any output file', async () => {
  const project = sampleProject({ emptyMemory: true });
  try {
    writeFileSync(path.join(project.dir, 'sources', 'neu.md'), `Ein Absatz, der den Schlüssel ${SECRET.slice(0, 3)}… nicht enthält.\n`);
    const outputs: string[] = [];
    const env = { DEEPL_AUTH_KEY: SECRET, DEEPL_SERVER_URL: server.url, DIGLOT_RETRIES: '0' };
    server.failNext(403, 1);
    outputs.push((await run(['build', '--root', project.dir], { ...env, DEEPL_AUTH_KEY: `${SECRET}x` })).out);
    server.failNext(456, 1, { path: '/v2/translate' });
    outputs.push((await run(['build', '--root', project.dir], env)).out);
    server.failNext(500, 5, { path: '/v2/translate' });
    outputs.push((await run(['build', '--root', project.dir], env)).out);
    outputs.push((await run(['build', '--root', project.dir], { ...env, DEEPL_SERVER_URL: 'http://127.0.0.1:9' })).out);
    outputs.push((await run(['build', '--root', project.dir, '--json'], env)).out);
    outputs.push((await run(['glossary', 'sync', '--root', project.dir], env)).out);
    for (const out of outputs) assert.ok(!out.includes(SECRET) && !out.includes(`${SECRET}x`), out);
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? walk(path.join(dir, n)) : [path.join(dir, n)]));
    for (const file of walk(project.dir)) {
      const content = readFileSync(file);
      assert.equal(content.includes(SECRET), false, `${file} contains the key`);
      if (file.endsWith('.epub'))
        for (const [, data] of Object.entries(unzipSync(content))) assert.equal(Buffer.from(data).includes(SECRET), false, file);
    }
  } finally {
    project.cleanup();
  }
});
