import fc from 'fast-check';
import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';
import { ErrorCodes, Patterns } from '#libs/contracts';
import { RedisServer } from '../support/redis-server.js';
import { ServiceProcess } from '../support/service-process.js';
import { mintToken } from '../support/service-tokens.js';
import { ALL_SCOPES } from '../support/session-service.harness.js';
import { frame, RawConnection } from './raw-connection.js';

const token = mintToken(ALL_SCOPES);
const CODES = new Set<string>(Object.values(ErrorCodes));

/**
 * Property-based fuzzing of the wire against the real service process and a real Redis:
 * whatever arrives, the process stays up and keeps serving a normal caller, and a
 * well-framed request is answered with a result or a contract error other than INTERNAL.
 */
describe('frames and envelopes from arbitrary callers (fast-check)', () => {
  let redis: RedisServer;
  let service: ServiceProcess;
  let client: ClientProxy;

  beforeAll(async () => {
    redis = await RedisServer.start();
    // A short frame deadline, so that arbitrary bytes announcing a long frame do not hold a run.
    service = await ServiceProcess.start({ redisUrl: redis.url, sessionConfig: { transport: { frameTimeoutMs: 500 } } });
    client = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port: service.port } });
    await client.connect();
  }, 90_000);
  afterAll(async () => {
    await client?.close();
    await service?.stop();
    await redis?.stop();
  });

  const normalCallServed = async () => {
    const reply = await firstValueFrom(
      client.send<{ session: { isNew: boolean } }>(Patterns.sessionResolve, { auth: token, shopId: 'shop-a' }).pipe(timeout(10_000)),
    );
    expect(reply.session.isNew).toBe(true);
    expect(service.isRunning()).toBe(true);
  };

  it('arbitrary bytes, in arbitrary pieces, never crash the process', async () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 512 }),
      // Plausible prefixes followed by garbage: the interesting part of the state machine.
      fc
        .tuple(fc.nat({ max: 2_000_000 }), fc.uint8Array({ maxLength: 256 }))
        .map(([n, rest]) => Buffer.concat([Buffer.from(`${n}#`), rest])),
      fc.string({ unit: 'binary', maxLength: 200 }).map((s) => Buffer.from(`${Buffer.byteLength(s)}#${s}`)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(bytes, { minLength: 1, maxLength: 4 }), async (pieces) => {
        const c = await RawConnection.open(service.port);
        for (const piece of pieces) c.write(Buffer.from(piece));
        await c.closesWithin(50);
        c.destroy();
        await normalCallServed();
      }),
      { numRuns: 150 },
    );
  }, 180_000);

  it('well-framed requests with hostile envelopes get a result or a contract error, never INTERNAL', async () => {
    const patterns = fc.oneof(fc.constantFrom(...Object.values(Patterns)), fc.string({ maxLength: 20 }));
    const plainJson = fc.jsonValue({ maxDepth: 3 });
    // Objects with the keys that break naive code: prototype setters and class-transformer's lookups.
    const hostileObject = fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'a'), plainJson, {
      maxKeys: 3,
    });
    const anyJson = fc.oneof(plainJson, hostileObject, fc.dictionary(fc.string({ maxLength: 8 }), hostileObject, { maxKeys: 2 }));
    const envelope = fc.record(
      {
        auth: fc.oneof(fc.constant(token), fc.string({ maxLength: 40 }), anyJson),
        shopId: fc.oneof(fc.constantFrom('shop-a', 'shop-e', 'nope'), anyJson),
        session: fc.oneof(fc.constant(null), fc.string({ maxLength: 80 }), anyJson),
        data: fc.oneof(
          anyJson,
          fc.dictionary(
            fc.constantFrom('user', 'customData', 'item', 'sku', 'quantity', 'userId', 'credentials', 'lineKey', 'productId'),
            anyJson,
          ),
        ),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(patterns, envelope), { minLength: 1, maxLength: 5 }), async (requests) => {
        const c = await RawConnection.open(service.port);
        try {
          c.write(requests.map(([pattern, data], i) => frame({ id: `r${i}`, pattern, data })).join(''));
          for (let i = 0; i < requests.length; i++) {
            const reply = await c.reply(`r${i}`, 10_000);
            if (reply.err !== undefined) {
              expect(CODES.has(reply.err.code)).toBe(true);
              expect(reply.err.code).not.toBe(ErrorCodes.internal);
            } else {
              expect(reply.response).toBeDefined();
            }
          }
        } finally {
          c.destroy();
        }
        await normalCallServed();
      }),
      { numRuns: 150 },
    );
  }, 240_000);
});
