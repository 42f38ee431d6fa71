import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { serviceWithRedis } from '../support/service-with-redis.js';
import { mintToken } from '../support/service-tokens.js';
import { CONSUMER_PACKAGE_JSON, CONSUMER_SOURCE, CONSUMER_TSCONFIG } from './consumer-project.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
// Packing compiles, and installing unpacks a few dozen packages: minutes on a loaded 2-core machine.
const SLOW = 600_000;

/** The version this repository installed, so the consumer's compiler comes from the npm cache. */
const installed = (name: string): string =>
  `${name}@${(JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version}`;

describe('the client package (npm run pack:client) in a project outside the repository', () => {
  const env = serviceWithRedis();
  let dir: string;
  let tarball: string;

  // One pack and one install for the whole file.
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'session-client-consumer-'));
    const packed = await run(process.execPath, [join(ROOT, 'scripts/pack-client.mjs'), '--destination', join(dir, 'packed')], {
      cwd: ROOT,
    });
    tarball = packed.stdout.trim();
    writeFileSync(join(dir, 'package.json'), JSON.stringify(CONSUMER_PACKAGE_JSON));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(CONSUMER_TSCONFIG));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'consumer.ts'), CONSUMER_SOURCE);
    // As docs/rpc.md says: the tarball alone, npm adds the peer dependencies (here from its cache).
    // Bounded: an npm that stalls on the registry is killed, so it cannot keep Jest alive.
    await run(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--fetch-timeout=60000',
        '--fetch-retries=2',
        tarball,
        installed('typescript'),
        installed('@types/node'),
      ],
      {
        cwd: dir,
        timeout: 420_000,
        killSignal: 'SIGKILL',
      },
    );
  }, SLOW);
  afterAll(() => {
    if (dir && !process.env.KEEP_CONSUMER) rmSync(dir, { recursive: true, force: true });
  });

  it('ships compiled ESM and .d.ts of the client and its contracts, and nothing of the server', async () => {
    expect(tarball).toMatch(/storefront-session-client-\d+\.\d+\.\d+\.tgz$/);
    const listing = (await run('tar', ['-tzf', tarball])).stdout.trim().split('\n');
    expect(listing).toEqual(
      expect.arrayContaining([
        'package/dist/session-client/src/index.js',
        'package/dist/session-client/src/index.d.ts',
        'package/dist/session-client/src/http/index.js',
        'package/dist/contracts/src/index.d.ts',
      ]),
    );
    expect(
      listing.filter((f) => !/^package\/dist\/(session-client|contracts)\/src\/[\w./-]+(?<!\.spec)\.(js|d\.ts)$/.test(f)).sort(),
    ).toEqual(['package/README.md', 'package/package.json']);

    const pkg = join(dir, 'node_modules/@storefront-session/client');
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({
      name: '@storefront-session/client',
      private: true,
      type: 'module',
      exports: { '.': { types: './dist/session-client/src/index.d.ts' } },
    });
    expect(Object.keys(manifest.peerDependencies as object).sort()).toEqual([
      '@nestjs/common',
      '@nestjs/microservices',
      'class-transformer',
      'class-validator',
      'reflect-metadata',
      'rxjs',
    ]);
    expect(manifest).not.toHaveProperty('dependencies');
    const shipped = (
      await run('grep', ['-rl', '#libs/', join(pkg, 'dist')]).catch((e: { code: number }) => ({ stdout: `grep exit ${e.code}` }))
    ).stdout;
    expect(shipped).toBe('grep exit 1'); // no file names a repository-only import
    for (const peer of ['@nestjs/common', '@nestjs/microservices', 'rxjs', 'reflect-metadata', 'class-validator', 'class-transformer'])
      expect(existsSync(join(dir, 'node_modules', peer))).toBe(true);
    for (const server of ['redis', 'cache-manager', 'cache-manager-redis-yet', 'express'])
      expect(existsSync(join(dir, 'node_modules', server))).toBe(false);
  });

  it(
    'type-checks a strict NodeNext consumer, which resolves, logs in, gets a typed UNKNOWN_SHOP and serves a page through the adapter',
    async () => {
      // tsc fails on any type error, and on the @ts-expect-error if SessionServiceError['code'] were any.
      await run(process.execPath, [join(dir, 'node_modules/typescript/bin/tsc'), '-p', dir], { cwd: dir }).catch(
        (e: { stdout: string }) => {
          throw new Error(`the consumer does not type-check:\n${e.stdout}`);
        },
      );
      const { stdout } = await run(process.execPath, [join(dir, 'out/consumer.js')], {
        cwd: dir,
        env: {
          PATH: process.env.PATH ?? '',
          SESSION_PORT: String(env.svc.config.port),
          SESSION_TOKEN: mintToken('session:read session:write'),
        },
      });
      expect(JSON.parse(stdout)).toEqual({
        guest: { user: null, isNew: true },
        setCookies: [expect.stringMatching(/^\$session-shop-a=s%3A/)],
        login: { userId: 'package-user', sessionUserId: 'package-user' },
        unknownShop: 'UNKNOWN_SHOP',
        unknownShopConstant: 'UNKNOWN_SHOP',
        notACode: 'NOT_A_CODE',
        adapter: { status: 200, body: { user: null, available: true }, setCookie: expect.stringMatching(/^\$session-shop-a=/) },
        nestGuard: 'function',
      });
    },
    SLOW,
  );
});
