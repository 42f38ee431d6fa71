import { Patterns } from '#libs/contracts';
import { sendRawJson } from '../support/raw-frame.js';
import { serviceWithRedis } from '../support/service-with-redis.js';

/** `{"a":{"a":…1…}}` with `levels` objects, as JSON text. */
const nestedJson = (levels: number): string => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
const nested = (levels: number): Record<string, unknown> => JSON.parse(nestedJson(levels));

describe('hostile input from an authenticated caller: a contract error, never INTERNAL', () => {
  const env = serviceWithRedis();

  const fieldsOf = (err: { details?: unknown }) => (err.details as Array<{ field: string }>).map((d) => d.field);

  it.each([
    [
      '__proto__ in customData',
      Patterns.sessionUpdateCustomData,
      '{"customData":{"__proto__":{"polluted":true}}}',
      'data.customData.__proto__',
    ],
    [
      'constructor deep in customData',
      Patterns.sessionUpdateCustomData,
      '{"customData":{"a":[{"constructor":{"prototype":{}}}]}}',
      'data.customData.a.0.constructor',
    ],
    [
      'prototype in a user profile',
      Patterns.sessionLogin,
      '{"user":{"id":"u-proto","profile":{"prototype":1}}}',
      'data.user.profile.prototype',
    ],
    ['__proto__ as a user', Patterns.sessionLogin, '{"user":{"id":"u-proto2","__proto__":{"id":"admin"}}}', 'data.user.__proto__'],
    [
      '__proto__ in a cart line',
      Patterns.cartAddItem,
      '{"productId":"p","variantId":"v","quantity":1,"customData":{"__proto__":{}}}',
      'data.customData.__proto__',
    ],
    ['constructor in session.resolve data', Patterns.sessionResolve, '{"constructor":{}}', 'data.constructor'],
  ])('refuses %s with VALIDATION_FAILED naming the field', async (_, pattern, json, field) => {
    const err = await env.svc.sendExpectingError(pattern, { data: JSON.parse(json) as object });
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(fieldsOf(err)).toContain(field);
  });

  it('stores nothing from a refused customData (the session keeps what it had)', async () => {
    const first = await env.svc.send(Patterns.sessionUpdateCustomData, { data: { customData: { keep: 1 } } });
    const cookie = first.session!.cookie!.value;
    const err = await env.svc.sendExpectingError(Patterns.sessionUpdateCustomData, {
      session: cookie,
      data: JSON.parse('{"customData":{"__proto__":{"x":1}}}') as object,
    });
    expect(err.code).toBe('VALIDATION_FAILED');
    const after = await env.svc.send<{ customData: object }>(Patterns.sessionResolve, { session: cookie, data: {} });
    expect(after.data.customData).toEqual({ keep: 1 });
  });

  // Sent as text: a ClientProxy cannot serialise a value this deep itself.
  it.each([
    ['customData', Patterns.sessionUpdateCustomData, (v: string) => `{"customData":${v}}`],
    ['a user profile', Patterns.sessionLogin, (v: string) => `{"user":{"id":"u-deep","profile":${v}}}`],
    ['cart line customData', Patterns.cartAddItem, (v: string) => `{"productId":"p","variantId":"v","quantity":1,"customData":${v}}`],
    ['session.resolve data', Patterns.sessionResolve, (v: string) => `{"x":${v}}`],
  ])('refuses %s nested 10,000 deep with VALIDATION_FAILED', async (_, pattern, data) => {
    const payload = `{"auth":${JSON.stringify(env.svc.token)},"shopId":"shop-a","data":${data(nestedJson(10_000))}}`;
    const reply = await sendRawJson(env.svc.config.port, pattern, payload);
    expect(reply.err).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ message: expect.stringMatching(/nested deeper than 32 levels/) }],
    });
  });

  it('accepts customData nested as deep as the limit allows, and refuses one level more', async () => {
    // data is level 0 and data.customData level 1: customData may hold 31 more levels.
    const ok = await env.svc.send<null>(Patterns.sessionUpdateCustomData, { data: { customData: nested(32) } });
    expect(ok.session?.id).toEqual(expect.any(String));
    const err = await env.svc.sendExpectingError(Patterns.sessionUpdateCustomData, { data: { customData: nested(33) } });
    expect(err.code).toBe('VALIDATION_FAILED');
  });

  it.each([
    ['session.resolve', Patterns.sessionResolve, { padding: 'x'.repeat(900_000) }],
    ['cart.get', Patterns.cartGet, { padding: 'x'.repeat(100_000) }],
    ['session.logout', Patterns.sessionLogout, { padding: 'x'.repeat(100_000) }],
    ['cart.addItem', Patterns.cartAddItem, { productId: 'p', variantId: 'v', quantity: 1, padding: 'x'.repeat(70_000) }],
  ])('refuses data above 64 KiB on %s with PAYLOAD_TOO_LARGE', async (_, pattern, data) => {
    const err = await env.svc.sendExpectingError(pattern, { data });
    expect(err).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limit: 65_536, size: expect.any(Number) } });
    expect((err.details as { size: number }).size).toBeGreaterThan(65_536);
  });

  it('accepts data just under the limit on a pattern without an input class', async () => {
    const res = await env.svc.send(Patterns.sessionResolve, { data: { padding: 'x'.repeat(60_000) } });
    expect(res.session?.isNew).toBe(true);
  });

  it('refuses a service token longer than any real one as UNAUTHENTICATED', async () => {
    const err = await env.svc.sendExpectingError(Patterns.sessionResolve, { auth: `${'x'.repeat(9_000)}.y.z`, data: {} });
    expect(err.code).toBe('UNAUTHENTICATED');
  });
});
