// Runs diglot's compiled CLI in this process and, when it exits, writes what the process itself
// used to file descriptor 3 as JSON: peak resident memory (getrusage's ru_maxrss), CPU time, and
// the time from "modules loaded" to exit, so start-up is measured apart from the work.
//
//   node bench/measure.mjs dist/cli/main.js build --root DIR --json   (fd 3 must be open)
import { readdirSync, writeSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const main = path.resolve(process.argv[2]);
// The CLI reads process.argv.slice(2): drop this wrapper's own path.
process.argv.splice(1, 1);

// Load every command module first, so that importing main.js only runs the command.
const cli = path.dirname(main);
for (const name of readdirSync(cli).filter((n) => n.endsWith('-command.js'))) await import(pathToFileURL(path.join(cli, name)).href);
const loaded = performance.now();

process.on('exit', () => {
  const usage = process.resourceUsage();
  const report = {
    maxRssKb: usage.maxRSS,
    userMs: usage.userCPUTime / 1000,
    systemMs: usage.systemCPUTime / 1000,
    startupMs: loaded,
    workMs: performance.now() - loaded,
  };
  try {
    writeSync(3, JSON.stringify(report));
  } catch {
    // fd 3 not open: run by hand; nothing to report to.
  }
});

await import(pathToFileURL(main).href);
