import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { AdminRevokeResult } from '#libs/contracts';
import { freePort } from '../support/free-port.js';
import { serviceWithRedis } from '../support/service-with-redis.js';
import { TEST_AUTH_SECRET } from '../support/service-tokens.js';
import { STACK_LINE, type CliRun } from './cli-runner.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = resolve(ROOT, 'dist/apps/sessionctl/src/main.js');

// dist/ is compiled by this project's globalSetup (test/support/build-dist.global-setup.mjs).

/** Runs a program as a child process with exactly `env` (plus PATH); `exitedAt` is when it exited. */
function run(command: string, argv: string[], env: Record<string, string>, cwd = ROOT): Promise<CliRun & { exitedAt: number }> {
  return new Promise((done, fail) => {
    const child = spawn(command, argv, { cwd, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    let exitedAt = 0;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('exit', () => (exitedAt = Date.now()));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr, exitedAt }));
  });
}

/** Runs the compiled CLI (dist/apps/sessionctl/src/main.js). */
async function runCompiled(argv: string[], env: Record<string, string>): Promise<CliRun> {
  const { code, stdout, stderr } = await run(process.execPath, [MAIN, ...argv], env);
  return { code, stdout, stderr };
}

// Every case starts node processes, which takes seconds each on a loaded machine.
const SLOW = 120_000;

describe('the compiled sessionctl binary', () => {
  const env = serviceWithRedis();

  it(
    'mints a token, force-logs-out a user with it, and exits 0 / 1 / 2 as documented',
    async () => {
      const login = await env.svc.send('session.login', { shopId: 'shop-b', session: null, data: { user: { id: 'bin-user' } } });
      const kept = await env.svc.send('session.login', { shopId: 'shop-b', session: null, data: { user: { id: 'bin-user' } } });
      expect(login.session!.id).not.toBe(kept.session!.id);

      const mint = await runCompiled(['token', 'mint', '--sub', 'ops-bin', '--scope', 'session:admin', '--ttl', '5m'], {
        SESSION_SERVICE_AUTH_SECRET: TEST_AUTH_SECRET,
      });
      expect(mint).toMatchObject({ code: 0, stderr: '' });

      const serviceEnv = {
        SESSION_SERVICE_URL: `tcp://127.0.0.1:${env.svc.config.port}`,
        SESSION_SERVICE_TOKEN: mint.stdout.trim(),
        SESSION_SHOP: 'shop-b',
      };
      const revoke = await runCompiled(['sessions', 'revoke', '--user', 'bin-user', '--keep', kept.session!.id!, '--json'], serviceEnv);
      expect(revoke).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(revoke.stdout) as AdminRevokeResult).toEqual({ destroyed: 1, byShop: { 'shop-b': 1 } });

      const list = await runCompiled(['sessions', 'list', '--user', 'bin-user'], serviceEnv);
      expect(list).toMatchObject({ code: 0, stderr: '' });
      expect(list.stdout).toContain(createHash('sha256').update(kept.session!.id!).digest('base64url'));

      const port = await freePort();
      const unreachable = await runCompiled(['sessions', 'list', '--user', 'bin-user'], {
        ...serviceEnv,
        SESSION_SERVICE_URL: `tcp://127.0.0.1:${port}`,
      });
      expect(unreachable).toMatchObject({ code: 1, stdout: '' });
      expect(unreachable.stderr).toMatch(/^sessionctl: cannot reach the session service at 127\.0\.0\.1:\d+: .*\n$/);
      expect(unreachable.stderr).not.toMatch(STACK_LINE);

      const usage = await runCompiled(['sessions', 'revoke'], serviceEnv);
      expect(usage).toEqual({ code: 2, stdout: '', stderr: 'sessionctl: missing --user (or --from-file)\n' });
    },
    SLOW,
  );

  it(
    'exits within a second of --timeout when the service accepts the connection but never answers',
    async () => {
      const sockets = new Set<Socket>();
      let acceptedAt = 0;
      const silent: Server = createServer((socket) => {
        acceptedAt ||= Date.now();
        sockets.add(socket);
      });
      await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
      try {
        const url = `tcp://127.0.0.1:${(silent.address() as { port: number }).port}`;
        const hung = await run(process.execPath, [MAIN, 'audit', 'tail', '--timeout', '500'], {
          SESSION_SERVICE_URL: url,
          SESSION_SERVICE_TOKEN: 't',
          SESSION_SHOP: 'shop-a',
        });
        expect(hung).toMatchObject({ code: 1, stdout: '' });
        expect(hung.stderr).toMatch(
          /^sessionctl: the session service at 127\.0\.0\.1:\d+ did not answer in time \(TIMEOUT; see --timeout\)\n$/,
        );
        expect(acceptedAt).toBeGreaterThan(0);
        // The call is sent as soon as the connection is up: exit follows the 500 ms timeout.
        expect(hung.exitedAt - acceptedAt).toBeLessThan(500 + 1_000);
      } finally {
        sockets.forEach((s) => s.destroy());
        await new Promise((done) => silent.close(done));
      }
    },
    SLOW,
  );
});

describe('the sessionctl package (npm run pack:sessionctl)', () => {
  it('installs globally from its tarball as a private, scoped package and runs as `sessionctl`', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sessionctl-pack-'));
    const packed = await promisify(execFile)(process.execPath, [join(ROOT, 'scripts/pack-sessionctl.mjs'), '--destination', dir], {
      cwd: ROOT,
    });
    const tarball = packed.stdout.trim();
    expect(tarball).toMatch(/storefront-session-sessionctl-\d+\.\d+\.\d+\.tgz$/);

    const listing = (await promisify(execFile)('tar', ['-tzf', tarball])).stdout.trim().split('\n');
    expect(listing).toContain('package/apps/sessionctl/src/main.js');
    expect(listing.filter((f) => !/^package\/(apps\/sessionctl|libs\/(contracts|session-client))\/src\/.*\.js$/.test(f)).sort()).toEqual([
      'package/README.md',
      'package/package.json',
    ]);

    // A global install into a private prefix, from the npm cache `npm ci` filled.
    const prefix = join(dir, 'global');
    // Bounded: an npm that stalls on the registry is killed, so it cannot keep Jest alive.
    await promisify(execFile)(
      'npm',
      [
        'install',
        '--global',
        '--prefix',
        prefix,
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--fetch-timeout=60000',
        '--fetch-retries=2',
        tarball,
      ],
      {
        cwd: dir,
        timeout: 420_000,
        killSignal: 'SIGKILL',
      },
    );
    const installed = join(prefix, 'lib/node_modules/@storefront-session/sessionctl');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { name: string; private: boolean; bin: object };
    expect(manifest).toMatchObject({
      name: '@storefront-session/sessionctl',
      private: true,
      bin: { sessionctl: 'apps/sessionctl/src/main.js' },
    });

    // On the PATH as `sessionctl`, run from outside the repository.
    const env = { PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}` };
    const help = await run('sessionctl', ['--help'], env, dir);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: sessionctl /);
    const mint = await run(
      'sessionctl',
      ['token', 'mint', '--sub', 'ops', '--scope', 'session:admin'],
      { ...env, SESSION_SERVICE_AUTH_SECRET: TEST_AUTH_SECRET },
      dir,
    );
    expect(mint).toMatchObject({ code: 0, stderr: '' });
    expect(mint.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  }, 600_000);
});
