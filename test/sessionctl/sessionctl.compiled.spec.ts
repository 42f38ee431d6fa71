import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AdminRevokeResult } from '#libs/contracts';
import { freePort } from '../support/free-port.js';
import { serviceWithRedis } from '../support/service-with-redis.js';
import { TEST_AUTH_SECRET } from '../support/service-tokens.js';
import { STACK_LINE, type CliRun } from './cli-runner.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = resolve(ROOT, 'dist/apps/sessionctl/src/main.js');

// dist/ is compiled by this project's globalSetup (test/support/build-dist.global-setup.mjs).

/** Runs the compiled CLI as a child process with exactly `env` (plus PATH). */
function runCompiled(argv: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [MAIN, ...argv], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

describe('the compiled sessionctl binary', () => {
  const env = serviceWithRedis();

  it('mints a token, force-logs-out a user with it, and exits 0 / 1 / 2 as documented', async () => {
    const login = await env.svc.send('session.login', { shopId: 'shop-b', session: null, data: { user: { id: 'bin-user' } } });
    const kept = await env.svc.send('session.login', { shopId: 'shop-b', session: null, data: { user: { id: 'bin-user' } } });
    expect(login.session!.id).not.toBe(kept.session!.id);

    const mint = await runCompiled(['token', 'mint', '--sub', 'ops-bin', '--scope', 'session:admin', '--ttl', '5m'], { SESSION_SERVICE_AUTH_SECRET: TEST_AUTH_SECRET });
    expect(mint).toMatchObject({ code: 0, stderr: '' });

    const serviceEnv = { SESSION_SERVICE_URL: `tcp://127.0.0.1:${env.svc.config.port}`, SESSION_SERVICE_TOKEN: mint.stdout.trim(), SESSION_SHOP: 'shop-b' };
    const revoke = await runCompiled(['sessions', 'revoke', '--user', 'bin-user', '--keep', kept.session!.id!, '--json'], serviceEnv);
    expect(revoke).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(revoke.stdout) as AdminRevokeResult).toEqual({ destroyed: 1, byShop: { 'shop-b': 1 } });

    const list = await runCompiled(['sessions', 'list', '--user', 'bin-user'], serviceEnv);
    expect(list).toMatchObject({ code: 0, stderr: '' });
    expect(list.stdout).toContain(createHash('sha256').update(kept.session!.id!).digest('base64url'));

    const port = await freePort();
    const unreachable = await runCompiled(['sessions', 'list', '--user', 'bin-user'], { ...serviceEnv, SESSION_SERVICE_URL: `tcp://127.0.0.1:${port}` });
    expect(unreachable).toMatchObject({ code: 1, stdout: '' });
    expect(unreachable.stderr).toMatch(/^sessionctl: cannot reach the session service at 127\.0\.0\.1:\d+: .*\n$/);
    expect(unreachable.stderr).not.toMatch(STACK_LINE);

    const usage = await runCompiled(['sessions', 'revoke'], serviceEnv);
    expect(usage).toEqual({ code: 2, stdout: '', stderr: 'sessionctl: missing --user (or --from-file)\n' });
  });
});
