import { ErrorCodes } from '#libs/contracts';
import { buildSecuritySettings } from '../config/security-settings.js';
import type { ShopSettings } from '../config/service-config.js';
import type { SessionState } from '../core/session-state.js';
import { assertRecentLogin, recentLoginFor } from './recent-login.js';

const shop = (patterns: string[], maxAgeSeconds = 600) =>
  ({ shopId: 's', security: buildSecuritySettings(undefined, { recentLogin: { patterns, maxAgeSeconds } }) }) as unknown as ShopSettings;
const state = (userId: string | null, authenticatedAt?: number) =>
  ({
    userId,
    stored:
      authenticatedAt === undefined ? { createdAt: 0, absoluteExpiresAt: 1 } : { createdAt: 0, absoluteExpiresAt: 1, authenticatedAt },
  }) as SessionState;

describe('recentLoginFor', () => {
  it('takes the method option first, else the shop patterns (exact, or a prefix ending in *)', () => {
    const s = shop(['account.*', 'session.updateUser']);
    expect(recentLoginFor(s, 'session.updateUser', undefined)).toBe(600);
    expect(recentLoginFor(s, 'account.orders.list', undefined)).toBe(600);
    expect(recentLoginFor(s, 'accounts.x', undefined)).toBeNull();
    expect(recentLoginFor(s, 'session.updateUserX', undefined)).toBeNull();
    expect(recentLoginFor(s, 'cart.get', 30)).toBe(30);
    expect(recentLoginFor(s, 'account.orders.list', 30)).toBe(30);
  });

  it('never holds session.login or session.reauthenticate to the shop patterns (the shopper could not get back in)', () => {
    const s = shop(['session.*']);
    expect(recentLoginFor(s, 'session.updateUser', undefined)).toBe(600);
    expect(recentLoginFor(s, 'session.login', undefined)).toBeNull();
    expect(recentLoginFor(s, 'session.reauthenticate', undefined)).toBeNull();
  });
});

describe('assertRecentLogin', () => {
  const now = 1_000_000_000;
  it('passes a login within the limit (the limit itself included)', () => {
    expect(() => assertRecentLogin(state('u', now - 300_000), 300, now)).not.toThrow();
  });

  it('answers REAUTH_REQUIRED with the age once older, and for a session that never recorded one', () => {
    const err = (() => {
      try {
        assertRecentLogin(state('u', now - 300_001), 300, now);
      } catch (e) {
        return e as { code: string; details: unknown };
      }
      throw new Error('no error');
    })();
    expect(err.code).toBe(ErrorCodes.reauthRequired);
    expect(err.details).toEqual({ maxAgeSeconds: 300, ageSeconds: 300, authenticatedAt: new Date(now - 300_001).toISOString() });
    expect(() => assertRecentLogin(state('u'), 300, now)).toThrow(
      expect.objectContaining({
        code: ErrorCodes.reauthRequired,
        details: { maxAgeSeconds: 300, ageSeconds: null, authenticatedAt: null },
      }),
    );
  });

  it('answers NOT_LOGGED_IN for a guest', () => {
    expect(() => assertRecentLogin(state(null), 300, now)).toThrow(expect.objectContaining({ code: ErrorCodes.notLoggedIn }));
  });
});
