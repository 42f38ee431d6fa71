#!/usr/bin/env node
// Compiles apps/ and libs/ into dist/ (tsc -p tsconfig.build.json) only when their sources
// changed since the last build, so `npm start`, `npm run sessionctl` and the test setup do
// not pay a full type-checked compile (15-100 s on a loaded 2-core machine) on every run.
// "Changed" is a fingerprint of every input file's path, size and mtime, plus the
// directories' (a deleted file changes its directory), compared for equality with the one
// stored at the last successful build, so switching branches back and forth also rebuilds.
// Progress goes to stderr: stdout stays free for the program that runs next.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, '.build-fingerprint');
const SOURCE_DIRS = ['apps', 'libs'];
const CONFIG_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package.json'];
/** Files every entry point needs; a build without them is not a build. */
const OUTPUTS = ['apps/session-service/src/main.js', 'apps/sessionctl/src/main.js', 'apps/bench/src/main.js'];

export function fingerprint() {
  const lines = [];
  const add = (path) => {
    const s = statSync(path);
    lines.push(`${relative(ROOT, path)}\t${s.isDirectory() ? 'dir' : s.size}\t${s.mtimeMs}`);
  };
  const walk = (dir) => {
    add(dir);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!entry.name.endsWith('.spec.ts')) add(path); // tests are not compiled into dist
    }
  };
  for (const dir of SOURCE_DIRS) walk(join(ROOT, dir));
  for (const file of CONFIG_FILES) add(join(ROOT, file));
  return createHash('sha256').update(lines.sort().join('\n')).digest('hex');
}

export function isUpToDate(current = fingerprint()) {
  if (!OUTPUTS.every((file) => existsSync(join(DIST, file)))) return false;
  return existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === current;
}

/** Builds when needed; returns true when it compiled. Throws when the compiler fails. */
export function buildIfChanged({ force = false } = {}) {
  const current = fingerprint(); // taken before compiling: an edit made meanwhile rebuilds next time
  if (!force && isUpToDate(current)) return false;
  process.stderr.write('build: sources changed since the last build; compiling apps/ and libs/ into dist/ (tsc -p tsconfig.build.json)\n');
  const started = Date.now();
  // Start clean so compiled files of deleted sources cannot linger and be imported.
  for (const dir of SOURCE_DIRS) rmSync(join(DIST, dir), { recursive: true, force: true });
  rmSync(STAMP, { force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) throw new Error(`build: tsc failed (exit ${result.status ?? result.signal})`);
  writeFileSync(STAMP, `${current}\n`);
  process.stderr.write(`build: done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    buildIfChanged({ force: process.argv.includes('--force') });
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
}
