import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { CookieSigner } from '../cookie/cookie-signature.js';
import { DEV_AUTH_SECRET, DEV_COOKIE_SECRET } from './dev-defaults.js';
import { IsInt, IsOptional } from 'class-validator';
import { checkConfigSchema, knownKeys } from './check-config-schema.js';
import { recordingEnv, unreadVariableWarnings } from './env-reads.js';
import { ConfigError, loadServiceConfig } from './load-service-config.js';
import { LimitsSchema, SessionConfigSchema } from './session-config.schema.js';

const dir = mkdtempSync(join(tmpdir(), 'config-test-'));
function file(content: unknown): string {
  const path = join(dir, `${randomUUID()}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}
const STRONG = 'a-production-grade-secret-with-enough-length-0001';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadServiceConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadServiceConfig', () => {
  it('runs on the documented development config when nothing is set, loudly', () => {
    const config = loadServiceConfig({});
    expect([...config.shops.keys()]).toEqual(['1001', '1002']);
    expect(config.redisUrl).toBeNull();
    expect(config.port).toBe(4000);
    expect(config.httpPort).toBe(4001);
    expect(config.authSecret).toBe(DEV_AUTH_SECRET);
    expect(config.warnings.join('\n')).toMatch(/DEVELOPMENT config/);
    expect(config.warnings.join('\n')).toMatch(/in-memory store/);
  });

  it('accepts the documented example file (config/session.example.json)', () => {
    const config = loadServiceConfig({ SESSION_CONFIG: 'config/session.example.json' });
    expect([...config.shops.keys()]).toEqual(['1001', '1002']);
    expect(config.shops.get('1002')!.cookie.domain).toBe('shop-1002.example');
  });

  it('applies defaults and merges a shop’s settings key by key over the top level', () => {
    const config = loadServiceConfig({
      SESSION_CONFIG: file({
        session: { secret: 'top', sameSite: 'strict', maxAge: 600, domain: 'example.com' },
        shops: { a: {}, b: { session: { maxAge: 120, cookieName: 'sid' } }, c: { session: { maxAge: 60 } } },
      }),
    });
    const a = config.shops.get('a')!;
    const b = config.shops.get('b')!;
    expect(a.cookie).toEqual({
      name: '$session-a',
      maxAgeSeconds: 600,
      secure: true,
      sameSite: 'strict',
      path: '/',
      domain: 'example.com',
    });
    expect(b.cookie).toEqual({ name: 'sid-b', maxAgeSeconds: 120, secure: true, sameSite: 'strict', path: '/', domain: 'example.com' });
    expect(b.idleTimeoutMs).toBe(120_000);
    expect(config.shops.get('c')!.touchAfterMs).toBe(30_000); // never more than half the idle timeout
    expect(a.absoluteTimeoutMs).toBe(30 * 86_400_000);
    expect(a.touchAfterMs).toBe(60_000);
    expect(b.touchAfterMs).toBe(60_000);
  });

  it('derives a key per shop from an inherited secret, and uses a shop’s own secret as is', () => {
    const config = loadServiceConfig({
      SESSION_CONFIG: file({ session: { secret: 'master' }, shops: { a: {}, b: {}, c: { session: { secret: ['old', 'new'] } } } }),
    });
    const id = randomUUID();
    const a = config.shops.get('a')!.signer;
    expect(config.shops.get('b')!.signer.unsign(a.sign(id))).toBeNull();
    expect(new CookieSigner(['master']).unsign(a.sign(id))).toBeNull();
    expect(config.shops.get('c')!.signer.sign(id)).toBe(new CookieSigner(['new']).sign(id));
    expect(config.shops.get('c')!.signer.unsign(new CookieSigner(['old']).sign(id))).toBe(id);
  });

  it('takes the master secret list from SESSION_COOKIE_SECRET when set', () => {
    const config = loadServiceConfig({ SESSION_CONFIG: file({ shops: { a: {} } }), SESSION_COOKIE_SECRET: 'one, two' });
    const viaEnv = loadServiceConfig({ SESSION_CONFIG: file({ session: { secret: ['one', 'two'] }, shops: { a: {} } }) });
    const id = randomUUID();
    expect(config.shops.get('a')!.signer.sign(id)).toBe(viaEnv.shops.get('a')!.signer.sign(id));
  });

  it.each([
    [{ session: { secret: 'x', sameSite: 'sometimes' }, shops: { a: {} } }, 'session.sameSite'],
    [{ session: { secret: 'x', maxAge: 5 }, shops: { a: {} } }, 'session.maxAge'],
    [{ session: { secret: 'x' }, shops: { a: { session: { secure: 'yes' } } } }, 'shops.a.session.secure'],
    [{ session: { secret: 'x' }, shops: { a: { session: { cookieName: 'bad name;' } } } }, 'shops.a.session.cookieName'],
    [{ session: { secret: [] }, shops: { a: {} } }, 'session.secret'],
    [{ shops: { a: {} } }, 'shops.a.session.secret'],
    [{ session: { secret: 'x' }, shops: { 'bad shop!': {} } }, 'shops.bad shop!'],
    [{ session: { secret: 'x' }, shops: {} }, 'shops'],
    [{ session: { secret: 'x' } }, 'shops'],
    [{ session: { secret: 'x' }, shops: { a: {} }, store: { commandTimeoutMs: 1 } }, 'store.commandTimeoutMs'],
    [{ session: { secret: 'x' }, shops: { a: {} }, store: { primarySessions: 'no' } }, 'store.primarySessions'],
    [{ session: { secret: 'x' }, shops: { a: {} }, store: { readsConnection: 1 } }, 'store.readsConnection'],
  ])('names the bad field %#: %s', (content, field) => {
    expect(problemsOf({ SESSION_CONFIG: file(content) }).join('\n')).toContain(field);
  });

  it("lets logins take users' primary keys by default, and not when store.primarySessions is false", () => {
    expect(loadServiceConfig({}).primarySessions).toBe(true);
    const off = loadServiceConfig({
      SESSION_CONFIG: file({ session: { secret: 'x' }, shops: { a: {} }, store: { primarySessions: false } }),
    });
    expect(off.primarySessions).toBe(false);
  });

  it('opens a reads connection by default, and not when store.readsConnection is false', () => {
    expect(loadServiceConfig({}).readsConnection).toBe(true);
    const off = loadServiceConfig({
      SESSION_CONFIG: file({ session: { secret: 'x' }, shops: { a: {} }, store: { readsConnection: false } }),
    });
    expect(off.readsConnection).toBe(false);
  });

  it('turns the session event stream on by default, and reads its caps', () => {
    expect(loadServiceConfig({}).events).toEqual({ enabled: true, maxLength: 1_000_000, maxAgeMs: 0 });
    const config = loadServiceConfig({
      SESSION_CONFIG: file({ session: { secret: 'x' }, shops: { a: {} }, events: { enabled: false, maxLength: 5000, maxAgeHours: 48 } }),
    });
    expect(config.events).toEqual({ enabled: false, maxLength: 5000, maxAgeMs: 48 * 3_600_000 });
    expect(
      problemsOf({ SESSION_CONFIG: file({ session: { secret: 'x' }, shops: { a: {} }, events: { maxLength: 10 } }) }).join('\n'),
    ).toContain('events.maxLength');
  });

  it('names the file when it is not JSON, and bad ports', () => {
    expect(problemsOf({ SESSION_CONFIG: file('{ nope') }).join('\n')).toMatch(/SESSION_CONFIG \(.*\.json\)/);
    expect(problemsOf({ SESSION_CONFIG: join(dir, 'missing.json') }).join('\n')).toMatch(/missing\.json/);
    expect(problemsOf({ PORT: 'eighty' })).toEqual(['PORT must be a port number (0-65535), got "eighty"']);
  });

  describe('provider blocks', () => {
    const ct = {
      type: 'commercetools',
      authUrl: 'http://127.0.0.1:9000',
      apiUrl: 'http://127.0.0.1:9001',
      projectKey: 'shop',
      clientId: 'id',
      clientSecret: 's',
    };
    const bc = {
      type: 'bigcommerce',
      graphqlUrl: 'https://store-abc-1.mybigcommerce.com/graphql',
      storefrontToken: 't',
      storeHash: 'abc',
      channelId: 1,
      clientId: 'id',
      clientSecret: 's',
      storefrontUrl: 'https://shop.example',
    };
    const withProvider = (provider: object, cart: object = {}) =>
      file({ session: { secret: 'x' }, shops: { a: { provider, cart }, b: {} } });

    it('accepts a commercetools or a BigCommerce block and hands it to the shop', () => {
      const config = loadServiceConfig({
        SESSION_CONFIG: file({
          session: { secret: 'x' },
          shops: { a: { provider: ct, cart: { owner: 'provider' } }, b: { provider: bc } },
        }),
      });
      expect(config.shops.get('a')!.provider).toMatchObject({ type: 'commercetools', projectKey: 'shop' });
      expect(config.shops.get('a')!.cart.owner).toBe('provider');
      expect(config.shops.get('b')!.provider).toMatchObject({ type: 'bigcommerce', storeHash: 'abc' });
      expect(config.shops.get('b')!.cart.owner).toBe('session');
      expect(config.warnings.join('\n')).toMatch(/SESSION_TOKEN_KEYS is unset/);
      expect(config.tokenKeys).toHaveLength(1);
    });

    it.each([
      [{ ...ct, type: 'sap' }, 'shops.a.provider.type'],
      [{ ...ct, authUrl: 'not a url' }, 'shops.a.provider.authUrl'],
      [{ ...ct, projectKey: 'Has Spaces' }, 'shops.a.provider.projectKey'],
      [{ ...ct, clientSecret: undefined }, 'shops.a.provider.clientSecret'],
      [{ ...bc, storefrontUrl: undefined }, 'shops.a.provider.storefrontUrl'],
      [{ ...bc, timeoutMs: 5 }, 'shops.a.provider.timeoutMs'],
    ])('names the bad provider field %#', (provider, field) => {
      expect(problemsOf({ SESSION_CONFIG: withProvider(provider) }).join('\n')).toContain(field);
    });

    it('refuses cart.owner "provider" without a provider', () => {
      expect(
        problemsOf({ SESSION_CONFIG: file({ session: { secret: 'x' }, shops: { a: { cart: { owner: 'provider' } } } }) }).join('\n'),
      ).toMatch(/shops\.a\.cart\.owner: "provider" needs a provider block/);
    });

    it('requires SESSION_TOKEN_KEYS in production once a shop has a provider', () => {
      const env = {
        NODE_ENV: 'production',
        REDIS_URL: 'redis://127.0.0.1:6379',
        SESSION_SERVICE_AUTH_SECRET: STRONG,
        SESSION_CONFIG: file({ session: { secret: STRONG }, shops: { a: { provider: ct } } }),
      };
      expect(problemsOf(env).join('\n')).toMatch(/SESSION_TOKEN_KEYS is required/);
      expect(problemsOf({ ...env, SESSION_TOKEN_KEYS: 'short' }).join('\n')).toMatch(
        /SESSION_TOKEN_KEYS: a secret is 5 characters long; secrets must be at least 32/,
      );
      expect(loadServiceConfig({ ...env, SESSION_TOKEN_KEYS: `${STRONG}-old,${STRONG}-new` }).tokenKeys).toEqual([
        `${STRONG}-old`,
        `${STRONG}-new`,
      ]);
    });
  });

  describe('a Redis Cluster', () => {
    const shops = { session: { secret: 'x' }, shops: { a: {} } };

    it('takes REDIS_CLUSTER_NODES as a comma-separated list of seed nodes', () => {
      const config = loadServiceConfig({
        SESSION_CONFIG: file(shops),
        REDIS_CLUSTER_NODES: '10.0.0.1:7000, 10.0.0.2:7000,redis://u:p@10.0.0.3:7000',
      });
      expect(config.redisClusterNodes).toEqual(['10.0.0.1:7000', '10.0.0.2:7000', 'redis://u:p@10.0.0.3:7000']);
      expect(config.redisUrl).toBeNull();
      expect(config.warnings.join('\n')).not.toMatch(/in-memory store/);
    });

    it('takes store.cluster.nodes from the file, and lets the environment override it', () => {
      const path = file({ ...shops, store: { cluster: { nodes: ['a:7000', 'b:7001'] } } });
      expect(loadServiceConfig({ SESSION_CONFIG: path }).redisClusterNodes).toEqual(['a:7000', 'b:7001']);
      expect(loadServiceConfig({ SESSION_CONFIG: path, REDIS_CLUSTER_NODES: 'c:7002' }).redisClusterNodes).toEqual(['c:7002']);
    });

    it.each([
      ['both a single node and a cluster', { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CLUSTER_NODES: 'a:7000' }, /set one/],
      ['a node without a port', { REDIS_CLUSTER_NODES: 'a:7000,b' }, /REDIS_CLUSTER_NODES: "b" must be host:port/],
    ])('refuses %s', (_, env, message) => {
      expect(problemsOf({ SESSION_CONFIG: file(shops), ...env }).join('\n')).toMatch(message);
    });

    it('names a bad node in the file', () => {
      expect(problemsOf({ SESSION_CONFIG: file({ ...shops, store: { cluster: { nodes: ['ok:1', 'bad node'] } } }) }).join('\n')).toMatch(
        /store\.cluster\.nodes/,
      );
    });

    it('is enough for production without REDIS_URL', () => {
      const config = loadServiceConfig({
        NODE_ENV: 'production',
        SESSION_CONFIG: file({ session: { secret: STRONG }, shops: { a: {} } }),
        SESSION_SERVICE_AUTH_SECRET: STRONG,
        REDIS_CLUSTER_NODES: '10.0.0.1:7000',
      });
      expect(config.redisClusterNodes).toEqual(['10.0.0.1:7000']);
    });
  });

  describe('with NODE_ENV=production', () => {
    const good = () => ({
      NODE_ENV: 'production',
      SESSION_CONFIG: file({ session: { secret: STRONG }, shops: { a: {} } }),
      SESSION_SERVICE_AUTH_SECRET: STRONG,
      REDIS_URL: 'redis://127.0.0.1:6379',
    });

    it('accepts a complete configuration', () => {
      expect(loadServiceConfig(good()).production).toBe(true);
    });

    it.each([
      ['the memory store', { REDIS_URL: '' }, /REDIS_URL or REDIS_CLUSTER_NODES is required/],
      ['a missing auth secret', { SESSION_SERVICE_AUTH_SECRET: undefined }, /SESSION_SERVICE_AUTH_SECRET/],
      ['the development auth secret', { SESSION_SERVICE_AUTH_SECRET: DEV_AUTH_SECRET }, /development secret is refused/],
      ['a short auth secret', { SESSION_SERVICE_AUTH_SECRET: 'short' }, /at least 32 characters/],
      [
        'the development cookie secret',
        { SESSION_COOKIE_SECRET: DEV_COOKIE_SECRET },
        /SESSION_COOKIE_SECRET: the public development secret/,
      ],
      ['the built-in development config', { SESSION_CONFIG: undefined }, /SESSION_CONFIG is required/],
    ])('refuses %s', (_, override, message) => {
      expect(problemsOf({ ...good(), ...override }).join('\n')).toMatch(message);
    });

    it('tells an unset auth secret from a short one', () => {
      expect(problemsOf({ ...good(), SESSION_SERVICE_AUTH_SECRET: undefined })).toEqual([
        'SESSION_SERVICE_AUTH_SECRET is unset: it is required when NODE_ENV=production (a random secret of at least 32 characters, e.g. `openssl rand -hex 32`)',
      ]);
      expect(problemsOf({ ...good(), SESSION_SERVICE_AUTH_SECRET: 'short' })).toEqual([
        'SESSION_SERVICE_AUTH_SECRET: a secret is 5 characters long; secrets must be at least 32 characters when NODE_ENV=production',
      ]);
    });

    it("refuses the example file's placeholder secrets, and runs on it once real secrets come from the environment", () => {
      const example = { ...good(), SESSION_CONFIG: 'config/session.example.json' };
      expect(problemsOf(example)).toEqual([
        expect.stringMatching(
          /^session\.secret: "replace-me-with-the-previous-secret-at-least-32-chars" is a placeholder from config\/session\.example\.json, refused/,
        ),
        expect.stringMatching(/^session\.secret: "replace-me-with-the-current-secret-at-least-32-chars" is a placeholder/),
      ]);
      expect(problemsOf({ ...example, SESSION_COOKIE_SECRET: 'replace-me-too-and-this-is-long-enough' })).toEqual([
        expect.stringMatching(/^SESSION_COOKIE_SECRET: .* is a placeholder/),
      ]);
      expect(loadServiceConfig({ ...example, SESSION_COOKIE_SECRET: STRONG }).shops.size).toBe(2);
    });

    it('reports every problem in one pass: file, secrets and environment together', () => {
      const problems = problemsOf({
        NODE_ENV: 'production',
        PORT: 'eighty',
        SESSION_CONFIG: file({
          session: { secret: 'replace-me-please-with-a-real-secret-0001', maxage: 600, sameSite: 'sometimes' },
          stor: { keyPrefix: 'x' },
          shops: { a: { session: { secret: 'short' } }, b: { cart: { maxLines: 0 } } },
        }),
      });
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^session\.maxage: unknown key/),
          expect.stringMatching(/^session\.sameSite: /),
          expect.stringMatching(/^stor: unknown key/),
          expect.stringMatching(/^shops\.b\.cart\.maxLines: /),
          expect.stringMatching(/^session\.secret: .* is a placeholder/),
          expect.stringMatching(/^shops\.a\.session\.secret: a secret is 5 characters long/),
          expect.stringMatching(/^SESSION_SERVICE_AUTH_SECRET is unset/),
          expect.stringMatching(/^REDIS_URL or REDIS_CLUSTER_NODES is required/),
          expect.stringMatching(/^PORT must be a port number/),
        ]),
      );
      expect(problems).toHaveLength(9);
    });
  });

  describe('strict keys', () => {
    it('refuses unknown keys at every level, naming the key and the nearest known one', () => {
      const ct = {
        type: 'commercetools',
        authUrl: 'http://127.0.0.1:9000',
        apiUrl: 'http://127.0.0.1:9001',
        projectKey: 'shop',
        clientId: 'id',
        clientSecret: 's',
      };
      const problems = problemsOf({
        SESSION_CONFIG: file({
          session: { secret: 'x', maxage: 600 },
          stor: { keyPrefix: 'x' },
          store: { commandTimeoutMS: 500 },
          shops: { a: { session: { cokieName: 'sid' }, wishlists: {} }, b: { provider: { ...ct, clientSecrt: 's' } } },
        }),
      });
      expect(problems.sort()).toEqual(
        [
          'session.maxage: unknown key "maxage" (did you mean "maxAge"?)',
          'stor: unknown key "stor" (did you mean "store"?)',
          'store.commandTimeoutMS: unknown key "commandTimeoutMS" (did you mean "commandTimeoutMs"?)',
          'shops.a.session.cokieName: unknown key "cokieName" (did you mean "cookieName"?)',
          'shops.a.wishlists: unknown key "wishlists" (did you mean "wishlist"?)',
          'shops.b.provider.clientSecrt: unknown key "clientSecrt" (did you mean "clientSecret"?)',
        ].sort(),
      );
    });

    it('lists the known keys when nothing is close', () => {
      expect(problemsOf({ SESSION_CONFIG: file({ session: { secret: 'x' }, shops: { a: {} }, limits: { quota: 1 } }) })).toEqual([
        'limits.quota: unknown key "quota" (known keys here: maxCustomDataBytes, maxUserBytes)',
      ]);
    });

    it('knows a setting as soon as a schema class declares it (no separate list of keys)', () => {
      class Extended extends LimitsSchema {
        @IsOptional() @IsInt() maxWidgets?: number;
      }
      expect(knownKeys(Extended)).toEqual(['maxCustomDataBytes', 'maxUserBytes', 'maxWidgets']);
      expect(checkConfigSchema(Extended, { maxWidgets: 3 }).problems).toEqual([]);
      expect(checkConfigSchema(Extended, { maxWidget: 3 }, 'limits').problems).toEqual([
        'limits.maxWidget: unknown key "maxWidget" (did you mean "maxWidgets"?)',
      ]);
      expect(knownKeys(SessionConfigSchema)).toEqual(expect.arrayContaining(['session', 'shops', 'store', 'limits', 'cart', 'wishlist']));
    });
  });

  describe('environment variables', () => {
    it('warns about a SESSION_* or REDIS_* variable the service does not read, with the nearest one it does', () => {
      const config = loadServiceConfig({
        SESSION_CONFIG: file({ session: { secret: 'x' }, shops: { a: {} } }),
        SESSION_COOKIE_SECRETS: 'a,b',
        REDIS_ULR: 'redis://127.0.0.1:1',
        SESSION_SHOP: 'a', // sessionctl's, which may share the environment
        HOME: '/root',
      });
      expect(config.warnings.filter((w) => / is set but /.test(w))).toEqual([
        'REDIS_ULR is set but the service does not read it (did you mean REDIS_URL?); it is ignored.',
        'SESSION_COOKIE_SECRETS is set but the service does not read it (did you mean SESSION_COOKIE_SECRET?); it is ignored.',
      ]);
    });

    it('knows a variable because the loader reads it (no separate list)', () => {
      const { env, read } = recordingEnv({ SESSION_NEW_SETTING: '1', SESSION_OTHER: '2' });
      void env.SESSION_NEW_SETTING;
      expect(unreadVariableWarnings({ SESSION_NEW_SETTING: '1', SESSION_OTHER: '2' }, read)).toEqual([
        'SESSION_OTHER is set but the service does not read it; it is ignored.',
      ]);
    });
  });

  describe('JSON syntax errors', () => {
    it.each([
      ['{\n  "shops": {\n    "a": {}\n  }\n  "store": {}\n}', 'line 5, column 3'],
      ['{\n  "session": { "secure": tru }\n}', 'line 2, column 29'],
      ['{\n  "shops": {},\n}', 'line 3, column 1'],
      ['{\n  "shops": {', 'line 2, column 13'],
    ])('gives the line and column %#', (text, where) => {
      const [problem] = problemsOf({ SESSION_CONFIG: file(text) });
      expect(problem).toMatch(new RegExp(`^SESSION_CONFIG \\(.*\\.json\\): invalid JSON at ${where}: \\S`));
      expect(problem).not.toMatch(/is not valid JSON|at position/); // V8's offset and echo of the text are replaced by the line and column
    });
  });
});
