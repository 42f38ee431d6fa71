import 'reflect-metadata';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { ExecutionContext } from '@nestjs/common';
import { IsString } from 'class-validator';
import { SERVICE_TOKEN_AUDIENCE } from '#libs/contracts';
import { ServiceTokenVerifier } from '../auth/service-token.verifier.js';
import type { ServiceConfig, ShopSettings } from '../config/service-config.js';
import { SessionError } from '../core/session-error.js';
import { messageStates } from './message-state.js';
import { RPC_METHOD, type RpcMethodOptions } from './rpc-method.decorator.js';
import { ServiceAuthGuard } from './service-auth.guard.js';

const SECRET = 'guard-spec-secret-0123456789abcdefghijklm';
const token = (scope: string) => new JwtService().sign({ sub: 'spec', scope }, { secret: SECRET, audience: SERVICE_TOKEN_AUDIENCE, expiresIn: 3600, algorithm: 'HS256' });
const READ_WRITE = token('session:read session:write');

class NameInput {
  @IsString() name!: string;
}

const shop = { shopId: 'shop-a' } as ShopSettings;
const config = (limits = { maxUserBytes: 8192, maxCustomDataBytes: 16384 }) =>
  ({ authSecret: SECRET, shops: new Map([['shop-a', shop]]), limits, wallClock: Date.now }) as unknown as ServiceConfig;
const newGuard = (c = config()) => new ServiceAuthGuard(new Reflector(), new ServiceTokenVerifier(new JwtService(), c), c);

/** A handler registered the way @RpcMethod registers it (or not at all, with options undefined). */
function handlerWith(options: RpcMethodOptions | undefined): () => void {
  const handler = () => undefined;
  if (options) Reflect.defineMetadata(RPC_METHOD, options, handler);
  return handler;
}

function rpcContext(payload: unknown, options: RpcMethodOptions | undefined = { scopes: ['session:read'] }, pattern: string | null = 'spec.method'): ExecutionContext {
  return {
    getType: () => 'rpc',
    getHandler: () => handlerWith(options),
    switchToRpc: () => ({ getData: () => payload, getContext: () => (pattern === null ? {} : { getPattern: () => pattern }) }),
  } as unknown as ExecutionContext;
}

const refusal = (fn: () => unknown): SessionError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof SessionError) return e;
    throw e;
  }
  throw new Error('expected the call to be refused');
};

describe('ServiceAuthGuard', () => {
  const guard = newGuard();
  const check = (payload: unknown, options?: RpcMethodOptions, pattern?: string | null) => guard.canActivate(rpcContext(payload, options, pattern));
  const envelope = (extra: object = {}) => ({ auth: READ_WRITE, shopId: 'shop-a', ...extra });

  it('lets non-RPC contexts through untouched', () => {
    expect(guard.canActivate({ getType: () => 'http' } as unknown as ExecutionContext)).toBe(true);
  });

  it('records what it established for the interceptor and the param decorators', () => {
    const payload = envelope({ session: 's:x.y', data: { name: 'n' } });
    const before = Date.now();
    expect(check(payload, { scopes: ['session:read'], input: NameInput })).toBe(true);
    const state = messageStates.get(payload)!;
    expect(state).toMatchObject({ pattern: 'spec.method', request: payload, shop, options: { scopes: ['session:read'] } });
    expect(state.caller.subject).toBe('spec');
    expect(state.receivedAt).toBeGreaterThanOrEqual(before);
    expect(state.receivedAt).toBeLessThanOrEqual(Date.now());
    expect(state.input).toBeInstanceOf(NameInput);
    expect(state.input).toEqual(Object.assign(new NameInput(), { name: 'n' }));
  });

  it('has no input for a method without an input class, and names an unknown pattern "unknown"', () => {
    const payload = envelope({ data: { anything: 1 } });
    check(payload, { scopes: [] }, null);
    expect(messageStates.get(payload)).toMatchObject({ pattern: 'unknown', input: undefined });
  });

  it('names the pattern "unknown" when the transport gives no context', () => {
    const payload = envelope();
    const context = { ...rpcContext(payload, { scopes: [] }), switchToRpc: () => ({ getData: () => payload, getContext: () => undefined }) } as unknown as ExecutionContext;
    expect(guard.canActivate(context)).toBe(true);
    expect(messageStates.get(payload)?.pattern).toBe('unknown');
  });

  it('says the token is missing, without reading it, when auth is empty', () => {
    expect(refusal(() => check({ auth: '', shopId: 'shop-a' }))).toMatchObject({ code: 'UNAUTHENTICATED', message: 'missing service token (auth)' });
    expect(refusal(() => check({ shopId: 'shop-a' }))).toMatchObject({ code: 'UNAUTHENTICATED', message: 'missing service token (auth)' });
  });

  it('refuses a handler registered without @RpcMethod', () => {
    const context = { ...rpcContext(envelope(), { scopes: [] }, 'x.y'), getHandler: () => handlerWith(undefined) } as ExecutionContext;
    const err = refusal(() => guard.canActivate(context));
    expect(err).toMatchObject({ code: 'FORBIDDEN', message: 'x.y is not registered with @RpcMethod' });
  });

  it.each([
    ['no payload', null],
    ['no auth', { shopId: 'shop-a' }],
    ['an empty auth', { auth: '', shopId: 'shop-a' }],
    ['an auth that is not a string', { auth: 42, shopId: 'shop-a' }],
    ['an auth over 8,192 characters', { auth: `${READ_WRITE}${'x'.repeat(8193 - READ_WRITE.length)}`, shopId: 'shop-a' }],
    ['a bad token', { auth: 'a.b.c', shopId: 'shop-a' }],
  ])('refuses %s with UNAUTHENTICATED, before looking at anything else', (_, payload) => {
    expect(refusal(() => check(payload)).code).toBe('UNAUTHENTICATED');
  });

  it('checks the length before the token: 8,192 characters are read, 8,193 are not', () => {
    expect(refusal(() => check({ auth: 'x'.repeat(8192) })).message).toMatch(/invalid service token: jwt malformed/);
    expect(refusal(() => check({ auth: 'x'.repeat(8193) })).message).toBe('invalid service token: too long');
  });

  it('needs every scope the method lists, and says which are missing', () => {
    const err = refusal(() => check(envelope({ auth: token('session:read') }), { scopes: ['session:read', 'session:write', 'session:admin'] }, 'm.x'));
    expect(err).toMatchObject({
      code: 'FORBIDDEN',
      message: 'm.x needs scope session:write session:admin',
      details: { requiredScopes: ['session:read', 'session:write', 'session:admin'], missing: ['session:write', 'session:admin'] },
    });
    expect(check(envelope(), { scopes: ['session:read', 'session:write'] })).toBe(true);
  });

  it('checks scopes before the envelope', () => {
    expect(refusal(() => check({ auth: token(''), shopId: 7 }, { scopes: ['session:read'] })).code).toBe('FORBIDDEN');
  });

  it('refuses a malformed envelope, then an unknown shop', () => {
    expect(refusal(() => check(envelope({ shopId: 7 }))).code).toBe('VALIDATION_FAILED');
    expect(refusal(() => check(envelope({ shopId: 'shop-z' })))).toMatchObject({ code: 'UNKNOWN_SHOP', message: 'unknown shop "shop-z"' });
  });

  describe('data limits, on every method', () => {
    // Default limits: max(64 KiB, 8192 + 16384 + 4096) = 65,536 bytes.
    const padded = (bytes: number) => ({ p: 'x'.repeat(bytes - '{"p":""}'.length) });

    it('accepts data of exactly the limit and refuses one byte more, counting bytes (not characters)', () => {
      expect(check(envelope({ data: padded(65_536) }), { scopes: [] })).toBe(true);
      expect(refusal(() => check(envelope({ data: padded(65_537) }), { scopes: [] }))).toMatchObject({
        code: 'PAYLOAD_TOO_LARGE',
        message: 'data is 65537 bytes as JSON; the limit is 65536',
        details: { size: 65_537, limit: 65_536 },
      });
      // 32,768 two-byte characters: 65,536 characters' worth of bytes plus the quotes and key.
      expect(refusal(() => check(envelope({ data: { p: 'é'.repeat(32_768) } }), { scopes: [] })).code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('raises the limit when the user and customData limits add up to more', () => {
      const big = newGuard(config({ maxUserBytes: 60_000, maxCustomDataBytes: 60_000 }));
      const at = (bytes: number) => rpcContext(envelope({ data: padded(bytes) }), { scopes: [] });
      expect(big.canActivate(at(124_096))).toBe(true);
      expect(refusal(() => big.canActivate(at(124_097)))).toMatchObject({ details: { limit: 124_096 } });
    });

    it('refuses forbidden keys and deep nesting with the field, before the input class sees them', () => {
      const proto = refusal(() => check(envelope({ data: JSON.parse('{"name":"n","__proto__":{}}') }), { scopes: [], input: NameInput }));
      expect(proto).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'data.__proto__' }] });
      const deep = JSON.parse(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`);
      expect(refusal(() => check(envelope({ data: deep }), { scopes: [] }))).toMatchObject({ code: 'VALIDATION_FAILED' });
      const atLimit = JSON.parse(`${'{"a":'.repeat(32)}1${'}'.repeat(32)}`);
      expect(check(envelope({ data: atLimit }), { scopes: [] })).toBe(true);
    });

    it('reports a value too deep to serialise as a nesting error, not INTERNAL', () => {
      const deep = JSON.parse(`${'['.repeat(20_000)}${']'.repeat(20_000)}`);
      expect(refusal(() => check(envelope({ data: { deep } }), { scopes: [] }))).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: expect.stringMatching(/^data\.deep/) }] });
    });
  });

  it('validates data with the input class, fields prefixed with data.', () => {
    const err = refusal(() => check(envelope({ data: { name: 5 } }), { scopes: [], input: NameInput }));
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'data.name' }] });
    expect(refusal(() => check(envelope(), { scopes: [], input: NameInput }))).toMatchObject({ details: [{ field: 'data.name' }] });
  });
});
