import { randomBytes } from 'node:crypto';
import type { BcCart } from './bigcommerce-state.js';
import { lineItemInputs, optionalString, requiredObject } from './graphql-args.js';
import { FieldError, ValidationError, type GraphQLObject } from './graphql-executor.js';
import { cartView } from './graphql-views.js';
import { requireCustomer } from './login-operations.js';
import type { OperationContext } from './operation-context.js';

// `cart { ... }` mutations and `site { cart }`, commerce-apis.md A4 and C1.6.

/** A guest cart is readable by anyone holding its id; a customer's cart only with their CAT. */
export function accessibleCart(ctx: OperationContext, entityId: string | undefined): BcCart | undefined {
  if (entityId === undefined) return ctx.customer ? ctx.state.customerCart(ctx.customer.entityId) : undefined;
  const cart = ctx.state.carts.get(entityId);
  if (!cart) return undefined;
  if (cart.customerEntityId !== null && cart.customerEntityId !== ctx.customer?.entityId) return undefined;
  return cart;
}

const notFound = (message: string): GraphQLObject => ({
  __typename: 'NotFoundError',
  __interfaces: ['Error'],
  message,
});

export function createCartRedirectUrls(ctx: OperationContext, args: Record<string, unknown>): GraphQLObject {
  const input = (args.input ?? {}) as Record<string, unknown>;
  const cart = accessibleCart(ctx, optionalString(input, 'cartEntityId', 'createCartRedirectUrls'));
  if (!cart) {
    return { __typename: 'CreateCartRedirectUrlsResult', errors: [notFound('Cart not found')], redirectUrls: null };
  }
  const extra = new URLSearchParams();
  for (const param of (input.queryParams ?? []) as Array<{ key?: unknown; value?: unknown }>) {
    if (typeof param.key === 'string' && typeof param.value === 'string') extra.append(param.key, param.value);
  }
  const url = (embedded: boolean) => {
    const token = randomBytes(16).toString('hex');
    ctx.state.checkoutRedirects.set(token, {
      token,
      cartEntityId: cart.entityId,
      customerEntityId: ctx.customer?.entityId ?? null,
      embedded,
      issuedAt: ctx.now(),
      used: false,
    });
    const query = new URLSearchParams({ action: 'loadInCheckout', id: cart.entityId, token });
    if (embedded) query.set('embedded', '1');
    extra.forEach((value, key) => query.append(key, value));
    return `${ctx.baseUrl}/cart.php?${query.toString()}`;
  };
  return {
    __typename: 'CreateCartRedirectUrlsResult',
    errors: [],
    redirectUrls: {
      __typename: 'CartRedirectUrls',
      redirectedCheckoutUrl: url(false),
      embeddedCheckoutUrl: url(true),
    },
  };
}

export function createCart(ctx: OperationContext, args: Record<string, unknown>): GraphQLObject {
  const input = requiredObject(args, 'input', 'createCart');
  const lines = lineItemInputs(input.lineItems ?? [], 'createCart');
  const currency = optionalString(input, 'currencyCode', 'createCart');
  const cart = ctx.state.createCart(lines, ctx.customer?.entityId ?? null, currency);
  return { __typename: 'CreateCartResult', cart: cartView(cart) };
}

export function addCartLineItems(ctx: OperationContext, args: Record<string, unknown>): GraphQLObject {
  const input = requiredObject(args, 'input', 'addCartLineItems');
  const cartEntityId = optionalString(input, 'cartEntityId', 'addCartLineItems');
  if (!cartEntityId) throw new ValidationError('Field "addCartLineItems": input.cartEntityId is required.');
  const data = (input.data ?? {}) as Record<string, unknown>;
  const lines = lineItemInputs(data.lineItems ?? [], 'addCartLineItems');
  const cart = accessibleCart(ctx, cartEntityId);
  if (!cart) throw new FieldError('Cart not found');
  ctx.state.addLines(cart, lines);
  return { __typename: 'AddCartLineItemsResult', cart: cartView(cart) };
}

export function assignCartToCustomer(ctx: OperationContext, args: Record<string, unknown>): GraphQLObject {
  const customer = requireCustomer(ctx);
  const input = requiredObject(args, 'input', 'assignCartToCustomer');
  const cart = accessibleCart(ctx, optionalString(input, 'cartEntityId', 'assignCartToCustomer'));
  if (!cart) throw new FieldError('Cart not found');
  cart.customerEntityId = customer.entityId;
  ctx.state.touch(cart);
  return { __typename: 'AssignCartToCustomerResult', cart: cartView(cart) };
}

export function unassignCartFromCustomer(ctx: OperationContext, args: Record<string, unknown>): GraphQLObject {
  const customer = requireCustomer(ctx);
  const input = requiredObject(args, 'input', 'unassignCartFromCustomer');
  const cart = accessibleCart(ctx, optionalString(input, 'cartEntityId', 'unassignCartFromCustomer'));
  if (!cart || cart.customerEntityId !== customer.entityId) throw new FieldError('Cart not found');
  cart.customerEntityId = null;
  ctx.state.touch(cart);
  return { __typename: 'UnassignCartFromCustomerResult', cart: cartView(cart) };
}
