/**
 * Bundles the compiled CLI (dist/src/cli/main.js) and the worker thread's entry
 * (dist/src/analysis/parallel-worker.js) into dist/cxm/, which `bin/cxm.js` runs (issue 8).
 *
 * Why: Node resolves, reads and links every ES module separately. cxm's ~100 modules and the
 * small packages they import (zod, papaparse, commander, chalk) cost ~60 ms of every start on this
 * machine, and a worker thread pays them again before it reads its first byte. One file per entry
 * (plus chunks shared between them and the lazily loaded commands) removes most of that.
 *
 * What stays as it was: the compiled modules under dist/src (the tests and the library API use
 * them), and the packages loaded only when a run needs them (exceljs, vega, iconv-lite and the
 * other lazy imports stay external, so `node_modules` still provides them). Both entries sit in
 * one folder, so `new URL('./parallel-worker.js', import.meta.url)` in any chunk finds the worker,
 * and `../../package.json` from it is the package's own.
 */
import { build, type Plugin } from 'esbuild';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = path.join(ROOT, 'dist/cxm');

/** Loaded only by the runs that need them, and large: bundling them would only slow the build. */
const EXTERNAL = ['exceljs', 'vega', 'vega-lite', 'iconv-lite', 'stream-json', 'tinyglobby', 'picomatch', 'yaml'];

/**
 * zod re-exports its ~60 translations of error messages as `z.locales` (a third of its code: ~290
 * KB that every thread would parse at start). cxm never switches zod's language (English is
 * registered by zod's schemas module itself, not from this index), so the index is replaced by an
 * empty module: `z.locales` is `{}`.
 */
const noZodLocales: Plugin = {
  name: 'no-zod-locales',
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: 'zod-locales', namespace: 'cxm-empty' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'cxm-empty' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: [path.join(ROOT, 'dist/src/cli/main.js'), path.join(ROOT, 'dist/src/analysis/parallel-worker.js')],
  outdir: OUT,
  entryNames: '[name]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL.flatMap((name) => [name, `${name}/*`]),
  // Bundled CommonJS packages (commander) call require() for Node's own modules: ES modules have
  // none, so each chunk gets one.
  banner: { js: "import { createRequire as __cxmCreateRequire } from 'node:module'; const require = __cxmCreateRequire(import.meta.url);" },
  sourcemap: true,
  plugins: [noZodLocales],
  logLevel: 'warning',
});
