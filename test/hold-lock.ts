// A run that takes the project lock of the folder given and holds it until a signal ends it: what the
// lock does on Ctrl-C or SIGTERM (test/faults/interrupt.test.ts). With `--own-handler`, it listens for
// the signals itself, as build does, and ends in its own way.
import path from 'node:path';
import { acquireLock } from '../src/util/project-lock.js';

const [dir, mode] = process.argv.slice(2);
const release = acquireLock(path.join(dir as string, '.diglot.lock'));
if (mode === '--own-handler')
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => {
      release();
      process.stdout.write('stopped in its own way\n');
      process.exit(0);
    });
process.stdout.write('locked\n');
setInterval(() => undefined, 1 << 30);
