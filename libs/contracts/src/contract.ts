import { AdminAuditTailInput, AdminGetSessionInput, AdminRevokeInput } from './dto/admin.inputs.js';
import { CartAddItemInput, CartLineInput, CartSetQuantityInput, WishlistItemInput } from './dto/basket.inputs.js';
import {
  CustomerLoginUrlInput,
  DestroyForUserInput,
  ListSessionsInput,
  LoginInput,
  ProviderCartInput,
  UpdateCustomDataInput,
  UpdateUserInput,
} from './dto/session.inputs.js';
import { ReauthenticateInput, type ReauthenticateResult } from './dto/reauthenticate.input.js';
import type {
  AdminGetSessionResult,
  AdminRevokeResult,
  AdminStatsResult,
  AuditTailResult,
  CartResult,
  CheckoutRedirectUrlsResult,
  CustomerLoginUrlResult,
  DestroyResult,
  LoginResult,
  ProviderCartResult,
  ProviderTokenResult,
  ResolveResult,
  SessionListResult,
  WishlistResult,
} from './results.js';
import { method } from './rpc-contract.js';
import { Scopes } from './scopes.js';

const { read, write, admin, tokens } = Scopes;

/**
 * Contract v1, one entry per pattern: the handler (`@RpcMethod(Contract.x)`), the typed
 * client's method and the docs all follow from it. Patterns and client names are public
 * API: add freely, never rename.
 */
export const Contract = {
  sessionResolve: method<void, ResolveResult>()({ pattern: 'session.resolve', client: 'resolve', scopes: [read], session: true }),
  sessionLogin: method<LoginInput, LoginResult>()({
    pattern: 'session.login',
    client: 'login',
    scopes: [write],
    input: LoginInput,
    session: true,
  }),
  sessionReauthenticate: method<ReauthenticateInput, ReauthenticateResult>()({
    pattern: 'session.reauthenticate',
    client: 'reauthenticate',
    scopes: [write],
    input: ReauthenticateInput,
    session: true,
  }),
  sessionLogout: method<void, null>()({ pattern: 'session.logout', client: 'logout', scopes: [write], session: true }),
  sessionUpdateUser: method<UpdateUserInput, ResolveResult>()({
    pattern: 'session.updateUser',
    client: 'updateUser',
    scopes: [write],
    input: UpdateUserInput,
    session: true,
  }),
  sessionUpdateCustomData: method<UpdateCustomDataInput, ResolveResult>()({
    pattern: 'session.updateCustomData',
    client: 'updateCustomData',
    scopes: [write],
    input: UpdateCustomDataInput,
    session: true,
  }),
  sessionDestroy: method<void, null>()({ pattern: 'session.destroy', client: 'destroy', scopes: [write], session: true }),
  sessionDestroyForUser: method<DestroyForUserInput, DestroyResult>()({
    pattern: 'session.destroyForUser',
    client: 'destroyForUser',
    scopes: [write],
    input: DestroyForUserInput,
    session: true,
  }),
  sessionProviderToken: method<void, ProviderTokenResult>()({
    pattern: 'session.providerToken',
    client: 'providerToken',
    scopes: [tokens],
    session: true,
  }),
  ssoCustomerLoginUrl: method<CustomerLoginUrlInput, CustomerLoginUrlResult>()({
    pattern: 'sso.customerLoginUrl',
    client: 'customerLoginUrl',
    scopes: [write],
    input: CustomerLoginUrlInput,
    session: true,
  }),
  checkoutRedirectUrls: method<void, CheckoutRedirectUrlsResult>()({
    pattern: 'checkout.redirectUrls',
    client: 'checkoutRedirectUrls',
    scopes: [write],
    session: true,
  }),
  providerCartGet: method<void, ProviderCartResult>()({
    pattern: 'providerCart.get',
    client: 'providerCart',
    scopes: [read],
    session: true,
  }),
  providerCartSet: method<ProviderCartInput, ProviderCartResult>()({
    pattern: 'providerCart.set',
    client: 'setProviderCart',
    scopes: [write],
    input: ProviderCartInput,
    session: true,
  }),
  adminSessionsList: method<ListSessionsInput, SessionListResult>()({
    pattern: 'admin.sessions.list',
    client: 'listSessions',
    scopes: [admin],
    input: ListSessionsInput,
    session: false,
  }),
  adminSessionsGet: method<AdminGetSessionInput, AdminGetSessionResult>()({
    pattern: 'admin.sessions.get',
    client: 'getSession',
    scopes: [admin],
    input: AdminGetSessionInput,
    session: false,
  }),
  adminSessionsRevoke: method<AdminRevokeInput, AdminRevokeResult>()({
    pattern: 'admin.sessions.revoke',
    client: 'revokeSessions',
    scopes: [admin],
    input: AdminRevokeInput,
    session: false,
  }),
  adminAuditTail: method<AdminAuditTailInput, AuditTailResult>()({
    pattern: 'admin.audit.tail',
    client: 'auditTail',
    scopes: [admin],
    input: AdminAuditTailInput,
    session: false,
  }),
  adminStats: method<void, AdminStatsResult>()({ pattern: 'admin.stats', client: 'adminStats', scopes: [admin], session: false }),
  accountLogoutOtherDevices: method<void, DestroyResult>()({
    pattern: 'account.logoutOtherDevices',
    client: 'logoutOtherDevices',
    scopes: [write],
    session: true,
  }),
  cartGet: method<void, CartResult>()({ pattern: 'cart.get', client: 'cart', scopes: [read], session: true }),
  cartAddItem: method<CartAddItemInput, CartResult>()({
    pattern: 'cart.addItem',
    client: 'addCartItem',
    scopes: [write],
    input: CartAddItemInput,
    session: true,
  }),
  cartSetQuantity: method<CartSetQuantityInput, CartResult>()({
    pattern: 'cart.setQuantity',
    client: 'setCartQuantity',
    scopes: [write],
    input: CartSetQuantityInput,
    session: true,
  }),
  cartRemoveItem: method<CartLineInput, CartResult>()({
    pattern: 'cart.removeItem',
    client: 'removeCartItem',
    scopes: [write],
    input: CartLineInput,
    session: true,
  }),
  cartClear: method<void, CartResult>()({ pattern: 'cart.clear', client: 'clearCart', scopes: [write], session: true }),
  wishlistGet: method<void, WishlistResult>()({ pattern: 'wishlist.get', client: 'wishlist', scopes: [read], session: true }),
  wishlistAdd: method<WishlistItemInput, WishlistResult>()({
    pattern: 'wishlist.add',
    client: 'addWishlistItem',
    scopes: [write],
    input: WishlistItemInput,
    session: true,
  }),
  wishlistRemove: method<WishlistItemInput, WishlistResult>()({
    pattern: 'wishlist.remove',
    client: 'removeWishlistItem',
    scopes: [write],
    input: WishlistItemInput,
    session: true,
  }),
  wishlistClear: method<void, WishlistResult>()({ pattern: 'wishlist.clear', client: 'clearWishlist', scopes: [write], session: true }),
} as const;

export type ContractTable = typeof Contract;
