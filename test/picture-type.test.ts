// Pictures are packed by what their bytes are, not by their names: a JPEG named .png goes into the books as a
// JPEG, a damaged file is warned of at its line and shown as its alt text, and the books stay valid.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { EpubCheck } from '@likecoin/epubcheck-ts';
import { strFromU8, unzipSync } from 'fflate';
import { build } from '../src/pipeline.js';
import { pictureType, pictureTypes } from '../src/sources/picture-type.js';
import { resolveImage } from '../src/render/resolve-link.js';
import { MemoryLogger } from '../src/util/logger.js';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { configOf, deeplEngine, ROOT, sampleProject } from './helpers.js';

const PNG = path.join(ROOT, 'test', 'fixtures', 'constructs', 'sources', 'bilder', 'karte.png');
const JPEG = path.join(ROOT, 'test', 'fixtures', 'pictures', 'foto.jpg');

let server: DeepLServer;
before(async () => {
  server = await startDeepLServer();
});
after(async () => {
  await server.close();
});

test('the type comes from the first bytes: PNG, JPEG, GIF, SVG (after a declaration, doctype or comment); anything else is other', () => {
  assert.equal(pictureType(readFileSync(PNG)), 'image/png');
  assert.equal(pictureType(readFileSync(JPEG)), 'image/jpeg');
  assert.equal(pictureType(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1')), 'image/gif');
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>';
  assert.equal(pictureType(Buffer.from(svg)), 'image/svg+xml');
  const declared = `\ufeff<?xml version="1.0"?>\n<!-- Karte -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd">\n${svg}`;
  assert.equal(pictureType(Buffer.from(declared)), 'image/svg+xml');
  for (const other of ['fake', '', '<html><body><svg></svg></body></html>', 'GIF90a', '\x89PNG\r\n'])
    assert.equal(pictureType(Buffer.from(other, 'latin1')), 'other', JSON.stringify(other));
});

test('through a build: a JPEG named .png is packed as a JPEG, a damaged picture is a warning at its line, and both books pass epubcheck', async () => {
  const p = sampleProject({ emptyMemory: true });
  try {
    const sources = path.join(p.dir, 'sources');
    for (const name of readdirSync(sources)) rmSync(path.join(sources, name));
    mkdirSync(path.join(sources, 'bilder'));
    copyFileSync(JPEG, path.join(sources, 'bilder', 'foto.png'));
    copyFileSync(PNG, path.join(sources, 'bilder', 'karte.png'));
    writeFileSync(path.join(sources, 'bilder', 'kaputt.png'), 'not a picture');
    // SVG 1.1 as Illustrator and Inkscape save it (a doctype EPUB forbids: taken out), one with a script and a remote
    // picture, one without the SVG namespace (neither fit for a book: text, said).
    const svg = (body: string, ns = ' xmlns="http://www.w3.org/2000/svg"'): string => `<svg${ns} width="5" height="5">${body}</svg>\n`;
    const doctype =
      '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n';
    writeFileSync(path.join(sources, 'bilder', 'grafik.svg'), `${doctype}${svg('<text>Hallo</text>')}`);
    writeFileSync(
      path.join(sources, 'bilder', 'skript.svg'),
      svg('<script>alert(1)</script><image href="https://example.org/x.png" width="5" height="5"/>'),
    );
    writeFileSync(path.join(sources, 'bilder', 'ohne.svg'), svg('<rect width="5" height="5"/>', ''));
    const text = [
      '# Bilder',
      '',
      '![Ein Foto](bilder/foto.png)',
      '',
      '![Eine Karte](bilder/karte.png)',
      '',
      '![Kaputt](bilder/kaputt.png)',
      '',
      '![Grafik](bilder/grafik.svg)',
      '',
      '![Skript](bilder/skript.svg)',
      '',
      '![Ohne](bilder/ohne.svg)',
      '',
    ];
    writeFileSync(path.join(sources, 'bilder.md'), text.join('\n'));
    const log = new MemoryLogger();
    const result = await build(await configOf(p.dir), { engine: deeplEngine(server.url), log });
    assert.equal(result.exitCode, 0, result.error?.message);
    const warnings = log.lines.filter((e) => e.level === 'warn').map((e) => e.message);
    assert.equal(warnings.length, 3, warnings.join('\n'));
    assert.match(
      warnings[0] ?? '',
      /^sources\/bilder\.md:7: picture \[\w+\]: picture "bilder\/kaputt\.png" shows as text in the books: a book shows PNG, JPEG, GIF and SVG pictures only, and sources\/bilder\/kaputt\.png holds none of them$/,
    );
    for (const [i, name, line] of [
      [1, 'skript', 11],
      [2, 'ohne', 13],
    ] as const)
      assert.match(
        warnings[i] ?? '',
        new RegExp(
          `^sources/bilder\\.md:${line}: picture .*sources/bilder/${name}\\.svg is an SVG no EPUB may hold \\(a script, an event handler`,
        ),
      );
    for (const book of ['edition.epub', 'edition.en.epub']) {
      const file = path.join(p.dir, 'output', book);
      const files = unzipSync(readFileSync(file));
      const opf = strFromU8(files['OEBPS/content.opf'] ?? new Uint8Array());
      const images = [...opf.matchAll(/<item [^>]*href="(images\/[^"]+)"[^>]*media-type="([^"]+)"/g)].map(
        (m) => `${path.extname(m[1] ?? '')} ${m[2]}`,
      );
      assert.deepEqual(images.sort(), ['.jpg image/jpeg', '.png image/png', '.svg image/svg+xml'], book);
      const packed = Object.entries(files).find(([name]) => name.endsWith('.svg'))?.[1];
      assert.equal(strFromU8(packed ?? new Uint8Array()), `<?xml version="1.0"?>\n\n${svg('<text>Hallo</text>')}`, 'without its doctype');
      const chapters = Object.entries(files)
        .filter(([name]) => name.endsWith('.xhtml'))
        .map(([, data]) => strFromU8(data))
        .join('');
      assert.doesNotMatch(chapters, /kaputt/, `${book}: the damaged picture is not referenced`);
      const checked = await EpubCheck.validate(new Uint8Array(readFileSync(file)));
      const problems = checked.messages.filter((m) => ['fatal', 'error', 'warning'].includes(m.severity.toLowerCase()));
      assert.deepEqual(
        problems.map((m) => `${m.id} ${m.message}`),
        [],
        book,
      );
    }
  } finally {
    p.cleanup();
  }
});

test('only a regular file inside the project is read as a picture: a pipe would block the build, a link out of it would pack a file of elsewhere', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-pictures-'));
  try {
    const project = path.join(dir, 'project');
    mkdirSync(path.join(project, 'sources', 'folder.png'), { recursive: true });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    writeFileSync(path.join(dir, 'outside.png'), png);
    writeFileSync(path.join(project, 'sources', 'inside.png'), png);
    symlinkSync(path.join(dir, 'outside.png'), path.join(project, 'sources', 'link.png'));
    symlinkSync(path.join(project, 'sources', 'inside.png'), path.join(project, 'sources', 'near.png'));
    const fifo = spawnSync('mkfifo', [path.join(project, 'sources', 'pipe.png')]).status === 0;
    const type = pictureTypes(project);
    assert.deepEqual(
      ['inside', 'near', 'link', 'folder', ...(fifo ? ['pipe'] : [])].map((name) => type(`sources/${name}.png`)),
      ['image/png', 'image/png', 'outside', 'not-a-file', ...(fifo ? ['not-a-file'] : [])],
    );
    const resolved = resolveImage('link.png', 'sources/a.md', type);
    assert.deepEqual(resolved, {
      kind: 'text',
      why: 'sources/link.png is a link to a file outside the project: copy the picture beside the sources',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
