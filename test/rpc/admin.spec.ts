import {
  Patterns,
  type AdminGetSessionResult,
  type AdminRevokeResult,
  type AuditTailResult,
  type SessionListResult,
} from '#libs/contracts';
import { sessionHandle } from '#libs/session';
import { serviceWithRedis } from '../support/service-with-redis.js';
import { mintToken } from '../support/service-tokens.js';

describe('admin RPCs and the audit trail', () => {
  const env = serviceWithRedis({ inspect: true });
  const loginIn = async (shopId: string, userId: string) =>
    (await env.svc.send(Patterns.sessionLogin, { shopId, data: { user: { id: userId } } })).session!;
  const alive = async (shopId: string, cookie: string) =>
    (await env.svc.send(Patterns.sessionResolve, { shopId, session: cookie })).session!.userId !== null;
  const auditTail = async (count = 50) => (await env.svc.send<AuditTailResult>(Patterns.adminAuditTail, { data: { count } })).data.entries;

  it('revokes a user’s sessions in one shop, keeping some, and reports per shop', async () => {
    const keep = await loginIn('shop-a', 'u-rev');
    const gone = await loginIn('shop-a', 'u-rev');
    const elsewhere = await loginIn('shop-b', 'u-rev');
    const res = await env.svc.send<AdminRevokeResult>(Patterns.adminSessionsRevoke, {
      data: { userId: 'u-rev', sessionsToKeep: [keep.id!] },
    });
    expect(res.data).toEqual({ destroyed: 1, byShop: { 'shop-a': 1 } });
    expect(res.session).toBeNull();
    expect(await alive('shop-a', keep.cookie!.value)).toBe(true);
    expect(await alive('shop-a', gone.cookie!.value)).toBe(false);
    expect(await alive('shop-b', elsewhere.cookie!.value)).toBe(true);
  });

  it('revokes in every configured shop with allShops', async () => {
    const a = await loginIn('shop-a', 'u-all');
    const b = await loginIn('shop-b', 'u-all');
    const res = await env.svc.send<AdminRevokeResult>(Patterns.adminSessionsRevoke, { data: { userId: 'u-all', allShops: true } });
    expect(res.data.destroyed).toBe(2);
    expect(res.data.byShop).toMatchObject({ 'shop-a': 1, 'shop-b': 1, 'shop-c': 0 });
    expect(Object.keys(res.data.byShop).sort()).toEqual([...env.svc.config.shops.keys()].sort());
    expect(await alive('shop-a', a.cookie!.value)).toBe(false);
    expect(await alive('shop-b', b.cookie!.value)).toBe(false);
  });

  it('shows a session’s metadata by raw ID or handle, without touching it', async () => {
    const s = await loginIn('shop-a', 'u-show');
    const byId = (await env.svc.send<AdminGetSessionResult>(Patterns.adminSessionsGet, { data: { sessionId: s.id } })).data.session!;
    expect(byId).toMatchObject({ id: sessionHandle(s.id!), shopId: 'shop-a', userId: 'u-show', hasCustomData: false });
    const byHandle = (
      await env.svc.send<AdminGetSessionResult>(Patterns.adminSessionsGet, { data: { sessionId: byId.id, userId: 'u-show' } })
    ).data.session;
    expect(byHandle).toEqual(byId);
    // A user-bound session's handle alone does not say where it lives.
    expect(
      (await env.svc.send<AdminGetSessionResult>(Patterns.adminSessionsGet, { data: { sessionId: byId.id } })).data.session,
    ).toBeNull();
    const [listed] = (await env.svc.send<SessionListResult>(Patterns.adminSessionsList, { data: { userId: 'u-show' } })).data.sessions;
    await new Promise((r) => setTimeout(r, 20));
    await env.svc.send(Patterns.adminSessionsGet, { data: { sessionId: s.id } });
    const [after] = (await env.svc.send<SessionListResult>(Patterns.adminSessionsList, { data: { userId: 'u-show' } })).data.sessions;
    expect(after!.lastSeenAt).toBe(listed!.lastSeenAt);
    expect(JSON.stringify(byId)).not.toContain(s.id!.split(':')[1]!);
  });

  it('records admin actions and every force-logout in a capped Redis stream, without raw session IDs', async () => {
    const s = await loginIn('shop-a', 'u-audit');
    await env.svc.send(Patterns.adminSessionsList, { auth: mintToken('session:admin', { sub: 'ops-alice' }), data: { userId: 'u-audit' } });
    await env.svc.send(Patterns.sessionDestroyForUser, {
      auth: mintToken('session:write', { sub: 'storefront-web' }),
      session: s.cookie!.value,
      data: { userId: 'u-audit' },
    });
    const entries = await auditTail(5);
    expect(entries[0]).toMatchObject({
      actor: 'storefront-web',
      action: 'session.destroyForUser',
      shopId: 'shop-a',
      userId: 'u-audit',
      count: 1,
    });
    expect(entries[1]).toMatchObject({ actor: 'ops-alice', action: 'admin.sessions.list', userId: 'u-audit', count: 1 });
    expect(Date.parse(entries[0]!.at)).toBeGreaterThan(Date.now() - 10_000);
    expect(JSON.stringify(await auditTail(1000))).not.toContain(s.id!.split(':')[1]!);
    const [streamKey] = await env.inspect.keys('*:audit');
    expect(await env.inspect.type(streamKey!)).toBe('stream');
  });

  it.each([Patterns.adminSessionsGet, Patterns.adminSessionsRevoke, Patterns.adminAuditTail, Patterns.adminSessionsList])(
    'refuses %s without the session:admin scope, and runs nothing',
    async (pattern) => {
      const before = (await auditTail(1000)).length;
      const err = await env.svc.sendExpectingError(pattern, {
        auth: mintToken('session:read session:write'),
        data: { userId: 'u-x', sessionId: 'x' },
      });
      expect(err.code).toBe('FORBIDDEN');
      expect((await auditTail(1000)).length).toBe(before);
    },
  );
});
