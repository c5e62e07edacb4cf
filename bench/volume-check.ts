// The scale scenario's volumes (issue 21): a built corpus split into books of N articles, rebuilt
// from its memory, and every book checked by W3C epubcheck at its default settings.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';

export const EPUBCHECK_JAR = '/usr/share/java/epubcheck.jar';

/** What the volumes measured. */
export interface VolumeCheck {
  articlesPerVolume: number;
  books: number;
  /** Books epubcheck passed: exit 0, no fatal, error or warning. */
  passed: number;
  /** Each failing book with epubcheck's first problem line. */
  failures: string[];
  buildMs: number;
  /** epubcheck's wall time per book, the slowest and the median. */
  checkMaxMs: number;
  checkMedianMs: number;
}

/** Whether epubcheck can run here (java and Debian's jar). */
export function haveEpubcheck(): boolean {
  return existsSync(EPUBCHECK_JAR) && spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Splits the project's edition into volumes of `articles` (its config's `volumes`), builds it from the
 * memory alone (no key: nothing is sent) with the CLI, and runs epubcheck on every book, as many at
 * a time as there are CPUs.
 */
export async function checkVolumes(dir: string, cli: string, articles: number): Promise<VolumeCheck> {
  const configFile = path.join(dir, 'diglot.config.json');
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
  writeFileSync(configFile, `${JSON.stringify({ ...config, volumes: { articles } }, null, 2)}\n`);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('DEEPL_')));
  const started = performance.now();
  const built = spawnSync(process.execPath, [cli, 'build', '--root', dir, '--quiet'], { env, encoding: 'utf8' });
  const buildMs = performance.now() - started;
  if (built.status !== 0) throw new Error(`volumes build exited with ${built.status}: ${built.stderr}`);

  const out = path.join(dir, String(config['output'] ?? 'output'));
  const books = readdirSync(out)
    .filter((n) => n.endsWith('.epub'))
    .sort();
  const times: number[] = [];
  const failures: string[] = [];
  const queue = [...books];
  const worker = async (): Promise<void> => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const { ms, status, output } = await epubcheck(path.join(out, name));
      times.push(ms);
      const problem = output.split('\n').find((l) => /^(?:FATAL|ERROR|WARNING)/.test(l));
      if (status !== 0 || problem !== undefined) failures.push(`${name}: ${problem ?? `exit ${status}`}`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, cpus().length) }, worker));
  times.sort((a, b) => a - b);
  return {
    articlesPerVolume: articles,
    books: books.length,
    passed: books.length - failures.length,
    failures: failures.sort(),
    buildMs,
    checkMaxMs: times.at(-1) ?? 0,
    checkMedianMs: times[Math.floor(times.length / 2)] ?? 0,
  };
}

/** One epubcheck run at its default settings. */
function epubcheck(file: string): Promise<{ ms: number; status: number | null; output: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('java', ['-jar', EPUBCHECK_JAR, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ ms: performance.now() - started, status, output }));
  });
}
