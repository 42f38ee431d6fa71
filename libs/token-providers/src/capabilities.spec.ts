import { BigCommerceTokenProvider } from './bigcommerce/bigcommerce.provider.js';
import { CommercetoolsTokenProvider } from './commercetools/commercetools.provider.js';
import { supportsCheckoutUrls, supportsCustomerLoginJwt, supportsCustomerLoginUrls } from './capabilities.js';
import type { TokenProvider } from './provider.js';

const plain: TokenProvider = {
  kind: 'plain',
  login: async () => ({ tokens: { accessToken: 'a', expirationTime: 0 }, customerId: 'c', cartId: null }),
  logout: async () => ({ guestCartId: null }),
};

describe('provider capabilities', () => {
  it('are found by their methods, whatever the class', () => {
    expect([supportsCustomerLoginJwt(plain), supportsCustomerLoginUrls(plain), supportsCheckoutUrls(plain)]).toEqual([false, false, false]);
    const withLinks = { ...plain, customerLoginUrl: (id: string) => `https://x.example/${id}` };
    expect(supportsCustomerLoginUrls(withLinks)).toBe(true);
    expect(supportsCheckoutUrls(withLinks)).toBe(false);
  });

  it('BigCommerce makes customer login links only when given the API account that signs them', () => {
    const bare = new BigCommerceTokenProvider({ graphqlUrl: 'http://127.0.0.1:1/graphql', storefrontToken: 't' });
    expect([supportsCustomerLoginJwt(bare), supportsCheckoutUrls(bare), supportsCustomerLoginUrls(bare)]).toEqual([true, true, false]);
    const sso = new BigCommerceTokenProvider({
      graphqlUrl: 'http://127.0.0.1:1/graphql',
      storefrontToken: 't',
      customerLogin: { clientId: 'id', clientSecret: 'secret', storeHash: 'abc', storefrontUrl: 'https://shop.example/' },
    });
    expect(supportsCustomerLoginUrls(sso)).toBe(true);
    expect(sso.customerLoginUrl!('42', '/orders')).toMatch(/^https:\/\/shop\.example\/login\/token\/[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('commercetools has none of them', () => {
    const ct = new CommercetoolsTokenProvider({
      authUrl: 'http://127.0.0.1:1',
      apiUrl: 'http://127.0.0.1:1',
      projectKey: 'p',
      clientId: 'c',
      clientSecret: 's',
    });
    expect([supportsCustomerLoginJwt(ct), supportsCustomerLoginUrls(ct), supportsCheckoutUrls(ct)]).toEqual([false, false, false]);
  });
});
