import 'reflect-metadata';
import { jest } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { JwtService } from '@nestjs/jwt';
import { RpcException } from '@nestjs/microservices';
import { IsString } from 'class-validator';
import { method, SERVICE_TOKEN_AUDIENCE, type AnyRpcContract, type RpcResponse, type SessionView } from '#libs/contracts';
import { loadServiceConfig } from '../config/load-service-config.js';
import type { ServiceConfig } from '../config/service-config.js';
import { SessionError } from '../core/session-error.js';
import { SessionModule } from '../session.module.js';
import { StoreUnavailableError } from '../store/store-unavailable.error.js';
import type { SessionCallContext, ServiceCallContext } from './call-contexts.js';
import { RpcDispatcher, type RpcReply } from './rpc-dispatcher.js';
import type { RpcContext, ServiceContext } from './rpc-context.js';

/**
 * The dispatch of one call and the RpcContext parts, on the memory store with an injected
 * clock: no network, no Redis.
 */
class NoteInput {
  @IsString() note!: string;
}
const withSession = method<void, unknown>()({
  pattern: 'spec.withSession',
  client: 'withSession',
  scopes: ['session:write'],
  session: true,
});
const withInput = method<NoteInput, unknown>()({
  pattern: 'spec.withInput',
  client: 'withInput',
  scopes: ['session:write'],
  input: NoteInput,
  session: true,
});
const withoutSession = method<void, unknown>()({
  pattern: 'spec.withoutSession',
  client: 'withoutSession',
  scopes: ['session:admin'],
  session: false,
});

let now = Date.parse('2026-03-01T12:00:00Z');
let config: ServiceConfig;
let dispatcher: RpcDispatcher;

beforeAll(async () => {
  config = loadServiceConfig({});
  config.wallClock = () => now;
  const module = await Test.createTestingModule({ imports: [SessionModule.forRoot(config)] }).compile();
  dispatcher = module.get(RpcDispatcher);
});

const auth = (scope = 'session:read session:write session:admin') =>
  new JwtService().sign(
    { sub: 'spec-caller', scope },
    { secret: config.authSecret, audience: SERVICE_TOKEN_AUDIENCE, expiresIn: 3600, algorithm: 'HS256' },
  );

type Run = (ctx: SessionCallContext | ServiceCallContext, input: unknown) => unknown;
async function call(
  contract: AnyRpcContract,
  run: Run,
  envelope: { session?: string | null; data?: object; auth?: string } = {},
): Promise<RpcReply> {
  return dispatcher.handlerFor(contract, run)({ auth: auth(), shopId: '1001', ...envelope });
}
const ok = (reply: RpcReply): RpcResponse<unknown> => {
  if (reply.err) throw new Error(`expected a response, got ${JSON.stringify(reply.err)}`);
  return reply.response;
};
const cookieOf = (view: SessionView | null) => view?.cookie?.value ?? null;

describe('RpcDispatcher', () => {
  it('resolves a session, runs the handler with its context and wraps the result as { data, session }', async () => {
    let seen: RpcContext | undefined;
    const response = ok(await call(withSession, (ctx) => ((seen = ctx as RpcContext), { hello: 'world' })));
    expect(response.data).toEqual({ hello: 'world' });
    expect(response.session).toMatchObject({ isNew: true, userId: null, id: seen!.sessionId });
    expect(seen).toMatchObject({ hasSession: true, shopId: '1001', receivedAt: now, user: null, customData: {} });
    expect(seen!.caller.subject).toBe('spec-caller');
  });

  it('answers null for a handler that returns nothing', async () => {
    expect(ok(await call(withSession, () => undefined)).data).toBeNull();
  });

  it('resolves no session for a method without one: a ServiceContext, and session null in the response', async () => {
    let seen: ServiceContext | undefined;
    const response = ok(await call(withoutSession, (ctx) => ((seen = ctx as ServiceContext), 1)));
    expect(response).toEqual({ data: 1, session: null });
    expect(seen!.hasSession).toBe(false);
    expect('sessionId' in seen!).toBe(false);
  });

  it('hands the handler its validated input, and refuses invalid input without running it', async () => {
    const run = jest.fn((_ctx: unknown, input: unknown): unknown => input);
    expect(ok(await call(withInput, run, { data: { note: 'n' } })).data).toEqual(Object.assign(new NoteInput(), { note: 'n' }));
    expect(await call(withInput, run, { data: { note: 5 } })).toMatchObject({
      err: { code: 'VALIDATION_FAILED', details: [{ field: 'data.note' }] },
    });
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('refuses a call without the scopes, and never runs the handler', async () => {
    const run = jest.fn((): unknown => null);
    expect(await call(withoutSession, run, { auth: auth('session:read') })).toEqual({
      err: {
        code: 'FORBIDDEN',
        message: 'spec.withoutSession needs scope session:admin',
        details: { requiredScopes: ['session:admin'], missing: ['session:admin'] },
      },
    });
    expect((await call(withoutSession, run, { auth: 'x' })).err?.code).toBe('UNAUTHENTICATED');
    expect(run).not.toHaveBeenCalled();
  });

  it('holds a method marked with recentLogin to it before running the handler: NOT_LOGGED_IN, then REAUTH_REQUIRED', async () => {
    const run = jest.fn((): unknown => 'ran');
    const marked = (session: string | null) =>
      dispatcher.handlerFor(withSession, run, { recentLogin: 60 })({ auth: auth(), shopId: '1001', session, data: {} });
    expect((await marked(null)).err?.code).toBe('NOT_LOGGED_IN');
    const login = ok(await call(withSession, async (ctx) => (ctx as RpcContext).login({ id: 'u-recent' })));
    now += 60_000;
    expect(ok(await marked(cookieOf(login.session))).data).toBe('ran');
    now += 1_000;
    expect((await marked(cookieOf(login.session))).err).toMatchObject({
      code: 'REAUTH_REQUIRED',
      details: { maxAgeSeconds: 60, ageSeconds: 61 },
    });
    expect(run).toHaveBeenCalledTimes(1);
  });

  it.each([
    [
      'a SessionError as its payload',
      new SessionError('NOT_LOGGED_IN', 'log in first'),
      { code: 'NOT_LOGGED_IN', message: 'log in first' },
    ],
    [
      'an outage of the store as STORE_UNAVAILABLE',
      new StoreUnavailableError('down'),
      { code: 'STORE_UNAVAILABLE', message: 'the session store is unavailable; retry later' },
    ],
    [
      'an RpcException with a contract code as it is',
      new RpcException({ code: 'CONFLICT', message: 'busy' }),
      { code: 'CONFLICT', message: 'busy' },
    ],
    ['anything else as INTERNAL', new Error('bug'), { code: 'INTERNAL', message: 'internal error' }],
  ])('maps %s', async (_, error, payload) => {
    expect(await call(withSession, () => Promise.reject(error))).toEqual({ err: payload });
  });
});

describe('the RpcContext core and parts', () => {
  it('login rotates to a user-bound ID, and the next call finds the user', async () => {
    const login = ok(await call(withSession, async (ctx) => (ctx as RpcContext).login({ id: 'u-1', name: 'Ada' })));
    expect(login.session?.userId).toBe('u-1');
    expect(login.session?.id).toMatch(/^u-1:/);
    let user: unknown;
    await call(withSession, (ctx) => void (user = (ctx as RpcContext).user), { session: cookieOf(login.session) });
    expect(user).toEqual({ id: 'u-1', name: 'Ada' });
  });

  it('updateCustomData stores a guest session; destroySession clears the cookie and the data', async () => {
    const stored = ok(await call(withSession, (ctx) => (ctx as RpcContext).updateCustomData({ theme: 'dark' })));
    const cookie = cookieOf(stored.session);
    let data: unknown;
    await call(withSession, (ctx) => void (data = (ctx as RpcContext).customData), { session: cookie });
    expect(data).toEqual({ theme: 'dark' });
    const destroyed = ok(await call(withSession, (ctx) => (ctx as RpcContext).destroySession(), { session: cookie }));
    expect(destroyed.session).toMatchObject({ id: null, cookie: { maxAge: 0 } });
    await call(withSession, (ctx) => void (data = (ctx as RpcContext).customData), { session: cookie });
    expect(data).toEqual({});
  });

  it('the idle expiry follows the injected clock', async () => {
    const first = ok(await call(withSession, (ctx) => (ctx as RpcContext).updateCustomData({ a: 1 })));
    now += 10 * 60_000;
    const later = ok(await call(withSession, () => null, { session: cookieOf(first.session) }));
    expect(Date.parse(later.session!.expiresAt)).toBeGreaterThan(Date.parse(first.session!.expiresAt));
  });

  it('cart and wishlist parts keep the session owner’s baskets', async () => {
    const added = ok(await call(withSession, (ctx) => (ctx as RpcContext).cart.addItem({ productId: 'p', variantId: 'v', quantity: 2 })));
    const cookie = cookieOf(added.session);
    await call(withSession, (ctx) => (ctx as RpcContext).wishlist.add({ productId: 'w' }), { session: cookie });
    let baskets: unknown;
    await call(
      withSession,
      async (ctx) => void (baskets = [await (ctx as RpcContext).cart.get(), await (ctx as RpcContext).wishlist.get()]),
      { session: cookie },
    );
    expect(baskets).toMatchObject([{ lines: [{ productId: 'p', variantId: 'v', quantity: 2 }] }, { items: [{ productId: 'w' }] }]);
  });

  it('the provider part refuses providerCart.set on a shop that keeps its cart in the session', async () => {
    const reply = await call(withSession, (ctx) => (ctx as RpcContext).provider.setCart({ cartId: 'c' }));
    expect(reply.err).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'shopId' }] });
  });

  it('destroySessionsForUserId keeps the sessions named, and the audit records the caller', async () => {
    const cookies: Array<string | null> = [];
    for (let i = 0; i < 3; i++)
      cookies.push(cookieOf(ok(await call(withSession, (ctx) => (ctx as RpcContext).login({ id: 'u-many' }))).session));
    let destroyed = 0;
    const reply = ok(
      await call(
        withSession,
        async (ctx) => void (destroyed = await (ctx as RpcContext).destroySessionsForUserId('u-many', [(ctx as RpcContext).sessionId!])),
        { session: cookies[0] },
      ),
    );
    expect(destroyed).toBe(2);
    expect(reply.session?.userId).toBe('u-many');
    let listed = 0;
    await call(withoutSession, async (ctx) => void (listed = (await ctx.listSessionsForUserId('u-many')).length));
    expect(listed).toBe(1);
  });
});
