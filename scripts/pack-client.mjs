#!/usr/bin/env node
// `npm run pack:client [-- --destination <dir>]`: packs the typed client as an installable
// tarball, storefront-session-client-<version>.tgz in the repository root:
//   npm install ./storefront-session-client-<version>.tgz   # see docs/rpc.md
// It compiles libs/session-client (the client, SessionServiceError, the Set-Cookie helper,
// the HTTP adapter) and libs/contracts, which it bundles, into ESM JavaScript and .d.ts with
// tsc (tsconfig.client-package.json; no dist/ build needed, so it works on a fresh clone).
// The repository-only `#libs/contracts` specifier is rewritten to a relative path in every
// emitted file. Nest, rxjs and the validation libraries are peer dependencies; nothing of
// the server (redis, cache-manager, express) comes along. The name is scoped and the package
// is private, so `npm publish` refuses it and no one else's package answers to its name.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { npmPack, serviceVersions } from './npm-pack.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STAGE = join(ROOT, 'dist', 'pack', 'client');
const OUT = join(STAGE, 'dist'); // tsconfig.client-package.json's outDir
const BUNDLED = ['session-client', 'contracts'];
/** What the shipped code imports at run time or in its .d.ts; the consumer brings them. */
const PEERS = ['@nestjs/common', '@nestjs/microservices', 'rxjs', 'reflect-metadata', 'class-validator', 'class-transformer'];
const entry = (lib) => ({ types: `./dist/${lib}/src/index.d.ts`, default: `./dist/${lib}/src/index.js` });

function compile() {
  rmSync(STAGE, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.client-package.json')], {
    cwd: ROOT,
    stdio: ['ignore', 2, 2],
  });
  if (result.status !== 0) throw new Error(`pack:client: tsc failed (exit ${result.status ?? result.signal})`);
}

function* emitted(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* emitted(path);
    else if (/\.(js|d\.ts)$/.test(entry.name)) yield path;
  }
}

/** `'#libs/contracts'` -> `'../../contracts/src/index.js'`, relative to each file. */
function rewriteLibImports() {
  for (const file of emitted(OUT)) {
    const text = readFileSync(file, 'utf8');
    const rewritten = text.replace(/(["'])#libs\/([\w-]+)\1/g, (_, quote, lib) => {
      if (!BUNDLED.includes(lib))
        throw new Error(`pack:client: ${relative(OUT, file)} imports #libs/${lib}, which the package does not bundle`);
      const target = relative(dirname(file), join(OUT, lib, 'src', 'index.js'));
      return `${quote}${target.startsWith('.') ? target : `./${target}`}${quote}`;
    });
    if (rewritten.includes('#libs/')) throw new Error(`pack:client: ${relative(OUT, file)} still names #libs/`);
    if (rewritten !== text) writeFileSync(file, rewritten);
  }
}

export function packClient({ destination = ROOT } = {}) {
  compile();
  rewriteLibImports();
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const manifest = {
    name: '@storefront-session/client',
    version: root.version,
    description:
      'Typed TCP client, HTTP adapter and contracts of the Storefront Session Service (internal; never published to the public registry)',
    // Private until the @storefront-session scope is registered: `npm publish` refuses it.
    private: true,
    license: root.license,
    type: 'module',
    engines: root.engines,
    exports: { '.': entry('session-client'), './contracts': entry('contracts'), './package.json': './package.json' },
    types: entry('session-client').types,
    files: ['dist', 'README.md'],
    peerDependencies: serviceVersions(root, PEERS, 'pack:client'),
  };
  return npmPack({
    stage: STAGE,
    manifest,
    readme: [
      '# @storefront-session/client',
      '',
      'Typed client of the Storefront Session Service: `SessionClient`, `SessionServiceError`,',
      '`setSessionCookie`, the Express middleware and Nest guard (`storefrontSession`,',
      '`StorefrontSessionGuard`), and the RPC contract (`@storefront-session/client/contracts`).',
      'ESM only. See docs/rpc.md in the service repository.',
      '',
    ].join('\n'),
    destination,
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const at = process.argv.indexOf('--destination');
  try {
    process.stdout.write(`${packClient(at > 0 ? { destination: process.argv[at + 1] } : {})}\n`);
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
}
