#!/usr/bin/env node
// `node scripts/run-built.mjs <app> [args...]`: compiles dist/ if the sources changed
// (build-if-changed.mjs), then runs dist/apps/<app>/src/main.js in this same process, as if
// it had been started as `node dist/apps/<app>/src/main.js [args...]`. npm start,
// npm run sessionctl and npm run bench go through here, so none of them rebuilds an
// unchanged tree, and the program's stdout carries nothing from the build.
import module from 'node:module';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { buildIfChanged } from './build-if-changed.mjs';

const [app, ...args] = process.argv.slice(2);
if (!app || !/^[a-z-]+$/.test(app)) {
  process.stderr.write('usage: node scripts/run-built.mjs <app> [args...]\n');
  process.exit(2);
}
try {
  buildIfChanged();
} catch (e) {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
}
// Node 22.1+ keeps compiled code of the modules it loads on disk, which roughly halves the
// CPU a start spends loading Nest; Node 20 has no such cache (the call is skipped there).
module.enableCompileCache?.();
const main = join(fileURLToPath(new URL('..', import.meta.url)), 'dist', 'apps', app, 'src', 'main.js');
process.argv = [process.argv[0], main, ...args];
await import(pathToFileURL(main).href);
