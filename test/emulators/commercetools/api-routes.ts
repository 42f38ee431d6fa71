import { cartFromDraft, type Cart } from './cart-model.js';
import { applyCartUpdate } from './cart-updates.js';
import type { ResolvedCommercetoolsOptions } from './commercetools-options.js';
import type { CommercetoolsState, CtCustomer } from './commercetools-state.js';
import { apiError, authError, invalidInput, invalidToken, missingAccessToken, resourceNotFound } from './errors.js';
import type { RouteResult } from './http-helpers.js';
import { applySignIn, invalidJson, resolveCartReference, signInMode } from './sign-in.js';
import type { AccessTokenRecord, TokenStore } from './token-store.js';

// API host, commerce-apis.md B2 and C2.7-C2.10.

export interface ApiRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: string;
}

export interface ApiContext {
  options: ResolvedCommercetoolsOptions;
  state: CommercetoolsState;
  tokens: TokenStore;
}

const ok = (body: unknown, status = 200): RouteResult => ({ status, body });
const clone = <T>(value: T): T => structuredClone(value);

function parseJson(body: string): Record<string, unknown> {
  if (body.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(body);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw invalidJson('Malformed JSON or not an object.');
}

function requireString(body: Record<string, unknown>, field: string): string {
  if (typeof body[field] !== 'string') throw invalidJson(`${field}: Missing required value`);
  return body[field];
}

const invalidCredentials = () => apiError(400, 'InvalidCredentials', 'Account with the given credentials not found.');
const notFoundById = (id: string) => resourceNotFound(`The Resource with ID '${id}' was not found.`);

function signInResult(customer: CtCustomer, cart: Cart | undefined): RouteResult {
  return ok({ customer: clone(customer), ...(cart ? { cart: clone(cart) } : {}) });
}

/** The /me endpoints act for the customer or anonymous session of the token. */
function meIdentity(token: AccessTokenRecord): { customerId?: string; anonymousId?: string } {
  if (token.customerId) return { customerId: token.customerId };
  if (token.anonymousId) return { anonymousId: token.anonymousId };
  throw authError(403, 'insufficient_scope', 'This endpoint needs a customer (password flow) or anonymous session token.');
}

function isMine(cart: Cart, identity: { customerId?: string; anonymousId?: string }): boolean {
  return identity.customerId ? cart.customerId === identity.customerId : cart.anonymousId === identity.anonymousId && !cart.customerId;
}

export function handleApi(req: ApiRequest, ctx: ApiContext): RouteResult {
  const { state, options } = ctx;
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.authorization ?? '')?.[1];
  if (!bearer) throw missingAccessToken();
  const token = ctx.tokens.activeAccessToken(bearer);
  if (!token) throw invalidToken();

  const [, projectKey, ...rest] = req.path.split('/');
  if (decodeURIComponent(projectKey ?? '') !== options.projectKey) {
    throw authError(403, 'insufficient_scope', `The token is not valid for project '${projectKey}'.`);
  }
  const route = `${req.method} /${rest.join('/')}`;
  const now = state.nowIso();
  let m: RegExpExecArray | null;

  if (route === 'POST /login') {
    const body = parseJson(req.body);
    const customer = state.findCustomerByCredentials(requireString(body, 'email'), requireString(body, 'password'));
    if (!customer) throw invalidCredentials();
    const anonymousCart = body.anonymousCart
      ? resolveCartReference(state, body.anonymousCart)
      : typeof body.anonymousCartId === 'string'
        ? resolveCartReference(state, { id: body.anonymousCartId })
        : undefined;
    const anonymousId = typeof body.anonymousId === 'string' ? body.anonymousId : undefined;
    const mode = signInMode(body.anonymousCartSignInMode, 'anonymousCartSignInMode');
    return signInResult(customer, applySignIn(state, options, { customer, anonymousCart, anonymousId, mode }));
  }

  if (route === 'POST /me/login') {
    const body = parseJson(req.body);
    const customer = state.findCustomerByCredentials(requireString(body, 'email'), requireString(body, 'password'));
    if (!customer) throw invalidCredentials();
    const mode = signInMode(body.activeCartSignInMode, 'activeCartSignInMode');
    // With an anonymous-session token the session's most recently modified cart is the anonymous cart.
    const anonymousId = token.anonymousId;
    const anonymousCart = anonymousId ? state.activeAnonymousCart(anonymousId) : undefined;
    return signInResult(customer, applySignIn(state, options, { customer, anonymousCart, anonymousId, mode }));
  }

  if (route === 'GET /me/active-cart') {
    const identity = meIdentity(token);
    const cart = identity.customerId ? state.activeCartOfCustomer(identity.customerId) : state.activeAnonymousCart(identity.anonymousId!);
    if (!cart) throw resourceNotFound('No active cart exists.');
    return ok(clone(cart));
  }

  if (route === 'GET /me/carts') {
    const identity = meIdentity(token);
    const results = [...state.carts.values()].filter((c) => isMine(c, identity)).map(clone);
    return ok({ limit: 20, offset: 0, count: results.length, total: results.length, results });
  }

  if (route === 'POST /me/carts') {
    const identity = meIdentity(token);
    const { currency, lineItems, store, shippingMethod, custom } = parseJson(req.body);
    const cart = cartFromDraft({ currency, lineItems, store, shippingMethod, custom }, { now, ...identity });
    state.saveCart(cart);
    return ok(clone(cart), 201);
  }

  if ((m = /^(GET|POST) \/me\/carts\/([^/]+)$/.exec(route))) {
    const identity = meIdentity(token);
    const cart = state.carts.get(m[2]!);
    if (!cart || !isMine(cart, identity)) throw notFoundById(m[2]!);
    return m[1] === 'GET' ? ok(clone(cart)) : updateCart(ctx, cart, req.body, true);
  }

  if ((m = /^POST \/carts\/customer-id=([^/]+)\/merge$/.exec(route))) {
    const customer = state.customers.get(decodeURIComponent(m[1]!));
    if (!customer) throw notFoundById(decodeURIComponent(m[1]!));
    const body = parseJson(req.body);
    const anonymousId = typeof body.anonymousId === 'string' ? body.anonymousId : undefined;
    if (!body.anonymousCart && anonymousId === undefined) {
      throw invalidInput('Either anonymousCart or anonymousId is required.');
    }
    const anonymousCart = body.anonymousCart ? resolveCartReference(state, body.anonymousCart) : state.activeAnonymousCart(anonymousId!);
    const mode = signInMode(body.mergeMode, 'mergeMode');
    const cart = applySignIn(state, options, { customer, anonymousCart, anonymousId, mode });
    if (!cart) throw resourceNotFound('No active cart exists.');
    return ok(clone(cart));
  }

  if (route === 'POST /carts') {
    const cart = cartFromDraft(parseJson(req.body), { now });
    if (cart.customerId && !state.customers.has(cart.customerId)) throw notFoundById(cart.customerId);
    state.saveCart(cart);
    return ok(clone(cart), 201);
  }

  if ((m = /^(GET|POST) \/carts\/([^/]+)$/.exec(route))) {
    const cart = state.carts.get(m[2]!);
    if (!cart) throw notFoundById(m[2]!);
    return m[1] === 'GET' ? ok(clone(cart)) : updateCart(ctx, cart, req.body, false);
  }

  throw resourceNotFound(`URI not found: /${projectKey}/${rest.join('/')}`);
}

function updateCart(ctx: ApiContext, cart: Cart, body: string, me: boolean): RouteResult {
  const updated = applyCartUpdate(cart, parseJson(body), { now: ctx.state.nowIso(), me });
  if (updated !== cart) ctx.state.saveCart(updated);
  return ok(clone(updated));
}
