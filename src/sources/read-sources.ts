import { lstatSync, readFileSync, type Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseToml, TomlDate, type TomlError } from 'smol-toml';
import { parseDocument } from 'yaml';
import type { ArticleMeta, Message, SourceDocument } from '../model.js';
import { InputError } from '../util/errors.js';
import { counted } from '../util/format-count.js';
import { LineIndex } from '../util/lines.js';
import { badDateMarker, dateMarker, isArticleDate } from '../text/date-marker.js';
import { utf8Text } from '../text/strict-utf8.js';
import { checkNesting } from './check-nesting.js';

/** An article's file in the sources folder, by its extension: Markdown or plain text. */
const ARTICLE_FILE = /\.(md|txt)$/i;

/** Whether a name in the sources folder is an article's: `.md` or `.txt`, and not hidden (`._a.md` that macOS leaves, `.a.md.swp`). */
export function isArticleName(name: string): boolean {
  return ARTICLE_FILE.test(name) && !name.startsWith('.');
}

/** Whether an article's text holds nothing: white space and invisible characters (a zero-width space, a soft hyphen) alone. */
export function isBlankText(text: string): boolean {
  return text.replace(/\p{Cf}/gu, '').trim() === '';
}

/** The folder of the sources folder where `diglot import` keeps the raw files it turned into sources. */
export const RAW_DIR = 'raw';

const FRONT_MATTER = /^---[ \t]*(?:\r\n?|\n)([\s\S]*?)(?:\r\n?|\n)(?:---|\.\.\.)[ \t]*(?:\r\n?|\n|$)/;
/** TOML front matter, as Hugo writes it: between `+++` lines. */
const TOML_FRONT_MATTER = /^\+\+\+[ \t]*(?:\r\n?|\n)([\s\S]*?)(?:\r\n?|\n)\+\+\+[ \t]*(?:\r\n?|\n|$)/;

/**
 * Reads every `.md` and `.txt` file in `dir` (not recursive, sorted by name), decoding strictly as
 * UTF-8. Files that cannot be read as text come back as problems with file and line, never as a
 * silently empty article.
 */
export async function readSources(
  root: string,
  dir: string,
  output?: string,
  /** Whether an id was an article's in the last build: of names that come out the same but for case, such a one keeps it. */
  builtBefore: (id: string) => boolean = () => false,
): Promise<{ documents: SourceDocument[]; problems: Message[] }> {
  const absolute = path.resolve(root, dir);
  let entries: Dirent[];
  try {
    entries = await readdir(absolute, { withFileTypes: true });
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    // A file given for the folder ("sources": "sources/a.md") is named as such.
    if (code === 'ENOTDIR')
      throw new InputError(
        `${dir} is a file, not the sources folder`,
        `set "sources" in diglot.config.json to the folder that holds the articles (e.g. "${path.dirname(dir)}")`,
      );
    throw new InputError(
      `${dir}: cannot read the sources folder${code === 'ENOENT' ? '' : ` (${code})`}`,
      `create ${dir}/ and put .md or .txt articles in it`,
    );
  }
  const documents: SourceDocument[] = [];
  const problems: Message[] = await unreadArticles(absolute, dir, entries, output && path.resolve(root, output));
  // Hidden files (`._a.md` that macOS leaves on shared drives, an editor's `.a.md.swp`) are no articles.
  // Files (and links, refused below) only: a folder or a pipe named `a.md` is none, and takes no article's id.
  const articleNames = entries
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && isArticleName(e.name))
    .map((e) => e.name)
    .sort();
  const ids = articleIds(articleNames, builtBefore);
  const skipped = new Set<string>();
  // Read one after another, synchronously, in name order (the article order): thousands of reads
  // through libuv's threadpool cost several times the CPU.
  for (const name of articleNames) {
    const file = path.join(absolute, name);
    const rel = path.posix.join(dir.split(path.sep).join('/'), name);
    const info = lstatSync(file);
    if (info.isSymbolicLink()) {
      problems.push({
        file: rel,
        line: 1,
        rule: 'source',
        severity: 'error',
        message: 'is a symbolic link; diglot reads only regular files in the sources folder',
      });
      continue;
    }
    if (!info.isFile()) continue;
    const result = sourceFromBytes(readFileSync(file), file, rel, ids.get(name) as string);
    if ('message' in result) problems.push(result);
    else documents.push(result);
    if ('message' in result && result.severity === 'warning') skipped.add(name);
  }
  // A file skipped (empty) is no article and takes no id: the others are given theirs without it (`z.md` emptied beside `z.txt`).
  if (skipped.size > 0) {
    const final = articleIds(
      articleNames.filter((name) => !skipped.has(name)),
      builtBefore,
    );
    for (const doc of documents) doc.id = final.get(path.basename(doc.path)) ?? doc.id;
  }
  return { documents, problems };
}

/** Files that hold text people write articles in, which diglot does not read: said rather than passed over. */
const OTHER_DOCUMENTS = /\.(markdown|mdown|mkd|mdx|text|html?|docx?|odt|rtf)$/i;

/**
 * Warnings for what in the sources folder looks like articles but is not read: files of another
 * kind (`.markdown`, `.docx` …), and folders that hold `.md` or `.txt` files (articles filed by
 * year in `sources/2024/` would otherwise be left out without a word). `raw/`, where `diglot
 * import` puts the raw files it has turned into sources, is meant to be left out.
 */
async function unreadArticles(absolute: string, dir: string, entries: readonly Dirent[], output?: string): Promise<Message[]> {
  const problems: Message[] = [];
  const shown = dir.split(path.sep).join('/');
  const warn = (file: string, message: string): void =>
    void problems.push({ file: path.posix.join(shown, file), line: 0, rule: 'source', severity: 'warning', message });
  for (const entry of [...entries].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.isFile() && OTHER_DOCUMENTS.test(entry.name))
      warn(entry.name, 'is not read: diglot reads .md (Markdown) and .txt (plain text) articles; rename or convert it to one of those');
    const named = isArticleName(entry.name);
    if (named && !entry.isFile() && !entry.isDirectory() && !entry.isSymbolicLink())
      warn(entry.name, 'is not a regular file (a pipe, a socket or a device): not read as an article');
    const folder = path.join(absolute, entry.name);
    // The output folder may lie in the sources folder: its review files and English Markdown are no articles.
    if (entry.name === RAW_DIR || entry.name.startsWith('.') || folder === output) continue;
    // A link to a folder is not followed either: said as such, whatever it holds.
    if (entry.isSymbolicLink() && (await stat(folder).catch(() => undefined))?.isDirectory())
      warn(`${entry.name}/`, `is a link to a folder, and is not read: diglot reads the .md and .txt files directly in ${dir}/`);
    if (!entry.isDirectory()) continue;
    // A project of its own (`diglot init sources/sub`): its articles, and the files its builds write, are its own.
    if (await stat(path.join(folder, 'diglot.config.json')).catch(() => undefined)) {
      warn(
        `${entry.name}/`,
        `is a diglot project of its own (it holds diglot.config.json): not read here; build it with --root ${path.posix.join(shown, entry.name)}`,
      );
      continue;
    }
    // At any depth (`2024/05/a.md`): articles filed by year and month are said as well.
    const inside = await readdir(folder, { recursive: true }).catch(() => [] as string[]);
    // Not those of an output folder deeper in it (`sources/z/english/`).
    const ofOutput = (n: string): boolean => output !== undefined && path.join(folder, n).startsWith(output + path.sep);
    const articles = inside.filter((n) => isArticleName(path.basename(n)) && !ofOutput(n)).length;
    if (articles > 0)
      warn(
        `${entry.name}/`,
        `holds ${counted(articles, 'article')} that ${articles === 1 ? 'is' : 'are'} not read: ` +
          `diglot reads the .md and .txt files directly in ${dir}/, not in its folders`,
      );
    else if (named) warn(`${entry.name}/`, 'is a folder, not an article: not read');
  }
  return problems;
}

/**
 * Reads one source file: strict UTF-8, BOM dropped, format by extension, metadata from the front
 * matter or the date marker. A file that cannot be used comes back as a problem with its line.
 */
export async function readSourceFile(file: string, rel: string): Promise<SourceDocument | Message> {
  return sourceFromBytes(await readFile(file), file, rel, sourceId(file));
}

/**
 * The id of each article file, by name. A file named as its id (`a-b.md`) keeps it; then one named
 * so but for its letters' composition (`Ärger.md` as macOS writes it, decomposed, beside the composed
 * one); one whose name only comes out the same (`a b.md` beside it) takes a number: a file added
 * beside it never takes its id, though one named as that id does. Ids are told apart without regard to case;
 * of two named as their ids but for case, the one the last build gave its id keeps it.
 */
function articleIds(names: readonly string[], builtBefore: (id: string) => boolean): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  const wanted = names.map((name) => {
    const stem = name.replace(ARTICLE_FILE, '');
    const id = safeId(stem);
    return { name, id, rank: id === stem ? 0 : id === stem.normalize('NFC') ? 1 : 2 };
  });
  // Within a rank, an id the last build gave first (`wahl.md` built, `WAHL.md` added beside it: wahl keeps its id);
  // asked only of ids that clash.
  const alike = new Map<string, number>();
  for (const w of wanted) alike.set(w.id.toLowerCase(), (alike.get(w.id.toLowerCase()) ?? 0) + 1);
  const before = new Set(wanted.filter((w) => (alike.get(w.id.toLowerCase()) ?? 0) > 1 && builtBefore(w.id)).map((w) => w.name));
  const order = [...wanted].sort((a, b) => a.rank - b.rank || Number(before.has(b.name)) - Number(before.has(a.name)));
  for (const w of order) ids.set(w.name, uniqueId(w.id, used));
  return ids;
}

/**
 * The longest article id, in UTF-8 bytes: output files are named after it (`.<id>.<hash>.part.<pid>.tmp`
 * the longest), and file systems take names of at most 255 bytes.
 */
const MAX_ID_BYTES = 150;

/** {@link readSourceFile} once the file's bytes are read. */
function sourceFromBytes(bytes: Buffer, file: string, rel: string, id: string): SourceDocument | Message {
  if (Buffer.byteLength(id) > MAX_ID_BYTES)
    return {
      file: rel,
      line: 1,
      rule: 'source',
      severity: 'error',
      message:
        `its name is too long (${Buffer.byteLength(id)} bytes): diglot names the article's output files after it, ` +
        `and a file name may have at most 255 bytes; rename it to at most ${MAX_ID_BYTES} bytes`,
    };
  const decoded = utf8Text(bytes);
  if (typeof decoded !== 'string') return { file: rel, line: decoded.line, rule: 'source', severity: 'error', message: decoded.message };
  // A CR alone ends a line (old Mac files, as CommonMark reads them): written as a line feed, so that
  // no text, review file or English holds a bare CR that the review file's lines would not keep.
  const text = decoded.replace(/^\uFEFF/, '').replace(/\r(?!\n)/g, '\n');
  // Invisible characters alone make no article either: it would have an invisible title.
  if (isBlankText(text)) return { file: rel, line: 1, rule: 'source', severity: 'warning', message: 'is empty; skipped' };
  const name = path.basename(file);
  const format = /\.md$/i.test(name) ? 'md' : 'txt';
  const meta = format === 'md' ? markdownMeta(text) : textMeta(text);
  if ('message' in meta) return { file: rel, line: meta.line, rule: 'source', severity: 'error', message: meta.message };
  // Refused before anything parses it: the parser and the tree walkers recurse per level.
  const nesting = format === 'md' ? checkNesting(text) : undefined;
  if (nesting) {
    const what = nesting.what === 'containers' ? 'quotes and lists inside each other' : 'emphasis, brackets or HTML tags open at once';
    return {
      file: rel,
      line: nesting.line,
      rule: 'source',
      severity: 'error',
      message: `nesting deeper than ${nesting.limit} (${what}); diglot refuses structure this deep`,
    };
  }
  return { id, path: rel, format, text, meta };
}

/**
 * Where a quoted scalar that is never closed opens: the parser names the end of the text, where it
 * gave up. The line of the last quote of that kind left open before it; `undefined` for other errors.
 */
function openingQuoteLine(yaml: string, error: { code: string; message: string; pos: [number, number] }): number | undefined {
  const quote = error.code === 'MISSING_CHAR' ? /Missing closing (["'])quote/.exec(error.message)?.[1] : undefined;
  if (quote === undefined) return undefined;
  let openedAt: number | undefined;
  yaml
    .slice(0, error.pos[0])
    .split('\n')
    .forEach((line, i) => {
      // A double-quoted scalar escapes its quote with a backslash, a single-quoted one doubles it.
      const marks = quote === '"' ? line.replace(/\\./g, '').split('"').length - 1 : line.replace(/''/g, '').split("'").length - 1;
      if (marks % 2 === 1) openedAt = openedAt === undefined ? i + 1 : undefined;
    });
  return openedAt;
}

/** The id a source file's name gives its article (a twin's number aside, see `articleIds`): `sources/a b.md` is `a-b`. */
export function sourceId(file: string): string {
  return safeId(path.basename(file).replace(ARTICLE_FILE, ''));
}

/** An output-safe article id: letters, digits, `.`, `_`, `-`; never starting with `-` or `.`. */
export function safeId(stem: string): string {
  const cleaned = stem
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/^[-.]+/, '')
    .replace(/-+$/, '');
  return cleaned === '' ? 'article' : cleaned;
}

function uniqueId(id: string, used: Set<string>): string {
  let candidate = id;
  for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = `${id}-${n}`;
  used.add(candidate.toLowerCase());
  return candidate;
}

/** A day with a time of day (and a time zone), ISO 8601 or with a space: `2024-05-03 10:00`, `2024-05-03T10:00:00.5Z`. */
const DATE_WITH_TIME = /^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?(?:Z|[+-]\d{2}(?::?\d{2})?))?$/;

/** Metadata of a raw `.txt`: the leading ` date YYYY-MM ` marker, or why it cannot be read. */
function textMeta(text: string): ArticleMeta | { line: number; message: string } {
  const bad = badDateMarker(text);
  if (bad) return { line: 1, message: bad };
  const { date } = dateMarker(text);
  return date ? { date } : {};
}

/** Metadata of a `.md` from its YAML (or TOML) front matter, or where and why the front matter is broken. */
function markdownMeta(text: string): ArticleMeta | { line: number; message: string } {
  const toml = TOML_FRONT_MATTER.exec(text);
  if (toml) return tomlMeta(toml[1] ?? '');
  if (/^\+\+\+[ \t]*\r?\n[A-Za-z_][\w-]*[ \t]*=/.test(text))
    return { line: 1, message: 'front matter opened here is never closed: add a `+++` line after its last key' };
  const match = FRONT_MATTER.exec(text);
  // A `---` line, then a key: front matter whose closing line is missing would be read, and translated, as text.
  if (!match && /^---[ \t]*\r?\n[A-Za-z_][\w-]*:(?:[ \t]|\r?\n)/.test(text))
    return { line: 1, message: 'front matter opened here is never closed: add a `---` line after its last key' };
  if (!match || match[1] === undefined) return {};
  // Read with old Mac line ends (a lone CR) as LF, which the YAML parser takes for a line end: offsets stay as they are.
  const yamlText = match[1].replace(/\r(?!\n)/g, '\n');
  const doc = parseDocument(yamlText, { prettyErrors: false, uniqueKeys: true });
  const firstError = doc.errors[0];
  if (firstError) {
    const yamlLine = openingQuoteLine(yamlText, firstError) ?? new LineIndex(yamlText).at(firstError.pos[0]).line;
    return { line: yamlLine + 1, message: `front matter is not valid YAML: ${firstError.message.split('\n')[0]}` };
  }
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    return { line: 2, message: 'front matter must be a mapping of keys (title: …, date: …)' };
  }
  return recordMeta(data as Record<string, unknown>, (key) => {
    const at = yamlText.split(/\r?\n/).findIndex((l) => new RegExp(`^${key}[ \\t]*:`).test(l));
    return at < 0 ? 2 : at + 2;
  });
}

/** Metadata of TOML front matter (`+++`), or where and why it is broken. */
function tomlMeta(tomlText: string): ArticleMeta | { line: number; message: string } {
  let data: Record<string, unknown>;
  try {
    data = parseToml(tomlText);
  } catch (error) {
    const { line = 1, message } = error as TomlError;
    return { line: line + 1, message: `front matter is not valid TOML: ${message.split('\n')[0]}` };
  }
  return recordMeta(data, (key) => {
    const at = tomlText.split(/\r?\n/).findIndex((l) => new RegExp(`^${key}[ \\t]*=`).test(l));
    return at < 0 ? 2 : at + 2;
  });
}

/** An article's metadata from its front matter's keys; `lineOf` a key's line in the file, for a bad date. */
function recordMeta(record: Record<string, unknown>, lineOf: (key: string) => number): ArticleMeta | { line: number; message: string } {
  const meta: ArticleMeta = {};
  for (const key of ['title', 'description', 'author', 'source'] as const) {
    const value = record[key];
    if (typeof value === 'string' && value.trim() !== '') meta[key] = value.trim();
    else if (Array.isArray(value) && key === 'author') meta.author = value.map(String).join(', ');
  }
  if (record['draft'] === true) meta.draft = true;
  const date = record['date'];
  // A TOML date is written back as it was (its offset kept); a YAML one is a day.
  if (date instanceof TomlDate) meta.date = date.toISOString();
  else if (date instanceof Date) meta.date = date.toISOString().slice(0, 10);
  else if (typeof date === 'string' || typeof date === 'number') meta.date = String(date).trim();
  else if (date !== undefined && date !== null) meta.date = JSON.stringify(date);
  // A date with its time, as static-site generators write it (`2024-05-03T10:00:00+02:00`): its day as written.
  const timed = meta.date === undefined ? null : DATE_WITH_TIME.exec(meta.date);
  if (timed?.[1] !== undefined) meta.date = timed[1];
  if (meta.date !== undefined && !isArticleDate(meta.date)) {
    return {
      line: lineOf('date'),
      message:
        `date "${meta.date}" is not one diglot reads: ` +
        'write YYYY, YYYY-MM or YYYY-MM-DD (a real day; a time after it is left out), or leave it out',
    };
  }
  return meta;
}
