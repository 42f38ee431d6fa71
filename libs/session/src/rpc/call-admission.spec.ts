import 'reflect-metadata';
import { JwtService } from '@nestjs/jwt';
import { IsString } from 'class-validator';
import { SERVICE_TOKEN_AUDIENCE, type AnyRpcContract, type Scope } from '#libs/contracts';
import { ServiceTokenVerifier } from '../auth/service-token.verifier.js';
import type { ServiceConfig, ShopSettings } from '../config/service-config.js';
import { SessionError } from '../core/session-error.js';
import { CallAdmission } from './call-admission.js';

const SECRET = 'admission-spec-secret-0123456789abcdefghijklm';
const token = (scope: string) =>
  new JwtService().sign({ sub: 'spec', scope }, { secret: SECRET, audience: SERVICE_TOKEN_AUDIENCE, expiresIn: 3600, algorithm: 'HS256' });
const READ_WRITE = token('session:read session:write');
const NOW = 1_760_000_000_000;

class NameInput {
  @IsString() name!: string;
}

const shop = { shopId: 'shop-a' } as ShopSettings;
/** The injected clock: admission stamps each call with it and checks token expiry against it. */
const config = (limits = { maxUserBytes: 8192, maxCustomDataBytes: 16384 }, wallClock = () => Date.now()) =>
  ({ authSecret: SECRET, shops: new Map([['shop-a', shop]]), limits, wallClock }) as unknown as ServiceConfig;
const newAdmission = (c = config()) => new CallAdmission(new ServiceTokenVerifier(new JwtService(), c), c);

interface Options {
  scopes: Scope[];
  input?: new () => object;
}
const contractOf = (options: Options = { scopes: ['session:read'] }, pattern = 'spec.method'): AnyRpcContract =>
  ({ pattern, client: 'spec', session: true, ...options }) as AnyRpcContract;

const refusal = (fn: () => unknown): SessionError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof SessionError) return e;
    throw e;
  }
  throw new Error('expected the call to be refused');
};

describe('CallAdmission', () => {
  const admission = newAdmission();
  const check = (payload: unknown, options?: Options, pattern?: string) => admission.admit(contractOf(options, pattern), payload);
  const admits = (payload: unknown, options?: Options) => expect(check(payload, options)).toMatchObject({ request: payload });
  const envelope = (extra: object = {}) => ({ auth: READ_WRITE, shopId: 'shop-a', ...extra });

  it('returns what it established: pattern, arrival time, request, caller, shop, contract and the validated input', () => {
    const payload = envelope({ session: 's:x.y', data: { name: 'n' } });
    const contract = contractOf({ scopes: ['session:read'], input: NameInput });
    const call = newAdmission(config(undefined, () => NOW - 1_000)).admit(contract, payload);
    expect(call).toMatchObject({ pattern: 'spec.method', receivedAt: NOW - 1_000, request: payload, shop, contract });
    expect(call.caller.subject).toBe('spec');
    expect(call.input).toBeInstanceOf(NameInput);
    expect(call.input).toEqual(Object.assign(new NameInput(), { name: 'n' }));
  });

  it('has no input for a method without an input class', () => {
    expect(check(envelope({ data: { anything: 1 } }), { scopes: [] }).input).toBeUndefined();
  });

  it('says the token is missing, without reading it, when auth is empty', () => {
    expect(refusal(() => check({ auth: '', shopId: 'shop-a' }))).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'missing service token (auth)',
    });
    expect(refusal(() => check({ shopId: 'shop-a' }))).toMatchObject({ code: 'UNAUTHENTICATED', message: 'missing service token (auth)' });
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
    const err = refusal(() =>
      check(envelope({ auth: token('session:read') }), { scopes: ['session:read', 'session:write', 'session:admin'] }, 'm.x'),
    );
    expect(err).toMatchObject({
      code: 'FORBIDDEN',
      message: 'm.x needs scope session:write session:admin',
      details: { requiredScopes: ['session:read', 'session:write', 'session:admin'], missing: ['session:write', 'session:admin'] },
    });
    admits(envelope(), { scopes: ['session:read', 'session:write'] });
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
      admits(envelope({ data: padded(65_536) }), { scopes: [] });
      expect(refusal(() => check(envelope({ data: padded(65_537) }), { scopes: [] }))).toMatchObject({
        code: 'PAYLOAD_TOO_LARGE',
        message: 'data is 65537 bytes as JSON; the limit is 65536',
        details: { size: 65_537, limit: 65_536 },
      });
      // 32,768 two-byte characters: 65,536 characters' worth of bytes plus the quotes and key.
      expect(refusal(() => check(envelope({ data: { p: 'é'.repeat(32_768) } }), { scopes: [] })).code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('raises the limit when the user and customData limits add up to more', () => {
      const big = newAdmission(config({ maxUserBytes: 60_000, maxCustomDataBytes: 60_000 }));
      const at = (bytes: number) => big.admit(contractOf({ scopes: [] }), envelope({ data: padded(bytes) }));
      expect(at(124_096).request.data).toEqual(padded(124_096));
      expect(refusal(() => at(124_097))).toMatchObject({ details: { limit: 124_096 } });
    });

    it('refuses forbidden keys and deep nesting with the field, before the input class sees them', () => {
      const proto = refusal(() => check(envelope({ data: JSON.parse('{"name":"n","__proto__":{}}') }), { scopes: [], input: NameInput }));
      expect(proto).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'data.__proto__' }] });
      const deep = JSON.parse(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`);
      expect(refusal(() => check(envelope({ data: deep }), { scopes: [] }))).toMatchObject({ code: 'VALIDATION_FAILED' });
      const atLimit = JSON.parse(`${'{"a":'.repeat(32)}1${'}'.repeat(32)}`);
      admits(envelope({ data: atLimit }), { scopes: [] });
    });

    it('refuses data holding only a forbidden key (not taken for an empty object)', () => {
      expect(refusal(() => check(envelope({ data: JSON.parse('{"__proto__":{"x":1}}') }), { scopes: [] }))).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [{ field: 'data.__proto__' }],
      });
      admits(envelope({ data: {} }), { scopes: [] });
    });

    it('reports a value too deep to serialise as a nesting error, not INTERNAL', () => {
      const deep = JSON.parse(`${'['.repeat(20_000)}${']'.repeat(20_000)}`);
      expect(refusal(() => check(envelope({ data: { deep } }), { scopes: [] }))).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [{ field: expect.stringMatching(/^data\.deep/) }],
      });
    });
  });

  it('validates data with the input class, fields prefixed with data.', () => {
    const err = refusal(() => check(envelope({ data: { name: 5 } }), { scopes: [], input: NameInput }));
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'data.name' }] });
    expect(refusal(() => check(envelope(), { scopes: [], input: NameInput }))).toMatchObject({ details: [{ field: 'data.name' }] });
  });
});
