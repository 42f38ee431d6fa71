import { applyFields, idledOut, idleExpiry, isRevoked, pastAbsoluteExpiry, slideDue } from './session-rules.js';

describe('session rules', () => {
  it('idle expiry is now + idle timeout, clamped to the absolute expiry', () => {
    expect(idleExpiry(1_000, 500, 10_000)).toBe(1_500);
    expect(idleExpiry(9_800, 500, 10_000)).toBe(10_000);
    expect(idleExpiry(12_000, 500, 10_000)).toBe(10_000);
  });

  it('an index entry has idled out once it was last seen more than the idle timeout ago', () => {
    expect(idledOut(1_000, 1_500, 500)).toBe(false);
    expect(idledOut(1_000, 1_501, 500)).toBe(true);
  });

  it('a session is past its absolute expiry at that instant, not before', () => {
    expect(pastAbsoluteExpiry({ absoluteExpiresAt: 100 }, 99)).toBe(false);
    expect(pastAbsoluteExpiry({ absoluteExpiresAt: 100 }, 100)).toBe(true);
  });

  it('a slide is due only when it moves the expiry by at least touchAfter', () => {
    expect(slideDue(1_000, 1_050, 100)).toBe(false);
    expect(slideDue(1_000, 1_100, 100)).toBe(true);
    expect(slideDue(1_000, 1_000)).toBe(true);
    expect(slideDue(1_000, 999, 0)).toBe(false);
  });

  it('a mark later than the authentication revokes; one at or before it does not', () => {
    expect(isRevoked(100, 101)).toBe(true);
    expect(isRevoked(100, 100)).toBe(false);
    expect(isRevoked(100, 99)).toBe(false);
    expect(isRevoked(100, null)).toBe(false);
    expect(isRevoked(100, undefined)).toBe(false);
    // Never authenticated: older than any mark.
    expect(isRevoked(undefined, 1)).toBe(true);
  });

  it('applies set fields, removes customData on null and keeps the rest', () => {
    const stored = { createdAt: 1, absoluteExpiresAt: 2, user: '{"id":"u"}', customData: '{"a":1}' };
    expect(applyFields(stored, { customData: null })).toEqual({ createdAt: 1, absoluteExpiresAt: 2, user: '{"id":"u"}' });
    expect(applyFields(stored, { customData: '{"b":2}', hasBasket: true, providerSession: 'sealed' })).toEqual({
      ...stored,
      customData: '{"b":2}',
      hasBasket: true,
      providerSession: 'sealed',
    });
    expect(applyFields(stored, { user: '{"id":"v"}' }).user).toBe('{"id":"v"}');
    expect(applyFields(stored, {})).toEqual(stored);
    expect(stored.customData).toBe('{"a":1}');
  });
});
