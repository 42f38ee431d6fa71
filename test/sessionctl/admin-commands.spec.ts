import { createHash } from 'node:crypto';
import type { AdminGetSessionResult, AdminRevokeResult, AdminStatsResult, AuditTailResult, SessionListResult } from '#libs/contracts';
import { ALL_SCOPES } from '../support/session-service.harness.js';
import { serviceWithRedis } from '../support/service-with-redis.js';
import { mintToken } from '../support/service-tokens.js';
import { sessionctl, STACK_LINE, type CliRun } from './cli-runner.js';

const ACTOR = 'sessionctl-spec';

/** The handle the service lists a session by: base64url SHA-256 of the raw ID. */
const handleOf = (sessionId: string): string => createHash('sha256').update(sessionId).digest('base64url');

function json<T>(run: CliRun): T {
  expect(run).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(run.stdout) as T;
}

describe('sessionctl against the real service', () => {
  const env = serviceWithRedis();
  let cliEnv: Record<string, string>;
  let userSeq = 0;
  const freshUser = (): string => `cli-user-${++userSeq}-${Date.now()}`;

  /** Logs `userId` in on a new device in `shopId`; resolves with the raw session ID. */
  async function login(userId: string, shopId = 'shop-a'): Promise<string> {
    const res = await env.svc.send('session.login', { shopId, session: null, data: { user: { id: userId } } });
    return res.session!.id!;
  }

  beforeAll(() => {
    cliEnv = {
      SESSION_SERVICE_URL: `tcp://127.0.0.1:${env.svc.config.port}`,
      SESSION_SERVICE_TOKEN: mintToken(ALL_SCOPES, { sub: ACTOR }),
    };
  });

  const cli = (argv: string[], extraEnv: Record<string, string> = {}): Promise<CliRun> => sessionctl(argv, { ...cliEnv, ...extraEnv });

  describe('sessions list', () => {
    it("prints a user's sessions as a table, most recent first", async () => {
      const user = freshUser();
      const first = await login(user);
      const second = await login(user);
      const run = await cli(['sessions', 'list', '--shop', 'shop-a', '--user', user]);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const lines = run.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^HANDLE\s+CREATED\s+LAST SEEN\s+EXPIRES$/);
      expect(lines).toHaveLength(3);
      expect(lines[1]!.startsWith(handleOf(second) + ' ')).toBe(true);
      expect(lines[2]!.startsWith(handleOf(first) + ' ')).toBe(true);
      expect(lines[1]).toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/);
    });

    it('prints the result as JSON with --json, taking the shop from SESSION_SHOP and the address from --host/--port', async () => {
      const user = freshUser();
      const id = await login(user);
      const run = await sessionctl(
        ['sessions', 'list', '--user', user, '--json', '--host', '127.0.0.1', '--port', String(env.svc.config.port)],
        {
          SESSION_SERVICE_TOKEN: cliEnv.SESSION_SERVICE_TOKEN,
          SESSION_SHOP: 'shop-a',
          SESSION_SERVICE_URL: 'tcp://127.0.0.1:1', // the flags win
        },
      );
      const data = json<SessionListResult>(run);
      expect(data.sessions).toEqual([
        { id: handleOf(id), createdAt: expect.any(String), lastSeenAt: expect.any(String), expiresAt: expect.any(String) },
      ]);
    });

    it('says (none) for a user without sessions', async () => {
      const run = await cli(['sessions', 'list', '--shop', 'shop-b', '--user', freshUser()]);
      expect(run).toEqual({ code: 0, stdout: '(none)\n', stderr: '' });
    });
  });

  describe('errors from the service', () => {
    it('refuses a token without session:admin: exit 1, one line naming the missing scope, no stack', async () => {
      const run = await cli(['sessions', 'list', '--shop', 'shop-a', '--user', 'u-1'], {
        SESSION_SERVICE_TOKEN: mintToken('session:read session:write'),
      });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^sessionctl: the token lacks session:admin \(FORBIDDEN\): .*\n$/);
      expect(run.stderr).not.toMatch(STACK_LINE);
    });

    it('refuses a token signed with another secret: exit 1, UNAUTHENTICATED', async () => {
      const run = await cli(['audit', 'tail', '--shop', 'shop-a'], {
        SESSION_SERVICE_TOKEN: mintToken(ALL_SCOPES, { secret: 'not-the-service-secret-0123456789abcdef' }),
      });
      expect(run).toMatchObject({ code: 1, stdout: '' });
      expect(run.stderr).toMatch(/^sessionctl: the service refused the token \(UNAUTHENTICATED\): .*\n$/);
    });

    it('reports VALIDATION_FAILED with its field details as bad usage (exit 2)', async () => {
      const run = await cli(['sessions', 'list', '--shop', 'shop-a', '--user', 'not a user id']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^sessionctl: invalid input \(VALIDATION_FAILED\): data\.userId: userId must be .*\n$/);
      expect(run.stderr).not.toMatch(STACK_LINE);
    });

    it('reports a service error as one JSON line on stderr with --json, with the code and the field details', async () => {
      const run = await cli(['sessions', 'list', '--shop', 'shop-a', '--user', 'not a user id', '--json']);
      expect(run).toMatchObject({ code: 2, stdout: '' });
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(JSON.parse(run.stderr)).toEqual({
        error: {
          message: expect.stringMatching(/^invalid input \(VALIDATION_FAILED\): data\.userId: /),
          code: 'VALIDATION_FAILED',
          exitCode: 2,
          details: expect.arrayContaining([expect.objectContaining({ field: 'data.userId' })]),
        },
      });
    });

    it('reports an unknown shop as bad usage (exit 2)', async () => {
      const run = await cli(['sessions', 'list', '--shop', 'no-such-shop', '--user', 'u-1']);
      expect(run).toMatchObject({ code: 2, stdout: '' });
      expect(run.stderr).toMatch(/^sessionctl: unknown shop \(UNKNOWN_SHOP\): .*\n$/);
    });
  });

  describe('sessions show', () => {
    it('shows a session by raw ID as a table and as JSON', async () => {
      const user = freshUser();
      const id = await login(user);
      const run = await cli(['sessions', 'show', id, '--shop', 'shop-a']);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(new RegExp(`^handle:\\s+${handleOf(id)}$`, 'm'));
      expect(run.stdout).toMatch(/^shop:\s+shop-a$/m);
      expect(run.stdout).toMatch(new RegExp(`^user:\\s+${user}$`, 'm'));
      expect(run.stdout).toMatch(/^custom data:\s+no$/m);

      const data = json<AdminGetSessionResult>(await cli(['sessions', 'show', id, '--shop', 'shop-a', '--json']));
      expect(data.session).toEqual({
        id: handleOf(id),
        shopId: 'shop-a',
        userId: user,
        createdAt: expect.any(String),
        expiresAt: expect.any(String),
        absoluteExpiresAt: expect.any(String),
        hasCustomData: false,
      });
    });

    it('shows a user-bound session by handle with --user', async () => {
      const user = freshUser();
      const id = await login(user);
      // A handle is base64url and may begin with '-': after `--` it is never read as an option.
      const data = json<AdminGetSessionResult>(
        await cli(['sessions', 'show', '--user', user, '--shop', 'shop-a', '--json', '--', handleOf(id)]),
      );
      expect(data.session).toMatchObject({ id: handleOf(id), userId: user, shopId: 'shop-a' });
    });

    it('takes a handle beginning with "-" after --', async () => {
      const run = await cli([
        'sessions',
        'show',
        '--user',
        freshUser(),
        '--shop',
        'shop-a',
        '--',
        '-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      ]);
      expect(run).toEqual({ code: 1, stdout: '', stderr: 'sessionctl: no such session in shop shop-a\n' });
    });

    it('exits 1 with one line for a session that does not exist', async () => {
      const run = await cli(['sessions', 'show', `${freshUser()}:00000000-0000-4000-8000-000000000000`, '--shop', 'shop-a']);
      expect(run).toEqual({ code: 1, stdout: '', stderr: 'sessionctl: no such session in shop shop-a\n' });
    });
  });

  describe('sessions revoke', () => {
    it('destroys all but the --keep sessions in one shop and prints the counts', async () => {
      const user = freshUser();
      const keptRaw = await login(user);
      await login(user);
      const keptByHandle = await login(user);
      await login(user);
      const otherShop = await login(user, 'shop-b');

      const run = await cli([
        'sessions',
        'revoke',
        '--user',
        user,
        '--shop',
        'shop-a',
        '--keep',
        keptRaw,
        '--keep',
        handleOf(keptByHandle),
      ]);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const lines = run.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe(`destroyed 2 sessions of user ${user}`);
      expect(lines[1]).toMatch(/^SHOP\s+DESTROYED$/);
      expect(lines.slice(2)).toEqual([expect.stringMatching(/^shop-a\s+2$/)]);

      const left = json<SessionListResult>(await cli(['sessions', 'list', '--shop', 'shop-a', '--user', user, '--json']));
      expect(left.sessions.map((s) => s.id).sort()).toEqual([handleOf(keptRaw), handleOf(keptByHandle)].sort());
      const untouched = json<SessionListResult>(await cli(['sessions', 'list', '--shop', 'shop-b', '--user', user, '--json']));
      expect(untouched.sessions.map((s) => s.id)).toEqual([handleOf(otherShop)]);
    });

    it("--all-shops destroys the user's sessions in every shop (--json)", async () => {
      const user = freshUser();
      await login(user, 'shop-a');
      await login(user, 'shop-b');
      await login(user, 'shop-b');
      const data = json<AdminRevokeResult>(
        await cli(['sessions', 'revoke', '--user', user, '--all-shops', '--json'], { SESSION_SHOP: 'shop-a' }),
      );
      expect(data.destroyed).toBe(3);
      expect(data.byShop).toMatchObject({ 'shop-a': 1, 'shop-b': 2 });
      expect(
        Object.entries(data.byShop)
          .filter(([shop]) => shop !== 'shop-a' && shop !== 'shop-b')
          .every(([, n]) => n === 0),
      ).toBe(true);
      for (const shop of ['shop-a', 'shop-b']) {
        expect(json<SessionListResult>(await cli(['sessions', 'list', '--shop', shop, '--user', user, '--json'])).sessions).toEqual([]);
      }
    });

    it('--all-shops prints the per-shop counts as a table', async () => {
      const user = freshUser();
      await login(user, 'shop-a');
      await login(user, 'shop-b');
      const run = await cli(['sessions', 'revoke', '--user', user, '--all-shops', '--shop', 'shop-b']);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(new RegExp(`^destroyed 2 sessions of user ${user}\\n`));
      expect(run.stdout).toMatch(/^shop-a\s+1$/m);
      expect(run.stdout).toMatch(/^shop-b\s+1$/m);
    });

    it('--all-shops without --shop or SESSION_SHOP is bad usage (exit 2)', async () => {
      const run = await cli(['sessions', 'revoke', '--user', 'u-1', '--all-shops']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^sessionctl: missing --shop .*\n$/);
    });
  });

  describe('stats', () => {
    // shop-c is used by no other test here, so its counts are known.
    beforeAll(async () => {
      await login(freshUser(), 'shop-c');
      await login(freshUser(), 'shop-c');
      const guest = (await env.svc.send('session.resolve', { shopId: 'shop-c', session: null, data: {} })).session!.cookie!.value;
      await env.svc.send('session.updateCustomData', { shopId: 'shop-c', session: guest, data: { customData: { step: 1 } } });
    });

    it('prints every shop with --json', async () => {
      const data = json<AdminStatsResult>(await cli(['stats', '--shop', 'shop-a', '--json']));
      expect(data.shops.map((s) => s.shopId)).toEqual([...env.svc.config.shops.keys()]);
      expect(data.shops.find((s) => s.shopId === 'shop-c')).toEqual({
        shopId: 'shop-c',
        liveSessions: 3,
        loggedInSessions: 2,
        guestsWithData: 1,
      });
      expect(Date.parse(data.at)).toBeGreaterThan(Date.now() - 10_000);
    });

    it('prints a table with a total row, taking the shop from SESSION_SHOP', async () => {
      const data = json<AdminStatsResult>(await cli(['stats', '--shop', 'shop-a', '--json']));
      const run = await cli(['stats'], { SESSION_SHOP: 'shop-b' });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const lines = run.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^sessions at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(lines[1]).toMatch(/^SHOP\s+LIVE\s+LOGGED IN\s+GUESTS WITH DATA$/);
      const row = (name: string, live: number, loggedIn: number, guests: number) => [name, String(live), String(loggedIn), String(guests)];
      const sum = (pick: (s: AdminStatsResult['shops'][number]) => number) => data.shops.reduce((n, s) => n + pick(s), 0);
      expect(lines.slice(2).map((l) => l.split(/\s{2,}/))).toEqual([
        ...data.shops.map((s) => row(s.shopId, s.liveSessions, s.loggedInSessions, s.guestsWithData)),
        row(
          'total',
          sum((s) => s.liveSessions),
          sum((s) => s.loggedInSessions),
          sum((s) => s.guestsWithData),
        ),
      ]);
      expect(lines.find((l) => /^shop-c\s/.test(l))!.split(/\s+/)).toEqual(['shop-c', '3', '2', '1']);
    });

    it('without --shop or SESSION_SHOP is bad usage (exit 2)', async () => {
      const run = await cli(['stats']);
      expect(run).toMatchObject({ code: 2, stdout: '' });
      expect(run.stderr).toMatch(/^sessionctl: missing --shop .*\n$/);
    });

    it('refuses a token without session:admin (exit 1)', async () => {
      const run = await cli(['stats', '--shop', 'shop-a'], { SESSION_SERVICE_TOKEN: mintToken('session:read') });
      expect(run).toMatchObject({ code: 1, stdout: '' });
      expect(run.stderr).toMatch(/^sessionctl: the token lacks session:admin \(FORBIDDEN\): .*\n$/);
    });
  });

  describe('audit tail', () => {
    it("shows the revoke with the token's sub as the actor, as JSON and as a table", async () => {
      const user = freshUser();
      await login(user);
      await login(user);
      expect((await cli(['sessions', 'revoke', '--user', user, '--shop', 'shop-a'])).code).toBe(0);

      const data = json<AuditTailResult>(await cli(['audit', 'tail', '-n', '50', '--shop', 'shop-a', '--json']));
      expect(data.entries.length).toBeGreaterThan(0);
      expect(data.entries.length).toBeLessThanOrEqual(50);
      expect(data.entries).toContainEqual({
        at: expect.any(String),
        actor: ACTOR,
        action: expect.any(String),
        shopId: 'shop-a',
        userId: user,
        count: 2,
      });

      const table = await cli(['audit', 'tail', '--shop', 'shop-a']);
      expect(table).toMatchObject({ code: 0, stderr: '' });
      expect(table.stdout.split('\n')[0]).toMatch(/^AT\s+ACTOR\s+ACTION\s+SHOP\s+USER\s+COUNT$/);
      expect(table.stdout).toMatch(new RegExp(`\\s${ACTOR}\\s.*\\sshop-a\\s+${user}\\s+2$`, 'm'));
    });

    it('-n limits the number of entries', async () => {
      for (let i = 0; i < 2; i++) {
        const user = freshUser();
        await login(user);
        await cli(['sessions', 'revoke', '--user', user, '--shop', 'shop-a']);
      }
      const data = json<AuditTailResult>(await cli(['audit', 'tail', '-n', '1', '--shop', 'shop-a', '--json']));
      expect(data.entries).toHaveLength(1);
    });

    it("passes the service's limit on -n through as VALIDATION_FAILED (exit 2)", async () => {
      const run = await cli(['audit', 'tail', '-n', '5000', '--shop', 'shop-a']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^sessionctl: invalid input \(VALIDATION_FAILED\): data\.count: .*\n$/);
    });
  });
});
