import type { CheckoutRedirectUrls, SupportsCheckoutUrls, SupportsCustomerLoginJwt, SupportsCustomerLoginUrls } from '../capabilities.js';
import { HttpClient, type HttpClientOptions } from '../http.js';
import { CustomerLoginJwtMinter, type CustomerLoginJwtOptions } from './customer-login-jwt.js';
import type { GuestCartRef, ProviderCredentials, ProviderLogin, ProviderLogout, ProviderTokens, TokenProvider } from '../provider.js';
import { mapBigCommerceErrors } from './bigcommerce-errors.js';
import { ProviderError } from '../provider-error.js';

export interface BigCommerceProviderOptions {
  /** GraphQL Storefront endpoint, e.g. https://store-{hash}-{channel}.mybigcommerce.com/graphql */
  graphqlUrl: string;
  /** Storefront token sent as `Authorization: Bearer …`. */
  storefrontToken: string;
  http?: Omit<HttpClientOptions, 'provider'>;
  /** With it, the provider also makes `/login/token/<jwt>` links (customerLoginUrl). */
  customerLogin?: Omit<CustomerLoginJwtOptions, 'now'> & {
    /** The hosted storefront's base URL. */
    storefrontUrl: string;
    channelId?: number;
  };
}

export const LOGIN_MUTATION = `mutation LoginMutation($email: String!, $password: String!, $cartEntityId: String) {
  login(email: $email, password: $password, guestCartEntityId: $cartEntityId) {
    customerAccessToken { value expiresAt }
    customer { entityId firstName lastName email }
    cart { entityId }
  }
}`;

export const REDIRECT_URLS_MUTATION = `mutation CreateCartRedirectUrls($cartEntityId: String!) {
  cart {
    createCartRedirectUrls(input: { cartEntityId: $cartEntityId }) {
      redirectUrls { redirectedCheckoutUrl embeddedCheckoutUrl }
    }
  }
}`;

export type { CheckoutRedirectUrls };

interface RedirectUrlsData {
  cart?: {
    createCartRedirectUrls?: { redirectUrls?: { redirectedCheckoutUrl: string; embeddedCheckoutUrl: string } | null } | null;
  } | null;
}

export const JWT_LOGIN_MUTATION = `mutation LoginWithCustomerLoginJwtMutation($jwt: String!, $cartEntityId: String) {
  loginWithCustomerLoginJwt(jwt: $jwt, guestCartEntityId: $cartEntityId) {
    customerAccessToken { value expiresAt }
    customer { entityId firstName lastName email }
    cart { entityId }
  }
}`;

export const LOGOUT_MUTATION = `mutation LogoutMutation($cartEntityId: String) {
  logout(cartEntityId: $cartEntityId) {
    result
    cartUnassignResult { cart { entityId } }
  }
}`;

type LoginResult = {
  customerAccessToken: { value: string; expiresAt: string | null } | null;
  customer: { entityId: number; firstName?: string; lastName?: string; email: string } | null;
  cart: { entityId: string } | null;
} | null;

interface LogoutData {
  logout: { cartUnassignResult: { cart: { entityId: string } | null } | null } | null;
}

/** BigCommerce GraphQL Storefront `login` / `logout` (A1, A2). Customer access tokens have no refresh. */
export class BigCommerceTokenProvider
  implements TokenProvider, SupportsCustomerLoginJwt, SupportsCheckoutUrls, Partial<SupportsCustomerLoginUrls>
{
  readonly kind = 'bigcommerce' as const;
  readonly http: HttpClient;
  /** Present only when `options.customerLogin` is given. */
  readonly customerLoginUrl?: (customerId: string, redirectTo?: string) => string;

  constructor(private readonly options: BigCommerceProviderOptions) {
    this.http = new HttpClient({ provider: 'bigcommerce', ...options.http });
    const sso = options.customerLogin;
    if (sso) {
      const minter = new CustomerLoginJwtMinter({ clientId: sso.clientId, clientSecret: sso.clientSecret, storeHash: sso.storeHash });
      const base = sso.storefrontUrl.replace(/\/+$/, '');
      this.customerLoginUrl = (customerId, redirectTo) => {
        const jwt = minter.mint({
          customerId: Number(customerId),
          ...(sso.channelId ? { channelId: sso.channelId } : {}),
          ...(redirectTo ? { redirectTo } : {}),
        });
        return `${base}/login/token/${jwt}`;
      };
    }
  }

  async login(credentials: ProviderCredentials, guest?: GuestCartRef): Promise<ProviderLogin> {
    const data = await this.graphql<{ login: LoginResult }>('login', LOGIN_MUTATION, {
      email: credentials.email,
      password: credentials.password,
      ...(guest?.cartId ? { cartEntityId: guest.cartId } : {}),
    });
    return toLogin('login', data.login);
  }

  /** Logs in with a Customer Login JWT (see CustomerLoginJwtMinter), e.g. to re-issue a CAT. */
  async loginWithCustomerLoginJwt(jwt: string, guest?: GuestCartRef): Promise<ProviderLogin> {
    const data = await this.graphql<{ loginWithCustomerLoginJwt: LoginResult }>('loginWithCustomerLoginJwt', JWT_LOGIN_MUTATION, {
      jwt,
      ...(guest?.cartId ? { cartEntityId: guest.cartId } : {}),
    });
    return toLogin('loginWithCustomerLoginJwt', data.loginWithCustomerLoginJwt);
  }

  /** Revokes the customer access token; returns the cart handed back as a guest cart, if any. */
  async logout(tokens: ProviderTokens, cartId?: string): Promise<ProviderLogout> {
    const data = await this.graphql<LogoutData>('logout', LOGOUT_MUTATION, cartId ? { cartEntityId: cartId } : {}, {
      'x-bc-customer-access-token': tokens.accessToken,
      'x-bc-error-on-invalid-customer-access-token': 'true',
    });
    return { guestCartId: data.logout?.cartUnassignResult?.cart?.entityId ?? null };
  }

  /**
   * Single-use checkout URLs for the customer's cart (generate them just before redirecting:
   * they are valid for about 30 s). Sent with the customer access token, so hosted checkout
   * continues as the same customer with the same cart.
   */
  async checkoutRedirectUrls(tokens: ProviderTokens, cartId: string): Promise<CheckoutRedirectUrls> {
    const data = await this.graphql<RedirectUrlsData>(
      'createCartRedirectUrls',
      REDIRECT_URLS_MUTATION,
      { cartEntityId: cartId },
      {
        'x-bc-customer-access-token': tokens.accessToken,
        'x-bc-error-on-invalid-customer-access-token': 'true',
      },
    );
    const urls = data.cart?.createCartRedirectUrls?.redirectUrls;
    if (!urls)
      throw new ProviderError('PROVIDER_ERROR', 'BigCommerce returned no redirect URLs', {
        provider: 'bigcommerce',
        operation: 'createCartRedirectUrls',
      });
    return { checkoutUrl: urls.redirectedCheckoutUrl, embeddedCheckoutUrl: urls.embeddedCheckoutUrl };
  }

  private async graphql<T>(
    operation: string,
    query: string,
    variables: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const url = new URL(this.options.graphqlUrl);
    url.searchParams.set('operation', operation);
    url.searchParams.set('type', 'mutation');
    const res = await this.http.request({
      operation,
      method: 'POST',
      url: url.toString(),
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${this.options.storefrontToken}`,
        ...headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (res.body ?? {}) as { data?: T | null; errors?: unknown[] };
    if (res.status !== 200 || (Array.isArray(body.errors) && body.errors.length > 0) || !body.data) {
      throw mapBigCommerceErrors(operation, res.status, body.errors);
    }
    return body.data;
  }
}

function toLogin(operation: string, result: LoginResult): ProviderLogin {
  const token = result?.customerAccessToken;
  const customer = result?.customer;
  if (!token || !customer) throw mapBigCommerceErrors(operation, 200, [{ extensions: { code: 'EMPTY_LOGIN_RESULT' } }]);
  const expiresAt = token.expiresAt ? Date.parse(token.expiresAt) : NaN;
  if (Number.isNaN(expiresAt)) throw mapBigCommerceErrors(operation, 200, [{ extensions: { code: 'MISSING_EXPIRES_AT' } }]);
  return {
    tokens: { accessToken: token.value, expirationTime: expiresAt },
    customerId: String(customer.entityId),
    cartId: result.cart?.entityId ?? null,
    customer: {
      email: customer.email,
      ...(customer.firstName ? { firstName: customer.firstName } : {}),
      ...(customer.lastName ? { lastName: customer.lastName } : {}),
    },
  };
}
