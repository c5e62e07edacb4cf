// Watches a project's inputs for `diglot build --watch`: the sources, the review files in the
// output folder, the glossary, the memory and the config, and hands over each burst of changes at once.
import { type FSWatcher, watch } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config.js';
import { CONFIG_FILE } from '../config/load-config.js';
import { isArticleName } from '../sources/read-sources.js';

/** What changed in one burst of events: absolute paths of sources and review files, and flags. */
export interface ProjectChanges {
  sources: Set<string>;
  reviews: Set<string>;
  glossary: boolean;
  /** The memory file changed (the review app's saves, an import; diglot's own writes are told apart by the caller). */
  memory: boolean;
  config: boolean;
}

/** No changes. */
export function noChanges(): ProjectChanges {
  return { sources: new Set(), reviews: new Set(), glossary: false, memory: false, config: false };
}

/** Whether a burst holds anything. */
export function hasChanges(c: ProjectChanges): boolean {
  return c.sources.size > 0 || c.reviews.size > 0 || c.glossary || c.memory || c.config;
}

/** How long the events of one save (an editor writes, renames, touches) are gathered before they are handed over. */
const QUIET_MS = 150;

/**
 * Watches the folders that hold a project's inputs, one `fs.watch` per folder (not recursive:
 * the sources are read from their folder alone): the root for the config, the sources folder,
 * the glossary's and the memory's folders and the output folder for review files. Events are sorted by file name
 * (editor backups, temp files and diglot's other outputs are dropped) and gathered until the
 * events stop for a moment; then `onChanges` gets them. Folders that appear later (the output
 * folder after the first build) are watched once `refresh` is called or the root sees them made.
 */
export class ProjectWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private pending = noChanges();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private config: Config,
    private readonly onChanges: (changes: ProjectChanges) => void,
  ) {
    this.refresh();
  }

  /** The folders watched, relative to the root, for the "watching …" line. */
  get folders(): string[] {
    return [...this.watchers.keys()].map((dir) => path.relative(this.config.root, dir) || '.');
  }

  /** Watches the folders of `config` (after a config change, the new ones) that exist and are not watched yet. */
  refresh(config: Config = this.config): void {
    if (this.closed) return;
    this.config = config;
    const wanted = new Set(this.dirs());
    for (const [dir, watcher] of this.watchers) {
      if (wanted.has(dir)) continue;
      watcher.close();
      this.watchers.delete(dir);
    }
    for (const dir of wanted) {
      if (this.watchers.has(dir)) continue;
      let watcher: FSWatcher;
      try {
        watcher = watch(dir, { persistent: true }, (_event, name) => this.seen(dir, name?.toString()));
      } catch {
        continue; // Not there (yet): watched when it appears.
      }
      // The folder removed or unreadable: forgotten, watched again once it is back.
      watcher.on('error', () => {
        watcher.close();
        if (this.watchers.get(dir) === watcher) this.watchers.delete(dir);
      });
      this.watchers.set(dir, watcher);
    }
  }

  /** Stops watching; changes not handed over yet are dropped. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private dirs(): string[] {
    const { root } = this.config;
    return [
      ...new Set([
        root,
        path.resolve(root, this.config.sources),
        path.dirname(path.resolve(root, this.config.glossary)),
        path.dirname(path.resolve(root, this.config.memory)),
        path.resolve(root, this.config.output),
      ]),
    ];
  }

  /** Sorts one event: which input it touches, if any. */
  private seen(dir: string, name: string | undefined): void {
    if (this.closed || name === undefined) return;
    const { root } = this.config;
    const file = path.join(dir, name);
    let relevant = false;
    if (dir === path.resolve(root, this.config.sources) && isArticleName(name)) {
      this.pending.sources.add(file);
      relevant = true;
    }
    if (dir === path.resolve(root, this.config.output) && /^[^.].*\.review\.md$/.test(name)) {
      this.pending.reviews.add(file);
      relevant = true;
    }
    if (file === path.resolve(root, this.config.glossary)) {
      this.pending.glossary = true;
      relevant = true;
    }
    if (file === path.resolve(root, this.config.memory)) {
      this.pending.memory = true;
      relevant = true;
    }
    if (file === path.join(root, CONFIG_FILE)) {
      this.pending.config = true;
      relevant = true;
    }
    // A watched folder made (or made again) in the root: watch it.
    if (dir === root && !relevant) this.refresh();
    if (!relevant) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const changes = this.pending;
      this.pending = noChanges();
      this.onChanges(changes);
    }, QUIET_MS);
  }
}
