import fc from 'fast-check';
import { Patterns } from '#libs/contracts';
import { serviceWithRedis } from '../support/service-with-redis.js';

/**
 * Property: whatever JSON an authenticated caller sends as `data`, every pattern answers
 * with a result or a contract error, never INTERNAL (reserved for bugs).
 */
describe('no input makes the service answer INTERNAL', () => {
  const env = serviceWithRedis();

  // Keys that name prototype machinery or Object.prototype members, or look like a field the service reads.
  const key = fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'valueOf',
      'hasOwnProperty',
      'then',
      'length',
      'id',
      'user',
      'customData',
      'productId',
      'variantId',
      'quantity',
      'credentials',
      'userId',
      'sessionsToKeep',
    ),
  );
  const value = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null)),
      fc.array(tie('node'), { maxLength: 4 }),
      fc.dictionary(key, tie('node'), { maxKeys: 5 }),
    ),
  })).node;
  const data = fc.dictionary(key, value, { maxKeys: 6 });
  const patterns = Object.values(Patterns);

  it('holds for random data on every pattern', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...patterns), data, fc.boolean(), async (pattern, payload, withCookie) => {
        const session = withCookie ? (await env.svc.send(Patterns.sessionResolve, {})).session!.cookie!.value : null;
        const outcome = await env.svc.send(pattern, { session, data: payload }).then(
          () => 'ok',
          (e: { code?: string }) => e.code ?? `no code: ${JSON.stringify(e)}`,
        );
        expect(outcome).not.toBe('INTERNAL');
        expect(outcome).not.toMatch(/^no code/);
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});
