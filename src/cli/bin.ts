#!/usr/bin/env node
// The `diglot` command as installed (dist/cli/main.js): runs the bundled CLI (dist/cli/diglot.cjs,
// built from main.ts by scripts/bundle.mjs) with V8's code cache beside it; see code-cache.ts.
// DIGLOT_CODE_CACHE=refresh rewrites the cache when this run exits (the bench's warm-up does, so
// the cache holds the DeepL client's code too); =debug says on stderr whether it was used.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runWithCodeCache } from './code-cache.js';

const bundle = path.join(path.dirname(fileURLToPath(import.meta.url)), 'diglot.cjs');
const mode = process.env.DIGLOT_CODE_CACHE;
const use = runWithCodeCache(bundle, { cacheFile: `${bundle}.cache`, refresh: mode === 'refresh' });
if (mode === 'debug') process.stderr.write(`diglot: code cache ${use}\n`);
