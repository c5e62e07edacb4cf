// Refuses config paths that overlap: an output folder that is the root, holds the sources, the memory,
// the glossary or .git would make each build read (and bill) its own outputs, or write into git.
import path from 'node:path';
import type { ConfigMessage } from './config.js';

/** The config's paths, relative to the root as `validateConfig` normalises them (`.` for the root). */
export interface ConfigPaths {
  sources: string;
  glossary: string;
  memory: string;
  output: string;
}

/**
 * The problems with where `output` lies. It may not be the project root, be or contain the sources
 * folder, the memory's or the glossary's folder (or file), or `.git`, nor lie inside `.git`. It may
 * lie inside the sources folder: sources are read without descending into subfolders. `given` says
 * which keys the config file sets: a problem is reported on `output` when it is set, otherwise on
 * the key that moved the other path into the default output.
 */
export function pathOverlaps(paths: ConfigPaths, given: ReadonlySet<string>): ConfigMessage[] {
  const output = paths.output;
  const within = (inner: string, outer: string): boolean => outer === '.' || inner === outer || inner.startsWith(outer + path.sep);
  const keyFor = (other: string): string => (given.has('output') || !given.has(other) ? 'output' : other);
  const why = 'the output folder must be a folder of its own';
  if (output === '.') {
    return [
      {
        key: 'output',
        message: `is the project root ("${output}"): ${why}; otherwise each build reads, translates and bills its own outputs`,
      },
    ];
  }
  const problems: ConfigMessage[] = [];
  const git = '.git';
  if (within(git, output) || within(output, git)) {
    problems.push({ key: 'output', message: `"${output}" is, contains or lies inside .git: diglot must not write into git's own files` });
  }
  if (within(paths.sources, output)) {
    problems.push({
      key: keyFor('sources'),
      message: `"${output}" is or contains the sources folder "${paths.sources}": ${why}; otherwise each build reads, translates and bills its own outputs`,
    });
  }
  for (const key of ['memory', 'glossary'] as const) {
    const file = paths[key];
    const folder = path.dirname(file);
    // The file lies within output only if output is the file itself or its folder (or above).
    if (within(file, output)) {
      const what = output === file ? `is the ${key} file` : `is or contains the ${key}'s folder "${folder}"`;
      problems.push({ key: keyFor(key), message: `"${output}" ${what}: ${why}, apart from the project's own files` });
    }
  }
  return problems;
}
