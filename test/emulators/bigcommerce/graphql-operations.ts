import {
  accessibleCart,
  addCartLineItems,
  assignCartToCustomer,
  createCart,
  createCartRedirectUrls,
  unassignCartFromCustomer,
} from './cart-operations.js';
import { optionalString } from './graphql-args.js';
import type { GraphQLObject } from './graphql-executor.js';
import { cartView, customerView } from './graphql-views.js';
import { login, loginWithCustomerLoginJwt, logout, requireCustomer } from './login-operations.js';
import type { OperationContext } from './operation-context.js';

/** Root fields typed non-null in the storefront schema (A2: `login(...): LoginResult!`, `logout: LogoutResult!`). */
export const NON_NULL_ROOT_FIELDS: ReadonlySet<string> = new Set(['login', 'loginWithCustomerLoginJwt', 'logout']);

export function mutationRoot(ctx: OperationContext): GraphQLObject {
  return {
    __typename: 'Mutation',
    login: (args: Record<string, unknown>) => login(ctx, args),
    loginWithCustomerLoginJwt: (args: Record<string, unknown>) => loginWithCustomerLoginJwt(ctx, args),
    logout: (args: Record<string, unknown>) => logout(ctx, args),
    cart: {
      __typename: 'CartMutations',
      createCartRedirectUrls: (args: Record<string, unknown>) => createCartRedirectUrls(ctx, args),
      createCart: (args: Record<string, unknown>) => createCart(ctx, args),
      addCartLineItems: (args: Record<string, unknown>) => addCartLineItems(ctx, args),
      assignCartToCustomer: (args: Record<string, unknown>) => assignCartToCustomer(ctx, args),
      unassignCartFromCustomer: (args: Record<string, unknown>) => unassignCartFromCustomer(ctx, args),
    },
  };
}

export function queryRoot(ctx: OperationContext): GraphQLObject {
  return {
    __typename: 'Query',
    // C1.4: customer-only field; without a CAT it errors with MISSING_CUSTOMER_ACCESS_TOKEN.
    customer: () => customerView(requireCustomer(ctx)),
    site: {
      __typename: 'Site',
      cart: (args: Record<string, unknown>) => cartView(accessibleCart(ctx, optionalString(args, 'entityId', 'cart'))),
    },
  };
}
