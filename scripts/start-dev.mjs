#!/usr/bin/env node
// `npm run start:dev`: the service restarted on every change. `tsc --watch` recompiles
// apps/ and libs/ into dist/ as files change (incrementally, with type errors shown), and
// `node --watch` restarts the service when a compiled file it runs changes.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildIfChanged } from './build-if-changed.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
buildIfChanged(); // the first run needs a dist/ to start from
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const children = [
  spawn(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'], { cwd: ROOT, stdio: 'inherit' }),
  spawn(process.execPath, ['--watch', 'dist/apps/session-service/src/main.js'], { cwd: ROOT, stdio: 'inherit' }),
];
const stop = () => children.forEach((child) => child.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const child of children)
  child.on('exit', (code) => {
    stop();
    process.exitCode = code ?? 0;
  });
