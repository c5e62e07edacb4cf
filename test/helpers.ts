import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Config } from '../src/config/config.js';
import { loadConfig } from '../src/config/load-config.js';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** tsx's loader by absolute URL, so the CLI runs from any working directory. */
const TSX = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/**
 * A throw-away copy of the sample project (sources, glossary, config) in a temp folder. The memory
 * is the shipped one unless `emptyMemory`.
 */
export function sampleProject(options: { emptyMemory?: boolean } = {}): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-'));
  for (const part of ['sources', 'glossary', 'diglot.config.json']) cpSync(path.join(ROOT, part), path.join(dir, part), { recursive: true });
  cpSync(path.join(ROOT, 'memory'), path.join(dir, 'memory'), { recursive: true });
  if (options.emptyMemory) writeFileSync(path.join(dir, 'memory', 'memory.jsonl'), '');
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The validated config of a project folder (throws if invalid). */
export async function configOf(dir: string): Promise<Config> {
  const { value, errors } = await loadConfig(dir);
  if (!value) throw new Error(`invalid config: ${JSON.stringify(errors)}`);
  return value;
}

/** Reads a UTF-8 file. */
export function read(file: string): string {
  return readFileSync(file, 'utf8');
}

/**
 * Runs the CLI as a user would, through tsx (no compiled dist/ needed), with a clean environment
 * plus `env`; resolves with the exit code and what it printed.
 */
export function runCli(args: string[], env: Record<string, string> = {}, cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', TSX, path.join(ROOT, 'src', 'cli', 'main.ts'), ...args], {
      cwd,
      env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
