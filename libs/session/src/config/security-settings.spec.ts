import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadServiceConfig, ConfigError } from './load-service-config.js';
import { buildSecuritySettings } from './security-settings.js';

describe('security settings', () => {
  it('defaults: 15-minute recent login on no method; 5 account / 50 client-key failures per 15 minutes; 60 s lock doubling to an hour', () => {
    expect(buildSecuritySettings(undefined, undefined)).toEqual({
      recentLogin: { maxAgeSeconds: 900, patterns: [] },
      loginThrottle: {
        enabled: true,
        account: { maxFailures: 5, windowMs: 900_000 },
        clientKey: { maxFailures: 50, windowMs: 900_000 },
        lockMs: 60_000,
        maxLockMs: 3_600_000,
      },
    });
  });

  it('a shop overrides the top level field by field', () => {
    const s = buildSecuritySettings(
      { recentLogin: { maxAgeSeconds: 120, patterns: ['account.*'] }, loginThrottle: { account: { maxFailures: 3 }, lockSeconds: 30 } },
      { recentLogin: { patterns: ['session.updateUser'] }, loginThrottle: { account: { windowSeconds: 60 } } },
    );
    expect(s.recentLogin).toEqual({ maxAgeSeconds: 120, patterns: ['session.updateUser'] });
    expect(s.loginThrottle.account).toEqual({ maxFailures: 3, windowMs: 60_000 });
    expect(s.loginThrottle.lockMs).toBe(30_000);
  });

  it('the config file is validated, naming each bad field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'security-config-'));
    const file = join(dir, 'session.json');
    writeFileSync(
      file,
      JSON.stringify({
        session: { secret: 'x'.repeat(40) },
        security: { loginThrottle: { lockSeconds: 0 } },
        shops: { a: { security: { recentLogin: { patterns: ['bad pattern'] }, loginThrottle: { account: { maxFailures: 'five' } } } } },
      }),
    );
    let error: unknown;
    try {
      loadServiceConfig({ SESSION_CONFIG: file });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('security.loginThrottle.lockSeconds');
    expect(problems).toContain('shops.a.security.recentLogin.patterns');
    expect(problems).toContain('shops.a.security.loginThrottle.account.maxFailures');
  });

  it('reaches each shop through loadServiceConfig', () => {
    const dir = mkdtempSync(join(tmpdir(), 'security-config-'));
    const file = join(dir, 'session.json');
    writeFileSync(
      file,
      JSON.stringify({
        session: { secret: 'x'.repeat(40) },
        security: { recentLogin: { patterns: ['cart.*'] } },
        shops: { a: {}, b: { security: { recentLogin: { maxAgeSeconds: 60 }, loginThrottle: { enabled: false } } } },
      }),
    );
    const config = loadServiceConfig({ SESSION_CONFIG: file });
    expect(config.shops.get('a')!.security.recentLogin).toEqual({ maxAgeSeconds: 900, patterns: ['cart.*'] });
    expect(config.shops.get('b')!.security.recentLogin).toEqual({ maxAgeSeconds: 60, patterns: ['cart.*'] });
    expect(config.shops.get('b')!.security.loginThrottle.enabled).toBe(false);
  });
});
