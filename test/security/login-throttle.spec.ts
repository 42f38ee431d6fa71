import { Patterns, type AuditTailResult, type LoginResult } from '#libs/contracts';
import { serviceWithProviders } from '../support/service-with-providers.js';
import { emulatorShops } from './security-helpers.js';

const MAX_ACCOUNT_FAILURES = 5;
const MAX_CLIENT_FAILURES = 8;
const LOCK_SECONDS = 120;

type RpcError = { code: string; details?: { retryAfter?: number; subject?: string } };

describe('login throttling over both provider emulators (Redis, TCP)', () => {
  const security = {
    loginThrottle: {
      account: { maxFailures: MAX_ACCOUNT_FAILURES, windowSeconds: 600 },
      clientKey: { maxFailures: MAX_CLIENT_FAILURES },
      lockSeconds: LOCK_SECONDS,
    },
  };
  const env = serviceWithProviders({
    shops: (p) => ({ ct: { provider: p.commercetools, security }, bc: { provider: p.bigcommerce, security } }),
  });
  const { ct, bc } = env;
  const shops = emulatorShops(ct, bc);

  const login = (shopId: string, email: string, password: string, clientKey?: string) =>
    env.svc.send<LoginResult>(Patterns.sessionLogin, {
      shopId,
      data: { credentials: { email, password }, ...(clientKey ? { clientKey } : {}) },
    });
  const outcome = (shopId: string, email: string, password: string, clientKey?: string): Promise<string> =>
    login(shopId, email, password, clientKey).then(
      () => 'OK',
      (e: RpcError) => e.code,
    );
  const metricsText = async () => (await fetch(env.svc.healthUrl().replace(/\/health$/, '/metrics'))).text();

  describe.each(shops)('shop $shopId', ({ shopId, add, logins }) => {
    it('1,000 wrong passwords for one account from 50 client keys reach the provider at most maxFailures times', async () => {
      const email = `victim-${shopId}@example.com`;
      add(email);
      const before = logins();
      const codes: string[] = [];
      // 20 rounds of 50 concurrent attempts, one per client key.
      for (let round = 0; round < 20; round++) {
        codes.push(
          ...(await Promise.all(Array.from({ length: 50 }, (_, k) => outcome(shopId, email, `guess-${round}-${k}`, `203.0.113.${k}`)))),
        );
      }
      const reached = logins() - before;
      expect(reached).toBeGreaterThanOrEqual(1);
      expect(reached).toBeLessThanOrEqual(MAX_ACCOUNT_FAILURES);
      // Every outcome by code, so a failure shows what else came back.
      const byCode: Record<string, number> = {};
      for (const c of codes) byCode[c] = (byCode[c] ?? 0) + 1;
      expect(byCode).toEqual({ INVALID_CREDENTIALS: reached, TOO_MANY_ATTEMPTS: 1000 - reached });

      // Locked: even the right password is refused without reaching the provider, with retryAfter.
      const locked = await env.svc.sendExpectingError(Patterns.sessionLogin, {
        shopId,
        data: { credentials: { email: email.toUpperCase(), password: 'pw-ok' } },
      });
      expect(locked.code).toBe('TOO_MANY_ATTEMPTS');
      const details = locked.details as { retryAfter: number; subject: string };
      expect(details.subject).toBe('account');
      expect(details.retryAfter).toBeGreaterThan(0);
      expect(details.retryAfter).toBeLessThanOrEqual(LOCK_SECONDS);
      expect(logins() - before).toBe(reached);

      // Observable: a lock-out counter, refused logins, and an audit entry naming no one's email.
      const text = await metricsText();
      expect(text).toMatch(new RegExp(`session_login_lockouts_total\\{shop="${shopId}",subject="account"\\} [1-9]`));
      expect(text).toMatch(new RegExp(`session_login_throttled_total\\{shop="${shopId}",subject="account"\\} [1-9]`));
      const audit = (await env.svc.send<AuditTailResult>(Patterns.adminAuditTail, { shopId, data: { count: 50 } })).data.entries;
      const entry = audit.find((e) => e.action === 'login.lockout' && e.shopId === shopId);
      expect(entry).toMatchObject({ count: LOCK_SECONDS, userId: null });
      // Nothing raw at rest: neither the email nor a client key is in any key or value.
      const stored = (await env.inspect.keys('*')).join('\n') + (await env.storedStrings());
      expect(stored).not.toContain(email);
      expect(stored).not.toContain('203.0.113.');
    });

    it('a success resets the account’s count', async () => {
      const email = `forgetful-${shopId}@example.com`;
      add(email);
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < MAX_ACCOUNT_FAILURES - 1; j++) expect(await outcome(shopId, email, 'wrong')).toBe('INVALID_CREDENTIALS');
        expect(await outcome(shopId, email, 'pw-ok')).toBe('OK');
      }
    });

    it('locks a client key that tries many accounts, and only that key', async () => {
      const emails = Array.from({ length: MAX_CLIENT_FAILURES + 2 }, (_, i) => `sprayed-${shopId}-${i}@example.com`);
      for (const e of emails) add(e);
      const codes: string[] = [];
      for (const e of emails) codes.push(await outcome(shopId, e, 'Summer2026!', 'key-sprayer'));
      expect(codes.slice(0, MAX_CLIENT_FAILURES)).toEqual(Array(MAX_CLIENT_FAILURES).fill('INVALID_CREDENTIALS'));
      const refused = await env.svc.sendExpectingError(Patterns.sessionLogin, {
        shopId,
        data: { credentials: { email: emails.at(-1)!, password: 'pw-ok' }, clientKey: 'key-sprayer' },
      });
      expect(refused).toMatchObject({ code: 'TOO_MANY_ATTEMPTS', details: { subject: 'clientKey' } });
      // The account itself is fine from another key.
      expect(await outcome(shopId, emails.at(-1)!, 'pw-ok', 'key-shopper')).toBe('OK');
    });

    it('counts wrong passwords at session.reauthenticate too', async () => {
      const email = `reauth-${shopId}@example.com`;
      add(email);
      const cookie = (await login(shopId, email, 'pw-ok')).session!.cookie!.value;
      const codes: string[] = [];
      for (let i = 0; i <= MAX_ACCOUNT_FAILURES; i++) {
        codes.push(
          await env.svc
            .send(Patterns.sessionReauthenticate, { shopId, session: cookie, data: { credentials: { email, password: 'wrong' } } })
            .then(
              () => 'OK',
              (e: RpcError) => e.code,
            ),
        );
      }
      expect(codes).toEqual([...Array(MAX_ACCOUNT_FAILURES).fill('INVALID_CREDENTIALS'), 'TOO_MANY_ATTEMPTS']);
    });
  });
});
