import { createHmac, randomUUID } from 'node:crypto';
import { Patterns, type ResolveResult } from '#libs/contracts';
import { TEST_COOKIE_SECRET } from '../support/session-service.harness.js';
import { serviceWithRedis } from '../support/service-with-redis.js';

const sign = (value: string, secret: string) =>
  `s:${value}.${createHmac('sha256', secret).update(value).digest('base64').replace(/=+$/, '')}`;

describe('the incoming cookie is untrusted', () => {
  const env = serviceWithRedis();

  const resolve = (shopId: string, session: string | null) => env.svc.send<ResolveResult>(Patterns.sessionResolve, { shopId, session });

  it.each([
    ['garbage', 'definitely-not-a-cookie'],
    ['an unsigned ID', randomUUID()],
    ['a bad signature', `s:${randomUUID()}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`],
    ['the raw master secret signature (not the shop key)', sign(randomUUID(), TEST_COOKIE_SECRET)],
    ['a signed value that is not one of our IDs', sign('../../etc/passwd', 'shop-c-own-secret')],
    ['a huge string', 'x'.repeat(4000)],
    ['an empty string', ''],
  ])('turns %s into a fresh guest session', async (_, cookie) => {
    const res = await resolve('shop-c', cookie);
    expect(res.session!.isNew).toBe(true);
    expect(res.session!.setCookie).not.toBeNull();
    expect(res.data.user).toBeNull();
  });

  it("refuses another shop's cookie even when both shops share the master secret", async () => {
    const shopA = (await resolve('shop-a', null)).session!;
    // Verified (and remembered) in its own shop first: what was verified there counts for no other shop.
    expect((await resolve('shop-a', shopA.cookie!.value)).session!.id).toBe(shopA.id);
    const inB = (await resolve('shop-b', shopA.cookie!.value)).session!;
    expect(inB.isNew).toBe(true);
    expect(inB.id).not.toBe(shopA.id);
    expect((await resolve('shop-a', shopA.cookie!.value)).session!.id).toBe(shopA.id);
  });

  it('accepts an express-session cookie signed with the shop’s own secret', async () => {
    const id = randomUUID();
    const res = await resolve('shop-c', sign(id, 'shop-c-own-secret'));
    expect(res.session).toMatchObject({ id, isNew: false });
  });

  it('turns a validly signed but unknown user-bound ID into a fresh guest', async () => {
    const forged = sign(`u-1:${randomUUID()}`, 'shop-c-own-secret');
    const res = await resolve('shop-c', forged);
    expect(res.session!.isNew).toBe(true);
    expect(res.session!.userId).toBeNull();
    expect(res.session!.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('uses each shop’s cookie settings', async () => {
    const c = (await resolve('shop-c', null)).session!;
    expect(c.cookie).toMatchObject({ name: '$session-shop-c', sameSite: 'strict', domain: 'shop-c.example' });
    expect(c.setCookie).toContain('; Domain=shop-c.example;');
    expect(c.setCookie).toContain('; SameSite=Strict');
  });

  it('re-sends the cookie exactly when the session’s expiry moved', async () => {
    const stored = async (shopId: string) => {
      const fresh = (await resolve(shopId, null)).session!;
      const first = await env.svc.send(Patterns.sessionUpdateCustomData, {
        shopId,
        session: fresh.cookie!.value,
        data: { customData: { a: 1 } },
      });
      return first.session!;
    };
    // Default touchAfter (60 s): resolving right after a write moves nothing, so no Set-Cookie.
    const a = await stored('shop-a');
    expect((await resolve('shop-a', a.cookie!.value)).session).toMatchObject({ id: a.id, setCookie: null, cookie: null });
    // touchAfter 0: every resolve slides the expiry and re-sends the cookie.
    const d = await stored('shop-d');
    expect(d.cookie!.maxAge).toBe(3600);
    const again = (await resolve('shop-d', d.cookie!.value)).session!;
    expect(again.id).toBe(d.id);
    expect(again.setCookie).not.toBeNull();
    expect(Date.parse(again.expiresAt)).toBeGreaterThanOrEqual(Date.parse(d.expiresAt));
    // A guest that holds nothing has no server-side expiry to follow: its cookie is not re-sent.
    const empty = (await resolve('shop-d', null)).session!;
    expect((await resolve('shop-d', empty.cookie!.value)).session!.setCookie).toBeNull();
  });
});
