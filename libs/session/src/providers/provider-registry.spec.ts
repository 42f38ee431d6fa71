import { IsString } from 'class-validator';
import type { TokenProvider } from '#libs/token-providers';
import { ProviderBaseSchema } from '../config/provider-config.schema.js';
import { defaultProviderRegistry } from './built-in-providers.js';
import { ProviderRegistry } from './provider-registry.js';

class EchoSchema extends ProviderBaseSchema {
  @IsString() greeting!: string;
}

const echo = (greeting: string): TokenProvider => ({
  kind: 'echo',
  login: async () => ({ tokens: { accessToken: greeting, expirationTime: 0 }, customerId: 'c', cartId: null }),
  logout: async () => ({ guestCartId: null }),
});

describe('ProviderRegistry', () => {
  const registry = new ProviderRegistry().register('echo', { schema: EchoSchema, create: (s) => echo(s.greeting) });

  it('checks a block against the schema its type names and builds the provider from it', async () => {
    const checked = registry.check('shops.a.provider', { type: 'echo', greeting: 'hi', timeoutMs: 500 });
    expect(checked.problems).toEqual([]);
    const provider = registry.create(checked.settings!, { shopId: 'a' });
    expect((await provider.login({ email: 'e', password: 'p' })).tokens.accessToken).toBe('hi');
  });

  it('names every problem, unknown types included', () => {
    expect(registry.check('p', { type: 'echo' }).problems).toEqual(['p.greeting: greeting must be a string']);
    expect(registry.check('p', { type: 'echo', greeting: 'hi', extra: 1 }).problems[0]).toMatch(/^p\.extra: unknown key "extra"/);
    expect(registry.check('p', { type: 'other' })).toEqual({ settings: null, problems: ['p.type: type must be one of "echo"'] });
  });

  it('refuses a second registration of a type', () => {
    expect(() => registry.register('echo', { schema: EchoSchema, create: (s) => echo(s.greeting) })).toThrow(/registered already/);
  });

  it('the default registry holds the built-in types', () => {
    expect(defaultProviderRegistry().types()).toEqual(['commercetools', 'bigcommerce']);
  });
});
