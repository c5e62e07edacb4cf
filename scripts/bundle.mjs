// Builds the `diglot` command: src/cli/main.ts and everything it imports, node_modules included,
// bundled by esbuild into one CommonJS file, dist/cli/diglot.cjs (with a source map), and the
// command itself, dist/cli/main.js, which runs that file with V8's code cache (src/cli/bin.ts).
// One file loads in about a third of the time Node takes to resolve and compile the ~600 modules
// it is made of, which every run pays before doing anything. Type checking is
// `npm run typecheck` (and `npm test`).
//
//   node scripts/bundle.mjs
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
rmSync(path.join(root, 'dist'), { recursive: true, force: true });
const common = { absWorkingDir: root, bundle: true, platform: 'node', target: 'node20', logLevel: 'warning' };
// The CLI and its dependencies, as CommonJS: bin.ts runs it through node:vm with V8's code cache,
// which Node 20 offers for scripts, not for ES modules. `import.meta.url` (main.ts reads
// package.json beside it) becomes the bundle's own file URL.
await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli/diglot.cjs',
  format: 'cjs',
  sourcemap: true,
  legalComments: 'linked',
  define: { 'import.meta.url': '__diglotUrl' },
  banner: { js: "const __diglotUrl = require('node:url').pathToFileURL(__filename).href;" },
});
// The installed command: a few lines that load the bundle above.
await build({ ...common, entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli/main.js', format: 'esm' });
