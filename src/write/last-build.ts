// What the last build that lacked nothing read and wrote, by stamp (`output/.diglot-last-build.json`):
// a build finding every input and output as then, and the same program and config, has nothing to do.
import { readdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/config.js';
import type { FindingsSummary } from '../model.js';
import type { BuildTotals } from '../render/report.js';
import { REVIEW_FILE_SUFFIX } from '../review-file/review-state.js';
import { fileStamp, sameStamp, writeAtomic, type FileStamp } from './write-atomic.js';

export const LAST_BUILD_FILE = '.diglot-last-build.json';

/** Stamps by path relative to the project root. */
export type Stamps = Record<string, FileStamp>;

/** What a build that lacked nothing leaves for the next one. */
export interface LastBuild {
  version: 2;
  /** The program and the config (see `programSeed`). */
  seed: string;
  /** The config file, the glossary, the memory, every file under the sources' folder and the pictures the books hold. */
  inputs: Stamps;
  /** Every file of the output folder (but this record). */
  outputs: Stamps;
  /** Review files among them that the build did not check, no article of its sources having them: they may hold edits. */
  unchecked?: string[];
  totals: BuildTotals;
  /** What it told of its findings: told again by a build with nothing to do. */
  findings: FindingsSummary;
  /** What the build said of its inputs (sources, glossary, memory, links): said again by a build with nothing to do. */
  warnings?: string[];
}

/**
 * The stamps of a build's inputs, taken before it reads them (a file saved while it runs is then
 * newer than its stamp): the config file, the glossary, the memory and everything under the
 * sources' folder (pictures beside the articles included). Missing files are left out.
 */
export async function inputStamps(config: Config): Promise<Stamps> {
  // An output folder inside the sources' is no input: each build changes it.
  const output = path.normalize(config.output) + path.sep;
  const sources = (await filesUnder(config.root, config.sources)).filter((f) => !f.startsWith(output));
  return stampsOf(config.root, ['diglot.config.json', config.glossary, config.memory, ...sources], true);
}

/** The stamps of every file of the output folder but this record, once the build's files are in place. */
export async function outputStamps(config: Config): Promise<Stamps> {
  const files = await filesUnder(config.root, config.output);
  return stampsOf(
    config.root,
    files.filter((f) => f !== path.join(config.output, LAST_BUILD_FILE)),
  );
}

/**
 * The stamps of the given files (relative to `root`), with their change time for inputs (see
 * `FileStamp`), one synchronous `stat` each: thousands of them through the threadpool take several times as long.
 */
export function stampsOf(root: string, files: Iterable<string>, changeTime = false): Stamps {
  const stamps: Stamps = {};
  for (const file of files) {
    const stamp = fileStamp(path.join(root, file), changeTime);
    if (stamp) stamps[file] = stamp;
  }
  return stamps;
}

/**
 * Whether nothing has changed since the last record: the same seed, the same inputs (now stamped
 * in `inputs`) and every output file as it left it.
 */
export async function unchangedSince(config: Config, last: LastBuild, seed: string, inputs: Stamps): Promise<boolean> {
  if (last.seed !== seed) return false;
  const pictures = Object.keys(last.inputs).filter((f) => !(f in inputs));
  const now = { ...inputs, ...stampsOf(config.root, pictures) };
  return sameStamps(last.inputs, now) && sameStamps(last.outputs, await outputStamps(config));
}

/** The last record, if any. */
export async function readLastBuild(config: Config): Promise<LastBuild | undefined> {
  try {
    const last = JSON.parse(await readFile(path.join(config.root, config.output, LAST_BUILD_FILE), 'utf8')) as LastBuild;
    return last.version === 2 ? last : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether an output file (relative to the root) is as the last record found it. Every review file
 * then matched the memory (a build that leaves a record checked or wrote them all), so one whose
 * stamp is unchanged holds no edit to import.
 */
export function unchangedOutput(config: Config, last: LastBuild | undefined, file: string): boolean {
  if (last === undefined || last.unchecked?.includes(file)) return false;
  return sameStamp(last.outputs[file], fileStamp(path.join(config.root, file)));
}

/**
 * Records a build that lacked nothing; `removeLastBuild` forgets it. `checked` tells the review
 * files (relative to the root) the build checked for edits: any other is recorded as unchecked.
 */
export async function writeLastBuild(
  config: Config,
  last: Omit<LastBuild, 'version' | 'outputs' | 'unchecked'>,
  checked: (file: string) => boolean,
): Promise<void> {
  const outputs = await outputStamps(config);
  const unchecked = Object.keys(outputs).filter((f) => f.endsWith(REVIEW_FILE_SUFFIX) && !checked(f));
  const record: LastBuild = { version: 2, ...last, outputs, ...(unchecked.length > 0 ? { unchecked } : {}) };
  await writeAtomic(path.join(config.root, config.output, LAST_BUILD_FILE), JSON.stringify(record));
}

export async function removeLastBuild(config: Config): Promise<void> {
  await unlink(path.join(config.root, config.output, LAST_BUILD_FILE)).catch(() => undefined);
}

/** Whether two sets of stamps name the same files, each unchanged. */
export function sameStamps(a: Stamps, b: Stamps): boolean {
  const names = Object.keys(a);
  return names.length === Object.keys(b).length && names.every((n) => sameStamp(a[n], b[n]));
}

/** Every file under a folder (relative to `root`, recursively); none when it is not there. */
async function filesUnder(root: string, dir: string): Promise<string[]> {
  const entries = await readdir(path.join(root, dir), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}
