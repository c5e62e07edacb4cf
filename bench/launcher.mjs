// Starts and times diglot runs for bench/run.ts, from a process of its own. Forking copies the
// parent's page tables, so spawning from the benchmark itself (which holds the corpora and runs
// the test server, 150–250 MB) cost 10–15 ms a run more than from a shell; from this small
// process it costs what a shell's does. Each message { id, args, env } starts one run; the answer
// is { id, exitCode, wallMs, beginEpoch, stdout, stderr, measured }, where `measured` is what
// bench/measure.mjs wrote to file descriptor 3.
//
//   fork('bench/launcher.mjs')   (run.ts does)
import { spawn } from 'node:child_process';

process.on('message', ({ id, args, env }) => {
  const beginEpoch = Date.now();
  const begin = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let measured = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdio[3].on('data', (d) => (measured += d));
  child.on('close', (code) => {
    const wallMs = performance.now() - begin;
    process.send({ id, exitCode: code ?? -1, wallMs, beginEpoch, stdout, stderr, measured });
  });
});
// The benchmark going away (or disconnecting) ends this process too.
process.on('disconnect', () => process.exit(0));
