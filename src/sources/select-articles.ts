// Turns the articles named on the command line (`diglot build ARTICLE…`) into the ids of the
// project's articles: a source path, a review file or English Markdown path, or an id.
import { existsSync } from 'node:fs';
import path from 'node:path';
import leven, { closestMatch } from 'leven';
import type { SegmentedDocument } from '../model.js';
import { InputError } from '../util/errors.js';

/** Where the names are read from. */
export interface SelectionPlaces {
  /** The project root (absolute). */
  root: string;
  /** The output folder, relative to the root: its review files and English Markdown name their article too. */
  output: string;
  /** The working directory the names were typed in (absolute); paths are tried from here, then from the root. */
  cwd: string;
  /** The sources folder, relative to the root: a file there that gave no article (empty, say) is named as such. */
  sources?: string;
}

/**
 * The ids of the articles `names` mean, in the project's order. A name is a path to the article's
 * source (`sources/x.md`), to its review file or English Markdown in the output folder (relative to
 * the working directory or to the project root), or its id (the source's file stem, `x`). A name
 * that is none of these is an InputError that suggests the nearest id.
 */
export function selectArticles(articles: readonly SegmentedDocument[], names: readonly string[], places: SelectionPlaces): Set<string> {
  // In NFC: a name typed on one system matches a file named on another (macOS keeps "ü" as "u" and a mark).
  const byPath = new Map(articles.map((a) => [path.resolve(places.root, a.doc.path).normalize('NFC'), a.doc.id]));
  const ids = new Set(articles.map((a) => a.doc.id));
  const out = path.resolve(places.root, places.output);
  const chosen = new Set<string>();
  const unknown: string[] = [];
  for (const name of names) {
    const id = idOf(name, byPath, ids, out, places);
    if (id === undefined) unknown.push(name);
    else chosen.add(id);
  }
  // A source that is there but gave no article (an empty file; it was warned of): said as such.
  const skipped = unknown.flatMap((name) => {
    const file = sourceFileOf(name, places);
    // (A name that only shares its stem with an article's file, `sources/raw/x.txt` beside `sources/x.md`, is no name of it.)
    return file === undefined || byPath.has(path.resolve(places.root, file).normalize('NFC')) ? [] : [file];
  });
  if (skipped.length > 0)
    throw new InputError(
      `build: ${skipped.join(', ')} ${skipped.length === 1 ? 'is' : 'are'} no article (see the warning above): nothing to build`,
      'write the article, or name another',
    );
  if (unknown.length > 0) {
    const [first] = unknown;
    const stem = stemOf(first ?? '');
    const near = closestMatch(stem, [...ids], { maxDistance: 3 });
    // Else the one id that holds the name whole (`nato` renamed `nato-ostflanke`), as a renamed article's often does.
    const holding = [...ids].filter((id) => stem.length >= 3 && id.toLowerCase().includes(stem.toLowerCase()));
    const guessed =
      near !== undefined && leven(stem, near) <= Math.max(2, Math.floor(near.length / 4))
        ? near
        : holding.length === 1
          ? holding[0]
          : undefined;
    const guess = guessed === undefined ? '' : ` Did you mean "${guessed}"?`;
    throw new InputError(
      `build: no article ${unknown.map((n) => `"${n}"`).join(', ')} in this project.${guess}`,
      "name an article by its source file (sources/x.md) or that file's name, its review file, " +
        'or its id (the file name without .md or .txt, ' +
        'spaces and other signs as "-": `a b.md` is `a-b`); `diglot review status` lists them',
    );
  }
  return new Set(articles.map((a) => a.doc.id).filter((id) => chosen.has(id)));
}

function idOf(
  name: string,
  byPath: ReadonlyMap<string, string>,
  ids: ReadonlySet<string>,
  out: string,
  places: SelectionPlaces,
): string | undefined {
  for (const base of [places.cwd, places.root]) {
    const file = path.resolve(base, name).normalize('NFC');
    const source = byPath.get(file);
    if (source !== undefined) return source;
    // An output file of the article: `output/x.review.md`, `output/x.en.md`.
    if (path.dirname(file) === out) {
      const id = /^(.+)\.(review|en)\.md$/.exec(path.basename(file))?.[1];
      if (id !== undefined && ids.has(id)) return id;
    }
  }
  // An id, as typed, or with the extension of its source.
  if (!name.includes('/') && !name.includes(path.sep)) {
    const typed = name.normalize('NFC');
    const id = ids.has(typed) ? typed : stemOf(typed);
    if (ids.has(id)) return id;
    // The name of a file in the sources folder, with or without its extension (`Über die Grenze`, whose id is `Über-die-Grenze`).
    if (places.sources !== undefined) {
      const folder = path.resolve(places.root, places.sources);
      for (const file of [typed, `${typed}.md`, `${typed}.txt`]) {
        const source = byPath.get(path.join(folder, file).normalize('NFC'));
        if (source !== undefined) return source;
      }
    }
  }
  return undefined;
}

/** The source file (relative to the root) a name means, when it is there: by its path, or as an id with `.md` or `.txt`. */
function sourceFileOf(name: string, places: SelectionPlaces): string | undefined {
  if (places.sources === undefined) return undefined;
  const folder = path.resolve(places.root, places.sources);
  // A bare name is an id: its file is looked for in the sources folder.
  const bare = path.basename(name) === name;
  const candidates = [
    ...[places.cwd, places.root].map((base) => path.resolve(base, name)),
    ...(bare ? ['.md', '.txt'].map((ext) => path.join(folder, `${stemOf(name)}${ext}`)) : []),
  ];
  const file = candidates.find((f) => path.dirname(f) === folder && /\.(md|txt)$/.test(f) && existsSync(f));
  return file && path.relative(places.root, file).split(path.sep).join('/');
}

/** A name without its folders and the extension of a source or output file. */
function stemOf(name: string): string {
  return path.basename(name).replace(/(\.review\.md|\.en\.md|\.md|\.txt)$/i, '');
}
