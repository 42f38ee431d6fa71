import { Controller } from '@nestjs/common';
import {
  CustomerLoginUrlInput, DestroyForUserInput, ErrorCodes, LoginInput, Patterns, ProviderCartInput, Scopes, UpdateCustomDataInput, UpdateUserInput,
  type CheckoutRedirectUrlsResult, type CustomerLoginUrlResult, type DestroyResult, type LoginResult, type ProviderCartResult, type ProviderTokenResult, type ResolveResult, type SessionUser,
} from '#libs/contracts';
import { SessionError } from '../core/session-error.js';
import type { RpcContext } from '../rpc/rpc-context.js';
import { RpcMethod } from '../rpc/rpc-method.decorator.js';
import { Input, RpcCtx } from '../rpc/rpc-params.decorators.js';

/** The built-in session.* methods, registered exactly as a team registers its own. */
@Controller()
export class SessionMethods {
  @RpcMethod(Patterns.sessionResolve, { scopes: [Scopes.read] })
  resolve(@RpcCtx() ctx: RpcContext): ResolveResult {
    return { user: ctx.user, customData: ctx.customData };
  }

  @RpcMethod(Patterns.sessionLogin, { scopes: [Scopes.write], input: LoginInput })
  async login(@Input() input: LoginInput, @RpcCtx() ctx: RpcContext): Promise<LoginResult> {
    if ([input.user, input.credentials, input.customerLoginJwt].filter((v) => v !== undefined).length > 1) {
      throw new SessionError(ErrorCodes.validationFailed, 'send one of user, credentials, customerLoginJwt', [
        { field: 'data', message: 'send exactly one of user, credentials, customerLoginJwt' },
      ]);
    }
    const merge = input.credentials
      ? await ctx.loginWithProvider({ email: input.credentials.email, password: input.credentials.password }, input.clientKey === undefined ? {} : { clientKey: input.clientKey })
      : input.customerLoginJwt !== undefined
        ? await ctx.loginWithCustomerLoginJwt(input.customerLoginJwt)
        : await ctx.login(plainUser(input.user!));
    ctx.log.log('logged in');
    return { user: ctx.user!, ...merge };
  }

  /** The shopper's commerce-provider token: only for callers with `session:tokens`. */
  @RpcMethod(Patterns.sessionProviderToken, { scopes: [Scopes.tokens] })
  async providerToken(@RpcCtx() ctx: RpcContext): Promise<ProviderTokenResult> {
    const token = await ctx.providerToken();
    return { accessToken: token.accessToken, expiresAt: new Date(token.expirationTime).toISOString(), anonymous: token.anonymous };
  }

  /** The cart id (and last order) the session keeps at the provider, on shops with `cart.owner: provider`. */
  @RpcMethod(Patterns.providerCartGet, { scopes: [Scopes.read] })
  providerCart(@RpcCtx() ctx: RpcContext): ProviderCartResult {
    return ctx.providerCart();
  }

  /** Records the cart the storefront created at the provider (or the order it became). */
  @RpcMethod(Patterns.providerCartSet, { scopes: [Scopes.write], input: ProviderCartInput })
  setProviderCart(@Input() input: ProviderCartInput, @RpcCtx() ctx: RpcContext): Promise<ProviderCartResult> {
    return ctx.setProviderCart({
      ...(input.cartId !== undefined ? { cartId: input.cartId } : {}),
      ...(input.lastOrderId !== undefined ? { lastOrderId: input.lastOrderId } : {}),
    });
  }

  /** BigCommerce SSO: a single-use, 30-second link that logs the session's user in on the hosted storefront. */
  @RpcMethod(Patterns.ssoCustomerLoginUrl, { scopes: [Scopes.write], input: CustomerLoginUrlInput })
  customerLoginUrl(@Input() input: CustomerLoginUrlInput, @RpcCtx() ctx: RpcContext): CustomerLoginUrlResult {
    return { url: ctx.customerLoginUrl(input.redirectTo) };
  }

  /** Hosted-checkout URLs carrying the customer and cart (BigCommerce createCartRedirectUrls). */
  @RpcMethod(Patterns.checkoutRedirectUrls, { scopes: [Scopes.write] })
  checkoutRedirectUrls(@RpcCtx() ctx: RpcContext): Promise<CheckoutRedirectUrlsResult> {
    return ctx.checkoutRedirectUrls();
  }

  @RpcMethod(Patterns.sessionLogout, { scopes: [Scopes.write] })
  async logout(@RpcCtx() ctx: RpcContext): Promise<null> {
    await ctx.destroySession();
    return null;
  }

  @RpcMethod(Patterns.sessionUpdateUser, { scopes: [Scopes.write], input: UpdateUserInput })
  async updateUser(@Input() input: UpdateUserInput, @RpcCtx() ctx: RpcContext): Promise<ResolveResult> {
    await ctx.updateUser(plainUser(input.user));
    return { user: ctx.user, customData: ctx.customData };
  }

  @RpcMethod(Patterns.sessionUpdateCustomData, { scopes: [Scopes.write], input: UpdateCustomDataInput })
  async updateCustomData(@Input() input: UpdateCustomDataInput, @RpcCtx() ctx: RpcContext): Promise<ResolveResult> {
    await ctx.updateCustomData(input.customData);
    return { user: ctx.user, customData: ctx.customData };
  }

  @RpcMethod(Patterns.sessionDestroy, { scopes: [Scopes.write] })
  async destroy(@RpcCtx() ctx: RpcContext): Promise<null> {
    await ctx.destroySession();
    return null;
  }

  /** Allowed for a `session:admin` caller, or for the session's own user. */
  @RpcMethod(Patterns.sessionDestroyForUser, { scopes: [Scopes.write], input: DestroyForUserInput })
  async destroyForUser(@Input() input: DestroyForUserInput, @RpcCtx() ctx: RpcContext): Promise<DestroyResult> {
    if (!ctx.caller.scopes.has(Scopes.admin) && ctx.user?.id !== input.userId) {
      throw new SessionError(ErrorCodes.forbidden, `destroying another user's sessions needs scope ${Scopes.admin}`);
    }
    const destroyed = await ctx.destroySessionsForUserId(input.userId, input.sessionsToKeep ?? []);
    ctx.log.log(`destroyed ${destroyed} session(s) of a user`);
    return { destroyed };
  }
}

/** class-transformer instance -> plain JSON object. */
function plainUser(user: object): SessionUser {
  return { ...user } as SessionUser;
}
