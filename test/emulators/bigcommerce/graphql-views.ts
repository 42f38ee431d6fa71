import type { BcCart, BcCustomer, BcCustomerAccessToken } from './bigcommerce-state.js';
import type { GraphQLObject } from './graphql-executor.js';

// GraphQL object shapes returned to clients (field names as in commerce-apis.md A2/A4).

const dateTime = (ms: number): GraphQLObject => ({ __typename: 'DateTimeExtended', utc: new Date(ms).toISOString() });

export function customerView(customer: BcCustomer): GraphQLObject {
  return {
    __typename: 'Customer',
    entityId: customer.entityId,
    email: customer.email,
    firstName: customer.firstName,
    lastName: customer.lastName,
  };
}

export function accessTokenView(token: BcCustomerAccessToken): GraphQLObject {
  return {
    __typename: 'CustomerAccessToken',
    value: token.value,
    expiresAt: new Date(token.expiresAt).toISOString(),
  };
}

export function cartView(cart: BcCart | undefined | null): GraphQLObject | null {
  if (!cart) return null;
  const physicalItems = cart.lineItems.map((line) => ({
    __typename: 'CartPhysicalItem',
    entityId: line.entityId,
    productEntityId: line.productEntityId,
    variantEntityId: line.variantEntityId,
    quantity: line.quantity,
    name: line.name,
  }));
  return {
    __typename: 'Cart',
    entityId: cart.entityId,
    currencyCode: cart.currencyCode,
    isTaxIncluded: false,
    createdAt: dateTime(cart.createdAt),
    updatedAt: dateTime(cart.updatedAt),
    lineItems: {
      __typename: 'CartLineItems',
      physicalItems,
      digitalItems: [],
      customItems: [],
      giftCertificates: [],
      totalQuantity: cart.lineItems.reduce((sum, line) => sum + line.quantity, 0),
    },
  };
}
