import { randomUUID } from 'node:crypto';
import type { ResolvedCommercetoolsOptions } from './commercetools-options.js';
import type { CommercetoolsState } from './commercetools-state.js';
import { apiError, authError, invalidClient, invalidGrant, missingParameter } from './errors.js';
import type { RouteResult } from './http-helpers.js';
import type { TokenStore } from './token-store.js';

// Auth host, commerce-apis.md B1 and C2.1-C2.6.

export interface OAuthRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  /** Query string and form body merged; the query wins as in the RAML (parameters are query parameters). */
  params: URLSearchParams;
}

export interface OAuthContext {
  options: ResolvedCommercetoolsOptions;
  state: CommercetoolsState;
  tokens: TokenStore;
  now: () => number;
}

export function mergeParams(query: URLSearchParams, body: string, contentType: string | undefined): URLSearchParams {
  const merged = new URLSearchParams();
  if (!contentType || contentType.startsWith('application/x-www-form-urlencoded')) {
    new URLSearchParams(body).forEach((value, key) => merged.set(key, value));
  }
  query.forEach((value, key) => merged.set(key, value));
  return merged;
}

function authenticateClient(req: OAuthRequest, options: ResolvedCommercetoolsOptions): string {
  const match = /^Basic\s+(.+)$/i.exec(req.authorization ?? '');
  if (!match) throw invalidClient();
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw invalidClient();
  // RFC 6749 2.3.1 form-encodes both parts before Basic encoding; plain values are accepted too.
  const same = (raw: string, expected: string) => raw === expected || safeDecode(raw) === expected;
  if (!same(decoded.slice(0, colon), options.clientId) || !same(decoded.slice(colon + 1), options.clientSecret)) {
    throw invalidClient();
  }
  return options.clientId;
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (!value) throw missingParameter(name);
  return value;
}

const unsupportedGrant = (grantType: string) =>
  authError(400, 'unsupported_grant_type', `Invalid parameter: grant_type: Invalid grant type: ${grantType}`);

export function handleOAuth(req: OAuthRequest, ctx: OAuthContext): RouteResult {
  const { options } = ctx;
  const customersToken = /^\/oauth\/([^/]+)\/(?:in-store\/key=([^/]+)\/)?customers\/token$/.exec(req.path);
  const anonymousToken = /^\/oauth\/([^/]+)\/anonymous\/token$/.exec(req.path);
  const known = req.path === '/oauth/token' || req.path === '/oauth/introspect' || req.path === '/oauth/token/revoke';
  if (!known && !customersToken && !anonymousToken) {
    return { status: 404, body: apiError(404, 'ResourceNotFound', `URI not found: ${req.path}`).body };
  }
  if (req.method !== 'POST') {
    return { status: 405, body: apiError(405, 'MethodNotAllowed', `Method not allowed: ${req.method}`).body };
  }
  const clientId = authenticateClient(req, options);
  const projectKey = customersToken?.[1] ?? anonymousToken?.[1];
  // Client credentials belong to one project.
  if (projectKey !== undefined && decodeURIComponent(projectKey) !== options.projectKey) throw invalidClient();
  const scope = req.params.get('scope') || options.scopes.join(' ');

  if (req.path === '/oauth/token') {
    const grantType = required(req.params, 'grant_type');
    if (grantType === 'client_credentials') return ok(ctx.tokens.issue(clientId, scope, {}, false));
    if (grantType !== 'refresh_token') throw unsupportedGrant(grantType);
    const refreshed = ctx.tokens.refresh(clientId, required(req.params, 'refresh_token'));
    if (!refreshed) throw invalidGrant();
    return ok(refreshed);
  }

  if (customersToken) {
    const grantType = required(req.params, 'grant_type');
    if (grantType !== 'password') throw unsupportedGrant(grantType);
    const customer = ctx.state.findCustomerByCredentials(required(req.params, 'username'), required(req.params, 'password'));
    const storeKey = customersToken[2] && decodeURIComponent(customersToken[2]);
    const inStore = !storeKey || !customer || customer.stores.length === 0 || customer.stores.some((s) => s.key === storeKey);
    if (!customer || !inStore) {
      throw authError(400, 'invalid_customer_account_credentials', 'Customer account with the given credentials not found.');
    }
    return ok(ctx.tokens.issue(clientId, scope, { customerId: customer.id }, true));
  }

  if (anonymousToken) {
    const grantType = required(req.params, 'grant_type');
    if (grantType !== 'client_credentials') throw unsupportedGrant(grantType);
    const anonymousId = req.params.get('anonymous_id') || randomUUID();
    // The refresh token is "the only way to get a new access token for this particular anonymousId".
    if (ctx.state.usedAnonymousIds.has(anonymousId)) {
      throw authError(400, 'AnonymousIdAlreadyInUse', 'The given anonymous ID is already in use.');
    }
    ctx.state.usedAnonymousIds.add(anonymousId);
    return ok(ctx.tokens.issue(clientId, scope, { anonymousId }, true));
  }

  if (req.path === '/oauth/introspect') {
    const record = ctx.tokens.activeAccessToken(required(req.params, 'token'));
    if (!record) return ok({ active: false });
    const exp = options.introspectExpUnit === 'seconds' ? Math.floor(record.expiresAt / 1000) : record.expiresAt;
    return ok({ active: true, scope: record.scope, exp });
  }

  // /oauth/token/revoke
  ctx.tokens.revoke(clientId, required(req.params, 'token'));
  return { status: 200 };
}

const ok = (body: unknown): RouteResult => ({ status: 200, body });
