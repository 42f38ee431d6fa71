import { Patterns } from '#libs/contracts';
import { JsonLogger } from '../../apps/session-service/src/logging/json-logger.js';
import { RedisServer } from '../support/redis-server.js';
import { ServiceProcess } from '../support/service-process.js';
import { ServiceHarness } from '../support/session-service.harness.js';
import { mintToken } from '../support/service-tokens.js';

interface LogLine {
  level: string;
  time: string;
  msg: string;
  context?: string;
  callId?: string;
  pattern?: string;
  caller?: string;
}

describe('JSON logs (production)', () => {
  const written: string[] = [];
  let svc: ServiceHarness;
  beforeAll(async () => {
    svc = await ServiceHarness.start({ logger: new JsonLogger({ write: (line: string) => void written.push(line) }) });
  });
  afterAll(() => svc.stop());

  const lines = (): LogLine[] =>
    written
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as LogLine);

  it('tags each call’s lines with its own call id and the caller’s token subject, and never prints a session ID, cookie or token', async () => {
    const token = mintToken('session:read session:write', { sub: 'storefront-eu' });
    const secrets = [token, svc.token];
    for (let i = 0; i < 2; i++) {
      const login = (await svc.send(Patterns.sessionLogin, { auth: token, data: { user: { id: `json-user-${i}` } } })).session!;
      secrets.push(login.id!, login.cookie!.value, login.setCookie!);
    }
    await svc.send(Patterns.sessionDestroyForUser, { data: { userId: 'json-user-0' } }); // the harness's own token: sub storefront-test
    await svc.sendExpectingError(Patterns.sessionResolve, { auth: `${token}x` });

    const all = lines();
    for (const line of all)
      expect(line).toMatchObject({ level: expect.any(String), time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), msg: expect.any(String) });
    const started = all.find((l) => l.msg.startsWith('RPC (TCP) on'));
    expect(started).toMatchObject({ level: 'info', context: 'SessionService' });
    expect(started).not.toHaveProperty('callId');

    const logins = all.filter((l) => l.msg.startsWith('logged in'));
    expect(logins).toHaveLength(2);
    for (const login of logins)
      expect(login).toMatchObject({
        level: 'info',
        pattern: 'session.login',
        caller: 'storefront-eu',
        callId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-z]+$/),
      });
    expect(logins[0]!.callId).not.toBe(logins[1]!.callId);
    const destroyed = all.find((l) => l.msg.startsWith('destroyed 1 session'));
    expect(destroyed).toMatchObject({ pattern: 'session.destroyForUser', caller: 'storefront-test' });
    expect(destroyed!.callId).not.toBe(logins[0]!.callId);

    const text = written.join('');
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});

describe('the log format the process chooses', () => {
  let redis: RedisServer;
  const processes: ServiceProcess[] = [];
  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await redis?.stop();
  });

  it('writes JSON lines with NODE_ENV=production and readable lines otherwise', async () => {
    const production = await ServiceProcess.start({
      redisUrl: redis.url,
      sessionConfig: { shops: { 'shop-a': {} } },
      env: { NODE_ENV: 'production' },
    });
    processes.push(production);
    const started = JSON.parse(await production.waitForLine(/RPC \(TCP\) on/, 60_000)) as LogLine;
    expect(started).toMatchObject({ level: 'info', context: 'SessionService', service: 'session-service' });

    const development = await ServiceProcess.start({ redisUrl: redis.url });
    processes.push(development);
    const line = await development.waitForLine(/RPC \(TCP\) on/, 60_000);
    expect(line).toMatch(/\[Nest\] \d+ .*LOG.*\[SessionService\].*RPC \(TCP\) on/);
    expect(() => JSON.parse(line)).toThrow();
  }, 180_000);
});
