// Builds the `diglot` command: src/cli/main.ts and everything it imports, node_modules included,
// bundled by esbuild into one ES module, dist/cli/main.js (with a source map). One file loads in
// about a third of the time Node takes to resolve and compile the ~600 modules it is made of,
// which every run pays before doing anything. Type checking is `npm run typecheck` (and `npm test`).
//
//   node scripts/bundle.mjs
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
rmSync(path.join(root, 'dist'), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli/main.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
  // Bundled CommonJS dependencies (deepl-node, axios) call require() for Node's own modules.
  banner: { js: "import { createRequire as __diglotRequire } from 'node:module'; const require = __diglotRequire(import.meta.url);" },
});
