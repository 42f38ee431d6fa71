// Node module hooks that run the TypeScript sources directly (test/support/ts-register.mjs):
// `#libs/<name>` maps to libs/<name>/src/index.ts, `./x.js` to `./x.ts` when that exists,
// and each .ts file is transpiled on its own, as ts-jest does for the tests. Transpiling
// takes most of a start, so the output is cached in the temp directory by content.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CACHE = join(tmpdir(), 'session-service-ts-cache');
const require = createRequire(import.meta.url);
// TypeScript itself takes a second to load: only on a cache miss.
const TS_VERSION = require('typescript/package.json').version;
let ts;

const ROOT = new URL('../../', import.meta.url);
const COMPILER_OPTIONS = {
  module: 'esnext',
  target: 'es2023',
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  inlineSourceMap: true,
};

export async function resolve(specifier, context, next) {
  const lib = /^#libs\/(.+)$/.exec(specifier);
  if (lib) return { url: new URL(`libs/${lib[1]}/src/index.ts`, ROOT).href, shortCircuit: true };
  if (context.parentURL?.endsWith('.ts') && specifier.startsWith('.') && specifier.endsWith('.js')) {
    const url = new URL(`${specifier.slice(0, -3)}.ts`, context.parentURL);
    if (existsSync(fileURLToPath(url))) return { url: url.href, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const fileName = fileURLToPath(url);
  const source = await readFile(fileName, 'utf8');
  const key = createHash('sha256').update(`${TS_VERSION}\0${fileName}\0${source}`).digest('hex');
  const cached = join(CACHE, `${key}.js`);
  const hit = await readFile(cached, 'utf8').catch(() => null);
  if (hit !== null) return { format: 'module', source: hit, shortCircuit: true };
  ts ??= (await import('typescript')).default;
  const compilerOptions = ts.convertCompilerOptionsFromJson(COMPILER_OPTIONS, '.').options;
  const { outputText } = ts.transpileModule(source, { fileName, compilerOptions });
  await mkdir(CACHE, { recursive: true });
  // Written aside and renamed, so a concurrent reader never sees half a file.
  const partial = `${cached}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await writeFile(partial, outputText);
  await rename(partial, cached);
  return { format: 'module', source: outputText, shortCircuit: true };
}
