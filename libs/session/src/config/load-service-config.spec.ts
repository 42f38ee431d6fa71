import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { CookieSigner } from '../cookie/cookie-signature.js';
import { DEV_AUTH_SECRET, DEV_COOKIE_SECRET } from './dev-defaults.js';
import { ConfigError, loadServiceConfig } from './load-service-config.js';

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
        shops: { a: {}, b: { session: { maxAge: 120, cookieName: 'sid' } } , c: { session: { maxAge: 60 } } },
      }),
    });
    const a = config.shops.get('a')!;
    const b = config.shops.get('b')!;
    expect(a.cookie).toEqual({ name: '$session-a', maxAgeSeconds: 600, secure: true, sameSite: 'strict', path: '/', domain: 'example.com' });
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
  ])('names the bad field %#: %s', (content, field) => {
    expect(problemsOf({ SESSION_CONFIG: file(content) }).join('\n')).toContain(field);
  });

  it('names the file when it is not JSON, and bad ports', () => {
    expect(problemsOf({ SESSION_CONFIG: file('{ nope') }).join('\n')).toMatch(/SESSION_CONFIG \(.*\.json\)/);
    expect(problemsOf({ SESSION_CONFIG: join(dir, 'missing.json') }).join('\n')).toMatch(/missing\.json/);
    expect(problemsOf({ PORT: 'eighty' })).toEqual(['PORT must be a port number (0-65535), got "eighty"']);
  });

  describe('provider blocks', () => {
    const ct = { type: 'commercetools', authUrl: 'http://127.0.0.1:9000', apiUrl: 'http://127.0.0.1:9001', projectKey: 'shop', clientId: 'id', clientSecret: 's' };
    const bc = {
      type: 'bigcommerce', graphqlUrl: 'https://store-abc-1.mybigcommerce.com/graphql', storefrontToken: 't', storeHash: 'abc',
      channelId: 1, clientId: 'id', clientSecret: 's', storefrontUrl: 'https://shop.example',
    };
    const withProvider = (provider: object, cart: object = {}) =>
      file({ session: { secret: 'x' }, shops: { a: { provider, cart }, b: {} } });

    it('accepts a commercetools or a BigCommerce block and hands it to the shop', () => {
      const config = loadServiceConfig({ SESSION_CONFIG: file({ session: { secret: 'x' }, shops: { a: { provider: ct, cart: { owner: 'provider' } }, b: { provider: bc } } }) });
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
      expect(problemsOf({ SESSION_CONFIG: file({ session: { secret: 'x' }, shops: { a: { cart: { owner: 'provider' } } } }) }).join('\n')).toMatch(
        /shops\.a\.cart\.owner: "provider" needs a provider block/,
      );
    });

    it('requires SESSION_TOKEN_KEYS in production once a shop has a provider', () => {
      const env = {
        NODE_ENV: 'production', REDIS_URL: 'redis://127.0.0.1:6379', SESSION_SERVICE_AUTH_SECRET: STRONG,
        SESSION_CONFIG: file({ session: { secret: STRONG }, shops: { a: { provider: ct } } }),
      };
      expect(problemsOf(env).join('\n')).toMatch(/SESSION_TOKEN_KEYS is required/);
      expect(problemsOf({ ...env, SESSION_TOKEN_KEYS: 'short' }).join('\n')).toMatch(/SESSION_TOKEN_KEYS: secrets must be at least 32/);
      expect(loadServiceConfig({ ...env, SESSION_TOKEN_KEYS: `${STRONG}-old,${STRONG}-new` }).tokenKeys).toEqual([`${STRONG}-old`, `${STRONG}-new`]);
    });
  });

  describe('a Redis Cluster', () => {
    const shops = { session: { secret: 'x' }, shops: { a: {} } };

    it('takes REDIS_CLUSTER_NODES as a comma-separated list of seed nodes', () => {
      const config = loadServiceConfig({ SESSION_CONFIG: file(shops), REDIS_CLUSTER_NODES: '10.0.0.1:7000, 10.0.0.2:7000,redis://u:p@10.0.0.3:7000' });
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
      expect(problemsOf({ SESSION_CONFIG: file({ ...shops, store: { cluster: { nodes: ['ok:1', 'bad node'] } } }) }).join('\n')).toMatch(/store\.cluster\.nodes/);
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
      ['the development cookie secret', { SESSION_COOKIE_SECRET: DEV_COOKIE_SECRET }, /shops\.a\.session\.secret: the public development secret/],
      ['the built-in development config', { SESSION_CONFIG: undefined }, /SESSION_CONFIG is required/],
    ])('refuses %s', (_, override, message) => {
      expect(problemsOf({ ...good(), ...override }).join('\n')).toMatch(message);
    });
  });
});
