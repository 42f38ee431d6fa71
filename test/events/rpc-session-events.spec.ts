import { decodeSessionEvent, Patterns, sessionEventStreamKey, type SessionEvent } from '#libs/contracts';
import { sessionHandle } from '#libs/session';
import { mintToken } from '../support/service-tokens.js';
import { serviceWithRedis } from '../support/service-with-redis.js';

/**
 * The events the service writes for calls over TCP, with the calling service's token subject as
 * the actor (also run on a cluster: test/cluster/rpc-on-cluster.spec.ts).
 */
describe('session events from RPC calls', () => {
  const env = serviceWithRedis({ inspect: true });
  const stream = sessionEventStreamKey('ss', 'shop-a');
  const read = async (): Promise<SessionEvent[]> =>
    (await env.inspect.xRange(stream, '-', '+')).map(({ id, message }) => decodeSessionEvent(id, Object.entries(message).flat()));
  beforeEach(() => env.inspect.del(stream));

  it('login, updateUser, logout: one event each, with handles (never raw IDs) and the caller as actor', async () => {
    const guest = await env.svc.send(Patterns.sessionUpdateCustomData, { data: { customData: { a: 1 } } });
    const login = await env.svc.send(Patterns.sessionLogin, { session: guest.session!.cookie!.value, data: { user: { id: 'u-ev' } } });
    const cookie = login.session!.cookie!.value;
    await env.svc.send(Patterns.sessionUpdateUser, { session: cookie, data: { user: { id: 'u-ev', name: 'Eve' } } });
    await env.svc.send(Patterns.sessionLogout, { session: cookie });
    const guestHandle = sessionHandle(guest.session!.id!);
    const userHandle = sessionHandle(login.session!.id!);
    const events = await read();
    expect(events.map(({ type, userId, handle, actor }) => ({ type, userId, handle, actor }))).toEqual([
      { type: 'session.created', userId: null, handle: guestHandle, actor: 'storefront-test' },
      { type: 'session.loggedIn', userId: 'u-ev', handle: userHandle, actor: 'storefront-test' },
      { type: 'session.destroyed', userId: null, handle: guestHandle, actor: 'storefront-test' }, // the guest session the login replaced
      { type: 'session.userUpdated', userId: 'u-ev', handle: userHandle, actor: 'storefront-test' },
      { type: 'session.loggedOut', userId: 'u-ev', handle: userHandle, actor: 'storefront-test' },
    ]);
    const raw = JSON.stringify(await env.inspect.xRange(stream, '-', '+'));
    expect(raw).not.toContain(login.session!.id!);
    expect(raw).not.toContain(guest.session!.id!);
  });

  it('session.reauthenticate: the new handle logged in, the old one out, both marked reauthenticated, with the caller as actor', async () => {
    const login = await env.svc.send(Patterns.sessionLogin, { data: { user: { id: 'u-re' } } });
    await env.inspect.del(stream);
    const re = await env.svc.send(Patterns.sessionReauthenticate, { session: login.session!.cookie!.value, data: { trusted: true } });
    const events = await read();
    expect(events.map(({ type, userId, handle, actor, reason }) => ({ type, userId, handle, actor, reason }))).toEqual([
      {
        type: 'session.loggedIn',
        userId: 'u-re',
        handle: sessionHandle(re.session!.id!),
        actor: 'storefront-test',
        reason: 'reauthenticated',
      },
      {
        type: 'session.loggedOut',
        userId: 'u-re',
        handle: sessionHandle(login.session!.id!),
        actor: 'storefront-test',
        reason: 'reauthenticated',
      },
    ]);
  });

  it("an operator's force-logout is one session.revoked with the count and the operator as actor", async () => {
    for (let i = 0; i < 3; i++) await env.svc.send(Patterns.sessionLogin, { data: { user: { id: 'u-rv' } } });
    await new Promise((r) => setTimeout(r, 5));
    const ops = mintToken('session:admin session:read', { sub: 'ops-console' });
    await env.svc.send(Patterns.adminSessionsRevoke, { auth: ops, data: { userId: 'u-rv' } });
    const revoked = (await read()).filter((e) => e.type === 'session.revoked');
    expect(revoked).toMatchObject([{ userId: 'u-rv', handle: null, count: 3, actor: 'ops-console', shopId: 'shop-a' }]);
  });
});
