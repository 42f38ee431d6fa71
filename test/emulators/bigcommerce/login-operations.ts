import { randomUUID } from 'node:crypto';
import type { BcCart, BcCustomer } from './bigcommerce-state.js';
import { mergeLineItems } from './cart-line-merge.js';
import { storeCustomerLoginCheck, verifyCustomerLoginJwt } from './customer-login-jwt.js';
import { optionalString, requiredString } from './graphql-args.js';
import { FieldError, type GraphQLObject } from './graphql-executor.js';
import type { OperationContext } from './operation-context.js';
import { accessTokenView, cartView, customerView } from './graphql-views.js';

// login / loginWithCustomerLoginJwt / logout, commerce-apis.md A2, C1.2, C1.3, C1.5, C1.7.

export const MISSING_CAT_CODE = 'MISSING_CUSTOMER_ACCESS_TOKEN';

export function requireCustomer(ctx: OperationContext): BcCustomer {
  if (!ctx.customer) {
    throw new FieldError('A customer access token is required for this operation.', { code: MISSING_CAT_CODE });
  }
  return ctx.customer;
}

export function login(ctx: OperationContext, args: Record<string, unknown>): GraphQLObject {
  const email = requiredString(args, 'email', 'login');
  const password = requiredString(args, 'password', 'login');
  const guestCartEntityId = optionalString(args, 'guestCartEntityId', 'login');
  const customer = ctx.state.findCustomerByEmail(email);
  if (!customer || customer.password !== password) throw new FieldError('Invalid credentials');
  // Only after the password matched, so the reset message does not reveal which emails exist.
  if (customer.passwordResetRequired) throw new FieldError(ctx.options.passwordResetMessage);
  return loginResult(ctx, customer, guestCartEntityId);
}

export function loginWithCustomerLoginJwt(ctx: OperationContext, args: Record<string, unknown>): GraphQLObject {
  const jwt = requiredString(args, 'jwt', 'loginWithCustomerLoginJwt');
  const guestCartEntityId = optionalString(args, 'guestCartEntityId', 'loginWithCustomerLoginJwt');
  const result = verifyCustomerLoginJwt(
    jwt,
    storeCustomerLoginCheck({ state: ctx.state, options: ctx.options, nowMs: ctx.now(), requestIp: ctx.requestIp }),
  );
  if (!result.ok) throw new FieldError(`Invalid JWT: ${result.reason}`);
  return loginResult(ctx, ctx.state.customers.get(result.claims.customer_id)!, guestCartEntityId);
}

export function logout(ctx: OperationContext, args: Record<string, unknown>): GraphQLObject {
  const customer = requireCustomer(ctx);
  const cartEntityId = optionalString(args, 'cartEntityId', 'logout');
  const token = ctx.accessToken ? ctx.state.accessTokens.get(ctx.accessToken) : undefined;
  if (token) token.revoked = true;

  // Persistent cart off: the cart is unassigned and handed back for a new guest session.
  // Persistent cart on: it stays with the customer and null is returned (C1.5).
  let unassigned: BcCart | undefined;
  const cart = cartEntityId ? ctx.state.carts.get(cartEntityId) : undefined;
  if (cart && cart.customerEntityId === customer.entityId && !ctx.options.persistentCart) {
    cart.customerEntityId = null;
    ctx.state.touch(cart);
    unassigned = cart;
  }
  return {
    __typename: 'LogoutResult',
    result: 'success',
    cartUnassignResult: { __typename: 'UnassignCartFromCustomerResult', cart: cartView(unassigned) },
  };
}

function loginResult(ctx: OperationContext, customer: BcCustomer, guestCartEntityId: string | undefined): GraphQLObject {
  const cart = resolveLoginCart(ctx, customer, guestCartEntityId);
  const token = ctx.state.issueAccessToken(customer.entityId, ctx.options.customerAccessTokenTtlSeconds);
  return {
    __typename: 'LoginResult',
    result: 'success',
    customer: customerView(customer),
    customerAccessToken: accessTokenView(token),
    cart: cartView(cart),
  };
}

/** C1.7: restore the saved cart, adopt the guest cart, or fold it into the saved one. */
function resolveLoginCart(ctx: OperationContext, customer: BcCustomer, guestCartEntityId: string | undefined) {
  const saved = ctx.state.customerCart(customer.entityId);
  if (guestCartEntityId === undefined) return saved;

  const guest = ctx.state.carts.get(guestCartEntityId);
  if (guest?.customerEntityId === customer.entityId) return guest;
  if (!guest || guest.customerEntityId !== null) {
    if (ctx.options.unknownGuestCart === 'error') throw new FieldError('Cart not found');
    return saved;
  }
  if (!saved) {
    guest.customerEntityId = customer.entityId;
    ctx.state.touch(guest);
    return guest;
  }
  saved.lineItems = mergeLineItems(saved.lineItems, guest.lineItems, ctx.options.lineMergePolicy, randomUUID);
  ctx.state.touch(saved);
  ctx.state.carts.delete(guest.entityId);
  return saved;
}
