import type { BigCommerceEmulator } from './bigcommerce-emulator.js';

// Test-side helper: talks to the emulator over real HTTP like a storefront client would.

export interface GqlError {
  message: string;
  path: (string | number)[];
  locations: Array<{ line: number; column: number }>;
  extensions?: { code?: string; [k: string]: unknown };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test responses are read loosely
export interface GqlResult<T = any> {
  status: number;
  body: { data?: T | null; errors?: GqlError[] };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test responses are read loosely
export async function gql<T = any>(
  emulator: BigCommerceEmulator,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GqlResult<T>> {
  const res = await fetch(`${emulator.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${emulator.options.storefrontToken}`,
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as GqlResult<T>['body'] };
}

/** The operations Catalyst sends today (commerce-apis.md A2), plus `expiresAt`. */
export const LOGIN_MUTATION = `
mutation LoginMutation($email: String!, $password: String!, $cartEntityId: String) {
  login(email: $email, password: $password, guestCartEntityId: $cartEntityId) {
    customerAccessToken { value expiresAt }
    customer { entityId firstName lastName email }
    cart { entityId }
  }
}`;

export const LOGIN_WITH_JWT_MUTATION = `
mutation LoginWithCustomerLoginJwtMutation($jwt: String!, $cartEntityId: String) {
  loginWithCustomerLoginJwt(jwt: $jwt, guestCartEntityId: $cartEntityId) {
    customerAccessToken { value }
    customer { entityId firstName lastName email }
    cart { entityId }
  }
}`;

export const LOGOUT_MUTATION = `
mutation LogoutMutation($cartEntityId: String) {
  logout(cartEntityId: $cartEntityId) {
    result
    cartUnassignResult { cart { entityId } }
  }
}`;

export const CART_QUERY = `
query Cart($id: String) {
  site { cart(entityId: $id) { entityId lineItems { physicalItems { productEntityId variantEntityId quantity } totalQuantity } } }
}`;
