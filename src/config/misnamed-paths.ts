// Refuses a memory or glossary path the config names that does not exist while its folder holds
// others of its kind: most likely a typo, which would start an empty memory (and bill every text again);
// and one of the wrong kind: a folder where the file goes, or a file where its folder goes.
import { existsSync, lstatSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { pathKind } from '../util/read-regular-file.js';
import type { ConfigMessage } from './config.js';
import type { ConfigPaths } from './path-overlaps.js';

/**
 * The problems with the `memory` and `glossary` paths (relative to `root`): each that names no file
 * where its folder holds files of the same kind (`.jsonl`; `.csv`) is an error naming them. A path
 * whose folder holds none is a new project's: the file is made when first written.
 */
export function misnamedPaths(paths: Pick<ConfigPaths, 'memory' | 'glossary'>, root: string): ConfigMessage[] {
  const problems: ConfigMessage[] = [];
  for (const [key, kind, what] of [
    ['memory', '.jsonl', 'an empty memory, and every text would go to DeepL (and be billed) again'],
    ['glossary', '.csv', 'no glossary, and no term would be applied or checked'],
  ] as const) {
    const file = path.join(root, paths[key]);
    const folder = path.dirname(file);
    const found = pathKind(file);
    const folderFound = pathKind(folder);
    if (found === 'folder' || found === 'special' || (folderFound !== undefined && folderFound !== 'folder')) {
      const where = path.relative(root, folder).split(path.sep).join('/');
      problems.push({
        key,
        message:
          found === 'folder'
            ? `${paths[key]} is a folder, where the ${key} file goes: move it aside, or name the ${key} file`
            : found === 'special'
              ? `${paths[key]} is not a regular file (a pipe or a device), where the ${key} file goes: remove it, or name the ${key} file`
              : `${where} is a file, where the folder of ${paths[key]} goes: move it aside, or name another folder`,
      });
      continue;
    }
    if (found !== undefined) continue;
    if (lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink()) {
      problems.push({
        key,
        message: `${paths[key]} is a link to ${readlinkSync(file)}, which does not exist: restore that file, or name the ${key} file`,
      });
      continue;
    }
    const others = existsSync(folder) ? readdirSync(folder).filter((name) => name.endsWith(kind)) : [];
    if (others.length === 0) continue;
    const near = others.map((name) => path.relative(root, path.join(folder, name)).split(path.sep).join('/'));
    problems.push({
      key,
      message:
        `${paths[key]} does not exist, but ${near.slice(0, 3).join(', ')}${near.length > 3 ? ' …' : ''} ` +
        `${near.length === 1 ? 'does' : 'do'}: ` +
        `this path would mean ${what}. Name the file that exists, or create an empty ${paths[key]} to start afresh`,
    });
  }
  return problems;
}
