// Runs diglot's bundled CLI in this process and, when it exits, writes what the process itself
// used to file descriptor 3 as JSON: peak resident memory (getrusage's ru_maxrss), CPU time, and
// the time from the start of the command (the `diglot:main` mark, set once the CLI's code is
// loaded) to exit, so start-up is measured apart from the work.
//
//   node bench/measure.mjs dist/cli/main.js build --root DIR --json   (fd 3 must be open)
import { writeSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const main = path.resolve(process.argv[2]);
// The CLI reads process.argv.slice(2): drop this wrapper's own path.
process.argv.splice(1, 1);

process.on('exit', () => {
  const usage = process.resourceUsage();
  const started = performance.getEntriesByName('diglot:main')[0]?.startTime ?? NaN;
  const report = {
    maxRssKb: usage.maxRSS,
    userMs: usage.userCPUTime / 1000,
    systemMs: usage.systemCPUTime / 1000,
    startupMs: started,
    workMs: performance.now() - started,
  };
  try {
    writeSync(3, JSON.stringify(report));
  } catch {
    // fd 3 not open: run by hand; nothing to report to.
  }
});

await import(pathToFileURL(main).href);
