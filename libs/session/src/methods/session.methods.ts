import { Controller } from '@nestjs/common';
import {
  Contract,
  ErrorCodes,
  Scopes,
  type CheckoutRedirectUrlsResult,
  type CustomerLoginUrlInput,
  type CustomerLoginUrlResult,
  type DestroyForUserInput,
  type DestroyResult,
  type LoginInput,
  type LoginResult,
  type ProviderCartInput,
  type ProviderCartResult,
  type ProviderTokenResult,
  type ResolveResult,
  type SessionUser,
  type UpdateCustomDataInput,
  type UpdateUserInput,
} from '#libs/contracts';
import { SessionError } from '../core/session-error.js';
import type { RpcContext } from '../rpc/rpc-context.js';
import { RpcMethod } from '../rpc/rpc-method.decorator.js';

/** The built-in session.* methods, registered exactly as a team registers its own. */
@Controller()
export class SessionMethods {
  @RpcMethod(Contract.sessionResolve)
  resolve(ctx: RpcContext): ResolveResult {
    return { user: ctx.user, customData: ctx.customData };
  }

  @RpcMethod(Contract.sessionLogin)
  async login(ctx: RpcContext, input: LoginInput): Promise<LoginResult> {
    if ([input.user, input.credentials, input.customerLoginJwt].filter((v) => v !== undefined).length > 1) {
      throw new SessionError(ErrorCodes.validationFailed, 'send one of user, credentials, customerLoginJwt', [
        { field: 'data', message: 'send exactly one of user, credentials, customerLoginJwt' },
      ]);
    }
    const merge = input.credentials
      ? await ctx.provider.login(
          { email: input.credentials.email, password: input.credentials.password },
          input.clientKey === undefined ? {} : { clientKey: input.clientKey },
        )
      : input.customerLoginJwt !== undefined
        ? await ctx.provider.loginWithCustomerLoginJwt(input.customerLoginJwt)
        : await ctx.login(plainUser(input.user!));
    ctx.log.log('logged in');
    return { user: ctx.user!, ...merge };
  }

  /** The shopper's commerce-provider token: only for callers with `session:tokens`. */
  @RpcMethod(Contract.sessionProviderToken)
  async providerToken(ctx: RpcContext): Promise<ProviderTokenResult> {
    const token = await ctx.provider.token();
    return { accessToken: token.accessToken, expiresAt: new Date(token.expirationTime).toISOString(), anonymous: token.anonymous };
  }

  /** The cart id (and last order) the session keeps at the provider, on shops with `cart.owner: provider`. */
  @RpcMethod(Contract.providerCartGet)
  providerCart(ctx: RpcContext): ProviderCartResult {
    return ctx.provider.cart();
  }

  /** Records the cart the storefront created at the provider (or the order it became). */
  @RpcMethod(Contract.providerCartSet)
  setProviderCart(ctx: RpcContext, input: ProviderCartInput): Promise<ProviderCartResult> {
    return ctx.provider.setCart({
      ...(input.cartId !== undefined ? { cartId: input.cartId } : {}),
      ...(input.lastOrderId !== undefined ? { lastOrderId: input.lastOrderId } : {}),
    });
  }

  /** BigCommerce SSO: a single-use, 30-second link that logs the session's user in on the hosted storefront. */
  @RpcMethod(Contract.ssoCustomerLoginUrl)
  customerLoginUrl(ctx: RpcContext, input: CustomerLoginUrlInput): CustomerLoginUrlResult {
    return { url: ctx.provider.customerLoginUrl(input.redirectTo) };
  }

  /** Hosted-checkout URLs carrying the customer and cart (BigCommerce createCartRedirectUrls). */
  @RpcMethod(Contract.checkoutRedirectUrls)
  checkoutRedirectUrls(ctx: RpcContext): Promise<CheckoutRedirectUrlsResult> {
    return ctx.provider.checkoutRedirectUrls();
  }

  @RpcMethod(Contract.sessionLogout)
  async logout(ctx: RpcContext): Promise<null> {
    await ctx.destroySession();
    return null;
  }

  @RpcMethod(Contract.sessionUpdateUser)
  async updateUser(ctx: RpcContext, input: UpdateUserInput): Promise<ResolveResult> {
    await ctx.updateUser(plainUser(input.user));
    return { user: ctx.user, customData: ctx.customData };
  }

  @RpcMethod(Contract.sessionUpdateCustomData)
  async updateCustomData(ctx: RpcContext, input: UpdateCustomDataInput): Promise<ResolveResult> {
    await ctx.updateCustomData(input.customData);
    return { user: ctx.user, customData: ctx.customData };
  }

  @RpcMethod(Contract.sessionDestroy)
  async destroy(ctx: RpcContext): Promise<null> {
    await ctx.destroySession();
    return null;
  }

  /** Allowed for a `session:admin` caller, or for the session's own user. */
  @RpcMethod(Contract.sessionDestroyForUser)
  async destroyForUser(ctx: RpcContext, input: DestroyForUserInput): Promise<DestroyResult> {
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
