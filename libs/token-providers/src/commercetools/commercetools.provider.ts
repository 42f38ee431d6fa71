import { HttpClient, type HttpClientOptions, type HttpResponse } from '../http.js';
import type { GuestCartRef, ProviderCredentials, ProviderLogin, ProviderLogout, ProviderTokens, TokenProvider } from '../provider.js';
import { mapCommercetoolsError } from './commercetools-errors.js';

export interface CommercetoolsProviderOptions {
  /** Auth host, e.g. https://auth.europe-west1.gcp.commercetools.com */
  authUrl: string;
  /** API host, e.g. https://api.europe-west1.gcp.commercetools.com */
  apiUrl: string;
  projectKey: string;
  clientId: string;
  clientSecret: string;
  /** Scopes to request; the client's default scopes when omitted. */
  scopes?: string[];
  /** Sign-in mode of `me/login` for the anonymous session's active cart. */
  activeCartSignInMode?: 'MergeWithExistingCustomerCart' | 'UseAsNewActiveCustomerCart';
  http?: Omit<HttpClientOptions, 'provider'>;
  /** Clock in epoch ms for `expirationTime` [Date.now]. */
  now?: () => number;
}

export interface AnonymousSession {
  tokens: ProviderTokens;
  anonymousId: string | null;
}

export interface Introspection {
  active: boolean;
  scope?: string;
  exp?: number;
}

interface TokenBody {
  access_token: string;
  expires_in: number;
  scope?: string;
  refresh_token?: string;
}

interface CtCustomerBody {
  id: string;
  email: string;
  firstName?: string;
  lastName?: string;
}

/** commercetools OAuth (password, anonymous, refresh, revoke) plus `me/login` for the cart merge. */
export class CommercetoolsTokenProvider implements TokenProvider {
  readonly kind = 'commercetools' as const;
  readonly http: HttpClient;
  private readonly now: () => number;
  private readonly authUrl: string;
  private readonly apiUrl: string;

  constructor(private readonly options: CommercetoolsProviderOptions) {
    this.http = new HttpClient({ provider: 'commercetools', ...options.http });
    this.now = options.now ?? Date.now;
    this.authUrl = options.authUrl.replace(/\/+$/, '');
    this.apiUrl = options.apiUrl.replace(/\/+$/, '');
  }

  /** Anonymous session token (`client_credentials` on `/oauth/{pk}/anonymous/token`). */
  async anonymousToken(anonymousId?: string): Promise<AnonymousSession> {
    const body = await this.token('anonymous-token', `/oauth/${this.pk}/anonymous/token`, {
      grant_type: 'client_credentials',
      ...(anonymousId ? { anonymous_id: anonymousId } : {}),
    });
    return { tokens: this.toTokens(body), anonymousId: scopeValue(body.scope, 'anonymous_id') };
  }

  async login(credentials: ProviderCredentials, guest?: GuestCartRef): Promise<ProviderLogin> {
    // With an anonymous session, me/login checks the password and merges its active cart first.
    let signIn: { customer: CtCustomerBody; cart?: { id: string } } | undefined;
    if (guest?.anonymousAccessToken) {
      const res = await this.http.request({
        operation: 'me-login',
        method: 'POST',
        url: `${this.apiUrl}/${this.pk}/me/login`,
        headers: { authorization: `Bearer ${guest.anonymousAccessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          email: credentials.email,
          password: credentials.password,
          activeCartSignInMode: this.options.activeCartSignInMode ?? 'MergeWithExistingCustomerCart',
        }),
      });
      signIn = expectOk(res, 'me-login') as typeof signIn;
    }

    const body = await this.token('password-token', `/oauth/${this.pk}/customers/token`, {
      grant_type: 'password',
      username: credentials.email,
      password: credentials.password,
    });
    const tokens = this.toTokens(body);
    const customerId = signIn?.customer.id ?? scopeValue(body.scope, 'customer_id');
    if (!customerId) throw mapCommercetoolsError('password-token', 200, { errors: [{ code: 'missing_customer_id' }] });
    const cartId = signIn ? (signIn.cart?.id ?? null) : await this.activeCartId(tokens.accessToken);
    const customer = signIn?.customer;
    return {
      tokens,
      customerId,
      cartId,
      ...(customer
        ? {
            customer: {
              email: customer.email,
              ...(customer.firstName ? { firstName: customer.firstName } : {}),
              ...(customer.lastName ? { lastName: customer.lastName } : {}),
            },
          }
        : {}),
    };
  }

  /** The answer carries no new refresh token, so the old one is kept. */
  async refresh(tokens: ProviderTokens): Promise<ProviderTokens> {
    if (!tokens.refreshToken) throw mapCommercetoolsError('refresh', 400, { error: 'invalid_grant' });
    const body = await this.token('refresh', '/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refreshToken,
    });
    return { ...this.toTokens(body), refreshToken: body.refresh_token ?? tokens.refreshToken };
  }

  /** Revokes the access token and the refresh token. The customer's cart stays with the customer. */
  async logout(tokens: ProviderTokens): Promise<ProviderLogout> {
    await this.revoke(tokens.accessToken, 'access_token');
    if (tokens.refreshToken) await this.revoke(tokens.refreshToken, 'refresh_token');
    return { guestCartId: null };
  }

  async introspect(accessToken: string): Promise<Introspection> {
    const res = await this.http.request({
      operation: 'introspect',
      method: 'POST',
      url: `${this.authUrl}/oauth/introspect`,
      headers: this.authHeaders(),
      body: new URLSearchParams({ token: accessToken }).toString(),
      idempotent: true,
    });
    return expectOk(res, 'introspect') as Introspection;
  }

  private get pk(): string {
    return encodeURIComponent(this.options.projectKey);
  }

  private async activeCartId(accessToken: string): Promise<string | null> {
    const res = await this.http.request({
      operation: 'active-cart',
      method: 'GET',
      url: `${this.apiUrl}/${this.pk}/me/active-cart`,
      headers: { authorization: `Bearer ${accessToken}` },
      idempotent: true,
    });
    if (res.status === 404) return null;
    return (expectOk(res, 'active-cart') as { id: string }).id;
  }

  private async revoke(token: string, hint: 'access_token' | 'refresh_token'): Promise<void> {
    const res = await this.http.request({
      operation: 'revoke',
      method: 'POST',
      url: `${this.authUrl}/oauth/token/revoke`,
      headers: this.authHeaders(),
      body: new URLSearchParams({ token, token_type_hint: hint }).toString(),
    });
    expectOk(res, 'revoke');
  }

  private async token(operation: string, path: string, params: Record<string, string>): Promise<TokenBody> {
    const scope: Record<string, string> = this.options.scopes?.length ? { scope: this.options.scopes.join(' ') } : {};
    const res = await this.http.request({
      operation,
      method: 'POST',
      url: `${this.authUrl}${path}`,
      headers: this.authHeaders(),
      body: new URLSearchParams({ ...params, ...scope }).toString(),
    });
    const body = expectOk(res, operation) as Partial<TokenBody> | undefined;
    if (!body || typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
      throw mapCommercetoolsError(operation, res.status, { errors: [{ code: 'malformed_token_response' }] });
    }
    return body as TokenBody;
  }

  private toTokens(body: TokenBody): ProviderTokens {
    return {
      accessToken: body.access_token,
      ...(body.refresh_token ? { refreshToken: body.refresh_token } : {}),
      expirationTime: this.now() + body.expires_in * 1000,
    };
  }

  private authHeaders(): Record<string, string> {
    const basic = Buffer.from(`${encodeURIComponent(this.options.clientId)}:${encodeURIComponent(this.options.clientSecret)}`).toString(
      'base64',
    );
    return { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' };
  }
}

function expectOk(res: HttpResponse, operation: string): unknown {
  if (res.status < 200 || res.status >= 300) throw mapCommercetoolsError(operation, res.status, res.body);
  return res.body;
}

/** `customer_id:{id}` / `anonymous_id:{id}` from a token's scope. */
function scopeValue(scope: string | undefined, name: string): string | null {
  const entry = (scope ?? '').split(' ').find((s) => s.startsWith(`${name}:`));
  return entry ? entry.slice(name.length + 1) : null;
}
