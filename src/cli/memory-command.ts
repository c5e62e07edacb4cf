import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { TranslationMemory } from '../memory/translation-memory.js';
import { fromTmx, toTmx } from '../memory/tmx.js';
import type { MemoryEntry } from '../memory/entry.js';
import { EXIT, InputError, type ExitCode } from '../util/errors.js';
import { acquireLock } from '../util/project-lock.js';
import { writeAtomic } from '../write/write-atomic.js';
import { projectConfig, type CommandContext } from './context.js';
import { parseCommandArgs } from './parse-command-args.js';

export const MEMORY_HELP = `Usage: diglot memory <export|import|compact> [options]

  export --tmx FILE   write the translation memory as TMX 1.4b (for OmegaT and other CAT tools)
  import --tmx FILE   add a TMX file's units to the memory; a changed translation keeps the old
                      one in the entry's history, identical ones are skipped
  compact             rewrite the memory file sorted, one line per entry

Options:
  --root <dir>   project folder (default: the current folder)
  -h, --help     show this help
`;

/** `diglot memory …`. */
export async function memoryCommand(ctx: CommandContext): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('memory', ctx.args, { tmx: { type: 'string' } });
  const [action] = positionals;
  if (values.help || action === undefined) {
    ctx.stdout(MEMORY_HELP);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  const config = await projectConfig(values.root, ctx);
  const file = path.join(config.root, config.memory);
  const { memory, problems } = await TranslationMemory.open(file, config.memory);
  for (const p of problems) ctx.log.warn(`${p.file}:${p.line}: ${p.message}`);

  if (action === 'export') {
    if (!values.tmx) throw new InputError('memory export: --tmx FILE is required');
    const entries = memory.entries().filter((e) => e.lang === config.targetLang);
    await writeAtomic(path.resolve(ctx.cwd, values.tmx), toTmx(entries, config.sourceLang));
    ctx.log.info(`Exported ${entries.length} entries to ${values.tmx}.`);
    return EXIT.ok;
  }
  if (action === 'import') {
    if (!values.tmx) throw new InputError('memory import: --tmx FILE is required');
    let xml: string;
    try {
      xml = await readFile(path.resolve(ctx.cwd, values.tmx), 'utf8');
    } catch (error) {
      throw new InputError(`memory import: cannot read ${values.tmx}: ${(error as Error).message}`);
    }
    const now = new Date().toISOString();
    let parsed;
    try {
      parsed = fromTmx(xml, config.targetLang, now);
    } catch (error) {
      throw new InputError(`${values.tmx}: ${(error as Error).message}`);
    }
    for (const p of parsed.problems) ctx.log.warn(`${values.tmx}: translation unit ${p.unit}: ${p.message}`);
    const release = acquireLock(path.join(config.root, '.diglot.lock'));
    try {
      const changes: MemoryEntry[] = [];
      let same = 0;
      for (const entry of parsed.entries) {
        const current = memory.lookup(entry.source, entry.lang);
        if (current && current.target === entry.target) {
          same++;
          continue;
        }
        changes.push(
          current
            ? { ...entry, created: current.created, history: [...(current.history ?? []), { target: current.target, origin: current.origin, status: current.status, updated: current.updated }] }
            : entry,
        );
      }
      memory.append(changes);
      ctx.log.info(`Imported ${changes.length} entries from ${values.tmx} (${same} already in the memory unchanged, ${parsed.problems.length} skipped).`);
    } finally {
      release();
    }
    return EXIT.ok;
  }
  if (action === 'compact') {
    const release = acquireLock(path.join(config.root, '.diglot.lock'));
    try {
      await memory.compact();
    } finally {
      release();
    }
    ctx.log.info(`Rewrote ${config.memory}: ${memory.size} entries${problems.length > 0 ? `; ${problems.length} unreadable lines were dropped` : ''}.`);
    return EXIT.ok;
  }
  throw new InputError(`memory: unknown action "${action}"`, 'use export, import or compact');
}
