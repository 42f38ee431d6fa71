import { firstValueFrom } from 'rxjs';
import { Patterns } from '#libs/contracts';
import { mintToken } from '../support/service-tokens.js';
import { ALL_SCOPES } from '../support/session-service.harness.js';
import { serviceWithRedis } from '../support/service-with-redis.js';

describe('service auth, scopes and validation', () => {
  const env = serviceWithRedis();

  const adminList = async (userId: string) =>
    (await env.svc.send<{ sessions: unknown[] }>(Patterns.adminSessionsList, { data: { userId } })).data.sessions;

  it.each([
    ['no token', undefined],
    ['an empty token', ''],
    ['garbage', 'not.a.jwt'],
    ['a token signed with another secret', mintToken(ALL_SCOPES, { secret: 'some-other-secret-some-other-secret' })],
    ['a token for another audience', mintToken(ALL_SCOPES, { audience: 'billing' })],
    ['an expired token', mintToken(ALL_SCOPES, { expiresIn: -10 })],
  ])('refuses %s with UNAUTHENTICATED and executes nothing', async (_, auth) => {
    const err = await env.svc.sendExpectingError(Patterns.sessionLogin, { auth: auth as string, data: { user: { id: 'u-unauth' } } });
    expect(err.code).toBe('UNAUTHENTICATED');
    expect(await adminList('u-unauth')).toEqual([]);
  });

  it('refuses a token without the scope with FORBIDDEN and executes nothing', async () => {
    const err = await env.svc.sendExpectingError(Patterns.sessionLogin, {
      auth: mintToken('session:read'),
      data: { user: { id: 'u-scope' } },
    });
    expect(err).toMatchObject({ code: 'FORBIDDEN', details: { missing: ['session:write'] } });
    expect(await adminList('u-scope')).toEqual([]);
    const admin = await env.svc.sendExpectingError(Patterns.adminSessionsList, {
      auth: mintToken('session:read session:write'),
      data: { userId: 'x' },
    });
    expect(admin.code).toBe('FORBIDDEN');
  });

  it('checks the token before saying anything about the payload', async () => {
    expect((await env.svc.sendExpectingError(Patterns.sessionLogin, { auth: 'bad', shopId: 42 as unknown as string })).code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('answers UNKNOWN_SHOP for a shop that is not configured', async () => {
    expect((await env.svc.sendExpectingError(Patterns.sessionResolve, { shopId: 'nope' })).code).toBe('UNKNOWN_SHOP');
  });

  it.each([
    ['a missing user', Patterns.sessionLogin, {}, 'data.user'],
    ['a user without id', Patterns.sessionLogin, { user: { name: 'x' } }, 'data.user.id'],
    ['a user id with a dot', Patterns.sessionLogin, { user: { id: 'a.b' } }, 'data.user.id'],
    ['custom data that is an array', Patterns.sessionUpdateCustomData, { customData: [1] }, 'data.customData'],
    ['sessionsToKeep that is not a list', Patterns.sessionDestroyForUser, { userId: 'u', sessionsToKeep: 'x' }, 'data.sessionsToKeep'],
    ['a missing userId', Patterns.adminSessionsList, {}, 'data.userId'],
  ])('answers VALIDATION_FAILED with field details for %s', async (_, pattern, data, field) => {
    const err = await env.svc.sendExpectingError(pattern, { data });
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  const sendRaw = (payload: unknown) =>
    firstValueFrom(env.svc.client.send(Patterns.sessionResolve, payload)).then(
      () => null,
      (e: { code: string; details?: Array<{ field: string }> }) => e,
    );

  it('treats a payload that is not an object as unauthenticated', async () => {
    expect((await sendRaw('just a string'))?.code).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['a numeric shopId', { shopId: 7 }, 'shopId'],
    ['data that is an array', { data: [] }, 'data'],
    ['a session that is a number', { session: 5 }, 'session'],
  ])('answers VALIDATION_FAILED for a malformed envelope: %s', async (_, envelope, field) => {
    const err = await sendRaw({ auth: env.svc.token, shopId: 'shop-a', ...envelope });
    expect(err?.code).toBe('VALIDATION_FAILED');
    expect(err?.details?.[0]?.field).toBe(field);
  });

  it('refuses custom data over the size limit with VALIDATION_FAILED and stores nothing', async () => {
    const big = { blob: 'x'.repeat(20_000) };
    const err = await env.svc.sendExpectingError(Patterns.sessionUpdateCustomData, { data: { customData: big } });
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'customData' }] });
  });

  it('refuses an oversized data payload with PAYLOAD_TOO_LARGE', async () => {
    const err = await env.svc.sendExpectingError(Patterns.sessionUpdateCustomData, { data: { customData: { blob: 'x'.repeat(200_000) } } });
    expect(err).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limit: expect.any(Number) } });
  });

  it('answers an unknown pattern without hanging', async () => {
    await expect(env.svc.send('session.nope', {})).rejects.toBeDefined();
  });
});
