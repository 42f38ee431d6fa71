import { jest } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { SERVICE_TOKEN_AUDIENCE } from '#libs/contracts';
import type { ServiceConfig } from '../config/service-config.js';
import { SessionError } from '../core/session-error.js';
import { ServiceTokenVerifier } from './service-token.verifier.js';

const SECRET = 'verifier-spec-secret-0123456789abcdefghij';
const jwt = new JwtService();
const sign = (payload: object, options: { secret?: string; audience?: string; expiresIn?: number; algorithm?: 'HS256' | 'HS512' } = {}) =>
  jwt.sign(payload, {
    secret: options.secret ?? SECRET,
    audience: options.audience ?? SERVICE_TOKEN_AUDIENCE,
    algorithm: options.algorithm ?? 'HS256',
    ...(options.expiresIn === undefined ? { expiresIn: 3600 } : options.expiresIn === 0 ? {} : { expiresIn: options.expiresIn }),
  });

describe('ServiceTokenVerifier', () => {
  const newVerifier = (service = new JwtService()) => new ServiceTokenVerifier(service, { authSecret: SECRET } as ServiceConfig);
  const refusal = (fn: () => unknown): SessionError => {
    try {
      fn();
    } catch (e) {
      return e as SessionError;
    }
    throw new Error('expected the token to be refused');
  };

  it('returns the subject, the scopes and the expiry of a valid token', () => {
    const token = sign({ sub: 'storefront', scope: 'session:read  session:write' });
    const { exp } = jwt.decode<{ exp: number }>(token);
    const caller = newVerifier().verify(token);
    expect(caller.subject).toBe('storefront');
    expect([...caller.scopes]).toEqual(['session:read', 'session:write']);
    expect(caller).toMatchObject({ expiresAt: exp * 1000 });
  });

  it.each([
    ['no scope claim', {}],
    ['a scope that is not a string', { scope: ['session:admin'] }],
    ['an empty scope', { scope: '' }],
  ])('grants no scope for %s', (_, claims) => {
    expect(newVerifier().verify(sign({ sub: 's', ...claims })).scopes.size).toBe(0);
  });

  it.each([
    [
      'another secret',
      () => sign({ sub: 's' }, { secret: 'another-secret-0123456789abcdefghijklmn' }),
      /invalid service token: invalid signature/,
    ],
    ['another audience', () => sign({ sub: 's' }, { audience: 'billing' }), /invalid service token: jwt audience invalid/],
    ['an expired token', () => sign({ sub: 's' }, { expiresIn: -10 }), /invalid service token: jwt expired/],
    ['HS512 instead of HS256', () => sign({ sub: 's' }, { algorithm: 'HS512' }), /invalid service token: invalid algorithm/],
    ['garbage', () => 'not.a.jwt', /invalid service token/],
    ['no sub', () => sign({ scope: 'session:read' }), /service token has no sub/],
    ['an empty sub', () => sign({ sub: '' }), /service token has no sub/],
    ['a sub that is not a string', () => sign({ sub: 42 }), /service token has no sub/],
    ['no exp', () => sign({ sub: 's' }, { expiresIn: 0 }), /service token has no exp/],
  ])('refuses %s with UNAUTHENTICATED', (_, token, message) => {
    const err = refusal(() => newVerifier().verify(token()));
    expect(err).toBeInstanceOf(SessionError);
    expect(err.code).toBe('UNAUTHENTICATED');
    expect(err.message).toMatch(message);
  });

  it('remembers a verified token until it expires, then verifies it again', () => {
    const service = new JwtService();
    const verify = jest.spyOn(service, 'verify');
    const verifier = newVerifier(service);
    const token = sign({ sub: 's', scope: 'session:read' });
    const expiresAt = (verifier.verify(token) as ReturnType<ServiceTokenVerifier['verify']> & { expiresAt: number }).expiresAt;
    verifier.verify(token, Date.now());
    verifier.verify(token, expiresAt - 1);
    expect(verify).toHaveBeenCalledTimes(1);
    // Past its expiry (as the clock passed in says) the cached entry is dropped and the token checked again.
    verifier.verify(token, expiresAt);
    expect(verify).toHaveBeenCalledTimes(2);
    verifier.verify(token, Date.now());
    expect(verify).toHaveBeenCalledTimes(2);
  });

  it("remembers several callers' tokens at once", () => {
    const service = new JwtService();
    const verify = jest.spyOn(service, 'verify');
    const verifier = newVerifier(service);
    const [first, second] = [sign({ sub: 'one', scope: 'session:read' }), sign({ sub: 'two', scope: 'session:write' })];
    for (let i = 0; i < 3; i++) {
      expect(verifier.verify(first).subject).toBe('one');
      expect(verifier.verify(second).subject).toBe('two');
    }
    expect(verify).toHaveBeenCalledTimes(2);
  });

  it('never remembers a refused token', () => {
    const service = new JwtService();
    const verify = jest.spyOn(service, 'verify');
    const verifier = newVerifier(service);
    const token = sign({ scope: 'x' });
    expect(() => verifier.verify(token)).toThrow();
    expect(() => verifier.verify(token)).toThrow();
    expect(verify).toHaveBeenCalledTimes(2);
  });
});
