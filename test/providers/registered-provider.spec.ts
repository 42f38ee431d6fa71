import { Patterns, type LoginResult, type ProviderTokenResult } from '#libs/contracts';
import { ConfigError, defaultProviderRegistry, loadServiceConfig } from '#libs/session';
import { RedisServer } from '../support/redis-server.js';
import { mintToken } from '../support/service-tokens.js';
import { ServiceHarness, TEST_COOKIE_SECRET } from '../support/session-service.harness.js';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AcmeProviderSchema, AcmeTokenProvider } from './support/acme-provider.js';

const customers = new Map([['ada@example.com', { id: 'acme-ada', password: 'pw-ok' }]]);

function registryWithAcme(made: AcmeTokenProvider[] = []) {
  return defaultProviderRegistry().register('acme', {
    schema: AcmeProviderSchema,
    create: (settings) => {
      const provider = new AcmeTokenProvider(settings, customers);
      made.push(provider);
      return provider;
    },
  });
}

const SESSION_CONFIG = {
  session: { secret: TEST_COOKIE_SECRET },
  shops: { acme: { provider: { type: 'acme', realm: 'eu' } }, plain: {} },
};

describe('a provider type registered by the embedder', () => {
  it('is validated with its own schema when the config is loaded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acme-config-'));
    const path = join(dir, 'session.json');
    writeFileSync(
      path,
      JSON.stringify({
        ...SESSION_CONFIG,
        shops: { a: { provider: { type: 'acme', realm: 'EU', colour: 1 } }, b: { provider: { type: 'nope' } } },
      }),
    );
    let problems: string[] = [];
    try {
      loadServiceConfig({ SESSION_CONFIG: path }, { providers: registryWithAcme() });
    } catch (e) {
      problems = (e as ConfigError).problems;
    }
    expect(problems).toEqual(
      expect.arrayContaining([
        'shops.a.provider.realm: realm must be 1-32 characters of a-z',
        expect.stringMatching(/^shops\.a\.provider\.colour: unknown key "colour"/),
        'shops.b.provider.type: type must be one of "commercetools", "bigcommerce", "acme"',
      ]),
    );
    // Without the registration, the type is unknown.
    expect(() => loadServiceConfig({ SESSION_CONFIG: path })).toThrow(
      /shops\.a\.provider\.type: type must be one of "commercetools", "bigcommerce"$/m,
    );
  });

  describe('over TCP', () => {
    const made: AcmeTokenProvider[] = [];
    let redis: RedisServer;
    let svc: ServiceHarness;
    beforeAll(async () => {
      redis = await RedisServer.start();
      svc = await ServiceHarness.start({ redisUrl: redis.url, sessionConfig: SESSION_CONFIG, providers: registryWithAcme(made) });
    }, 30_000);
    afterAll(async () => {
      await svc?.stop();
      await redis?.stop();
    });

    it('logs shoppers in and keeps its token in the session', async () => {
      expect(made).toHaveLength(1);
      const login = await svc.send<LoginResult>(Patterns.sessionLogin, {
        shopId: 'acme',
        data: { credentials: { email: 'ada@example.com', password: 'pw-ok' } },
      });
      expect(login.session!.userId).toBe('acme-ada');
      const cookie = login.session!.cookie!.value;
      const token = await svc.send<ProviderTokenResult>(Patterns.sessionProviderToken, {
        auth: mintToken('session:read session:write session:tokens'),
        shopId: 'acme',
        session: cookie,
      });
      expect(made[0]!.issued.has(token.data.accessToken)).toBe(true);

      const wrong = await svc.sendExpectingError(Patterns.sessionLogin, {
        shopId: 'acme',
        data: { credentials: { email: 'ada@example.com', password: 'nope' } },
      });
      expect(wrong.code).toBe('INVALID_CREDENTIALS');

      await svc.send(Patterns.sessionLogout, { shopId: 'acme', session: cookie });
      expect(made[0]!.issued.has(token.data.accessToken)).toBe(false);
    });

    it('gets the features of the capabilities it implements, and VALIDATION_FAILED for the others', async () => {
      const cookie = (
        await svc.send<LoginResult>(Patterns.sessionLogin, {
          shopId: 'acme',
          data: { credentials: { email: 'ada@example.com', password: 'pw-ok' } },
        })
      ).session!.cookie!.value;
      const { url } = (
        await svc.send<{ url: string }>(Patterns.ssoCustomerLoginUrl, { shopId: 'acme', session: cookie, data: { redirectTo: '/orders' } })
      ).data;
      expect(url).toBe('https://eu.acme.example/sso/acme-ada?next=%2Forders');

      const checkout = await svc.sendExpectingError(Patterns.checkoutRedirectUrls, { shopId: 'acme', session: cookie });
      expect(checkout).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'shopId' }] });
      const jwt = await svc.sendExpectingError(Patterns.sessionLogin, { shopId: 'acme', data: { customerLoginJwt: 'a.b.c' } });
      expect(jwt).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'data.customerLoginJwt' }] });
    });
  });
});
