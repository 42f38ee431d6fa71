#!/usr/bin/env node
// `npm run pack:sessionctl [-- --destination <dir>]`: packs sessionctl alone as an installable tarball,
// storefront-session-sessionctl-<version>.tgz in the repository root:
//   npm install -g ./storefront-session-sessionctl-<version>.tgz   # then: sessionctl --help
// It holds the compiled CLI and the two libraries it imports (contracts, session-client),
// resolved through its own "imports" map, and depends on the service's versions of their
// packages. Its name is scoped and the package is private, so `npm publish` refuses it and
// nothing on the public registry answers to it unless the scope's owner puts it there.
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfChanged } from './build-if-changed.mjs';
import { npmPack, serviceVersions } from './npm-pack.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STAGE = join(ROOT, 'dist', 'pack', 'sessionctl');
const LIBS = ['contracts', 'session-client'];
const DEPENDENCIES = [
  'commander',
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/microservices',
  '@nestjs/jwt',
  'class-transformer',
  'class-validator',
  'reflect-metadata',
  'rxjs',
  'redis',
];

export function packSessionctl({ destination = ROOT } = {}) {
  buildIfChanged();
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  rmSync(STAGE, { recursive: true, force: true });
  const copyJs = (from, to) =>
    cpSync(join(ROOT, 'dist', from), join(STAGE, to), { recursive: true, filter: (src) => !src.endsWith('.map') });
  copyJs('apps/sessionctl/src', 'apps/sessionctl/src');
  for (const lib of LIBS) copyJs(`libs/${lib}/src`, `libs/${lib}/src`);
  const manifest = {
    name: '@storefront-session/sessionctl',
    version: root.version,
    description: 'Admin CLI of the Storefront Session Service (internal; never published to the public registry)',
    private: true,
    license: root.license,
    type: 'module',
    engines: root.engines,
    bin: { sessionctl: 'apps/sessionctl/src/main.js' },
    imports: { '#libs/*': './libs/*/src/index.js' },
    dependencies: serviceVersions(root, DEPENDENCIES, 'pack'),
  };
  return npmPack({
    stage: STAGE,
    manifest,
    readme:
      '# sessionctl\n\nAdmin CLI of the Storefront Session Service: `sessionctl --help`. See docs/operations.md in the service repository.\n',
    destination,
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const at = process.argv.indexOf('--destination');
  process.stdout.write(`${packSessionctl(at > 0 ? { destination: process.argv[at + 1] } : {})}\n`);
}
