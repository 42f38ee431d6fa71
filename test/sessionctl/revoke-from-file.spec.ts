import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionListResult } from '#libs/contracts';
import type { SessionClient } from '#libs/session-client';
import { revokeFromFile, type BulkRevokeSummary } from '../../apps/sessionctl/src/commands/revoke-from-file.js';
import { OperationFailed } from '../../apps/sessionctl/src/exit-codes.js';
import { Output } from '../../apps/sessionctl/src/output.js';
import { ALL_SCOPES } from '../support/session-service.harness.js';
import { serviceWithRedis } from '../support/service-with-redis.js';
import { mintToken } from '../support/service-tokens.js';
import { sessionctl, STACK_LINE, type CliRun } from './cli-runner.js';

const dir = mkdtempSync(join(tmpdir(), 'sessionctl-csv-'));
let fileSeq = 0;

function csv(text: string): string {
  const path = join(dir, `users-${++fileSeq}.csv`);
  writeFileSync(path, text);
  return path;
}

describe('sessionctl sessions revoke --from-file', () => {
  const env = serviceWithRedis();
  let cliEnv: Record<string, string>;
  const cli = (argv: string[], extra: Record<string, string> = {}): Promise<CliRun> => sessionctl(argv, { ...cliEnv, ...extra });
  const login = async (userId: string, shopId: string): Promise<void> => {
    await env.svc.send('session.login', { shopId, session: null, data: { user: { id: userId } } });
  };
  const sessionsOf = async (userId: string, shopId: string): Promise<number> =>
    (JSON.parse((await cli(['sessions', 'list', '--user', userId, '--shop', shopId, '--json'])).stdout) as SessionListResult).sessions
      .length;

  beforeAll(() => {
    cliEnv = {
      SESSION_SERVICE_URL: `tcp://127.0.0.1:${env.svc.config.port}`,
      SESSION_SERVICE_TOKEN: mintToken(ALL_SCOPES, { sub: 'bulk-spec' }),
    };
  });

  it('revokes every user of the file with progress on stderr and a summary; a re-run is safe and destroys nothing', async () => {
    await login('bulk-1', 'shop-a');
    await login('bulk-1', 'shop-a');
    await login('bulk-2', 'shop-a');
    await login('bulk-2', 'shop-b');
    const file = csv('userId,reason\n# fraud ring, ticket 42\nbulk-1,fraud\n\n"bulk-2",fraud\nbulk-3\nbulk-1,duplicate\n');

    const run = await cli(['sessions', 'revoke', '--from-file', file, '--shop', 'shop-a']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('[1/3] bulk-1: destroyed 2\n[2/3] bulk-2: destroyed 1\n[3/3] bulk-3: destroyed 0\n');
    expect(run.stdout.split('\n')[0]).toBe('revoked 3 of 3 users, destroyed 3 sessions');
    expect(run.stdout).toMatch(/^shop-a\s+3$/m);
    expect(await sessionsOf('bulk-2', 'shop-b')).toBe(1);

    const again = await cli(['sessions', 'revoke', '--from-file', file, '--all-shops', '--shop', 'shop-a', '--json']);
    expect(again.code).toBe(0);
    const summary = JSON.parse(again.stdout) as BulkRevokeSummary;
    expect(summary).toMatchObject({ users: 3, revoked: 3, destroyed: 1, failed: [] });
    expect(summary.byShop).toMatchObject({ 'shop-a': 0, 'shop-b': 1 });
    expect(await sessionsOf('bulk-2', 'shop-b')).toBe(0);
  });

  it('rejects a file with a malformed user id before revoking anyone (exit 2)', async () => {
    await login('bulk-untouched', 'shop-a');
    const run = await cli(['sessions', 'revoke', '--from-file', csv('bulk-untouched\nnot a user id\n'), '--shop', 'shop-a']);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(/^sessionctl: .*: not a user id on line 2 \("not a user id"\); nothing was revoked\n$/),
    });
    expect(await sessionsOf('bulk-untouched', 'shop-a')).toBe(1);
  });

  it('is bad usage with --user or --keep, for a missing file and for an empty one (exit 2)', async () => {
    const file = csv('bulk-x\n');
    expect(await cli(['sessions', 'revoke', '--from-file', file, '--user', 'u-1', '--shop', 'shop-a'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('cannot be combined'),
    });
    expect(await cli(['sessions', 'revoke', '--from-file', file, '--keep', 'h', '--shop', 'shop-a'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('cannot be combined'),
    });
    expect(await cli(['sessions', 'revoke', '--from-file', join(dir, 'missing.csv'), '--shop', 'shop-a'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('ENOENT'),
    });
    expect(await cli(['sessions', 'revoke', '--from-file', csv('userId\n# nothing\n'), '--shop', 'shop-a'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('holds no user ids'),
    });
  });

  it('stops at the first user when the token is refused: exit 1, says re-running is safe, no stack', async () => {
    const run = await cli(['sessions', 'revoke', '--from-file', csv('bulk-a\nbulk-b\n'), '--shop', 'shop-a'], {
      SESSION_SERVICE_TOKEN: mintToken('session:read'),
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toEqual([
      '[1/2] bulk-a: stopped (FORBIDDEN); 0 of 2 users done, re-running the file is safe',
      expect.stringMatching(/^sessionctl: the token lacks session:admin \(FORBIDDEN\)/),
    ]);
    expect(run.stderr).not.toMatch(STACK_LINE);
  });
});

describe('revokeFromFile with a user that fails', () => {
  it('goes on with the next users, lists the failures in the summary and fails the run', async () => {
    const client = {
      revokeSessions: async (shopId: string, input: { userId: string }) => {
        if (input.userId === 'u-2') throw { code: 'STORE_UNAVAILABLE', message: 'store down' };
        return { data: { destroyed: 1, byShop: { [shopId]: 1 } }, session: null };
      },
    } as unknown as SessionClient;
    let stdout = '';
    let stderr = '';
    const io = { env: {}, stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } };

    const outcome = await revokeFromFile(client, io, new Output(io, true), {
      shopId: 'shop-a',
      allShops: false,
      userIds: ['u-1', 'u-2', 'u-3'],
    }).catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(OperationFailed);
    expect((outcome as Error).message).toBe('1 of 3 users failed; re-running the file is safe');
    expect(stderr).toBe('[1/3] u-1: destroyed 1\n[2/3] u-2: FAILED STORE_UNAVAILABLE: store down\n[3/3] u-3: destroyed 1\n');
    expect(JSON.parse(stdout)).toEqual({
      users: 3,
      revoked: 2,
      destroyed: 2,
      byShop: { 'shop-a': 2 },
      failed: [{ userId: 'u-2', code: 'STORE_UNAVAILABLE', message: 'store down' }],
    });
  });
});
