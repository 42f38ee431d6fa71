import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ResolvedBigCommerceOptions } from './bigcommerce-options.js';
import type { BigCommerceState } from './bigcommerce-state.js';
import { storeCustomerLoginCheck, verifyCustomerLoginJwt } from './customer-login-jwt.js';
import { redirect, sendHtml } from './http-helpers.js';

// Browser-facing storefront URLs: the SSO access URL (A3) and checkout redirect URLs (A4).

export interface StorefrontLogin {
  customerEntityId: number;
  redirectTo: string;
  sessionToken: string;
}

export interface CheckoutVisit {
  cartEntityId: string;
  customerEntityId: number | null;
  embedded: boolean;
}

export interface StorefrontRouteContext {
  state: BigCommerceState;
  options: ResolvedBigCommerceOptions;
  now: () => number;
  requestIp: string;
  storefrontLogins: StorefrontLogin[];
  checkoutVisits: CheckoutVisit[];
}

/** GET /login/token/{jwt}: 302 to `redirect_to` (default /account.php), or an error page. */
export function handleLoginToken(ctx: StorefrontRouteContext, res: ServerResponse, jwt: string): void {
  const result = verifyCustomerLoginJwt(
    jwt,
    storeCustomerLoginCheck({ state: ctx.state, options: ctx.options, nowMs: ctx.now(), requestIp: ctx.requestIp }),
  );
  if (!result.ok) {
    sendHtml(res, 401, `Invalid login token: ${result.reason}`);
    return;
  }
  const redirectTo = result.claims.redirect_to ?? '/account.php';
  const sessionToken = randomBytes(16).toString('hex');
  ctx.storefrontLogins.push({ customerEntityId: result.claims.customer_id, redirectTo, sessionToken });
  redirect(res, redirectTo, { 'set-cookie': `SHOP_SESSION_TOKEN=${sessionToken}; Path=/; HttpOnly; SameSite=Lax` });
}

/** GET /cart.php?action=loadInCheckout&id=...&token=...: single use, valid for `redirectUrlTtlSeconds`. */
export function handleCheckoutRedirect(ctx: StorefrontRouteContext, res: ServerResponse, query: URLSearchParams): void {
  const record = ctx.state.checkoutRedirects.get(query.get('token') ?? '');
  const expired = record && ctx.now() - record.issuedAt > ctx.options.redirectUrlTtlSeconds * 1000;
  if (!record || record.used || expired || record.cartEntityId !== query.get('id')) {
    sendHtml(res, 410, 'This checkout link is invalid, expired or was already used.');
    return;
  }
  record.used = true;
  ctx.checkoutVisits.push({
    cartEntityId: record.cartEntityId,
    customerEntityId: record.customerEntityId,
    embedded: record.embedded,
  });
  redirect(res, record.embedded ? '/embedded-checkout' : '/checkout');
}
