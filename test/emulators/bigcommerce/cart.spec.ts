import { BigCommerceEmulator } from './bigcommerce-emulator.js';
import type { BigCommerceLineMergePolicy } from './cart-line-merge.js';
import { CART_QUERY, gql, LOGIN_MUTATION, LOGIN_WITH_JWT_MUTATION } from './graphql-test-client.js';

const CREATE_CART = `
mutation CreateCart($input: CreateCartInput!) {
  cart { createCart(input: $input) { cart { entityId lineItems { physicalItems { productEntityId quantity } } } } }
}`;
const ADD_LINES = `
mutation Add($input: AddCartLineItemsInput!) {
  cart { addCartLineItems(input: $input) { cart { entityId lineItems { totalQuantity } } } }
}`;
const REDIRECT_URLS = `
mutation Redirect($cartId: String!) {
  cart {
    createCartRedirectUrls(input: { cartEntityId: $cartId, queryParams: [{ key: "utm_source", value: "test" }] }) {
      errors { ... on NotFoundError { __typename } }
      redirectUrls { redirectedCheckoutUrl embeddedCheckoutUrl }
    }
  }
}`;

const lineSummary = (cart: {
  lineItems: { physicalItems: Array<{ productEntityId: number; variantEntityId: number | null; quantity: number }> };
}) => cart.lineItems.physicalItems.map((l) => [l.productEntityId, l.variantEntityId, l.quantity]);

describe('BigCommerce emulator: cart seeding and queries (C1.6)', () => {
  const bc = new BigCommerceEmulator();
  beforeAll(() => bc.start());
  afterAll(() => bc.stop());

  it('creates a guest cart, adds lines (same product+variant raises quantity) and reads it back', async () => {
    const created = await gql(bc, CREATE_CART, {
      input: { lineItems: [{ productEntityId: 77, variantEntityId: 1, quantity: 1 }] },
    });
    const cartId = created.body.data!.cart.createCart.cart.entityId as string;
    expect(created.body.data!.cart.createCart.cart.lineItems.physicalItems).toEqual([{ productEntityId: 77, quantity: 1 }]);

    const added = await gql(bc, ADD_LINES, {
      input: {
        cartEntityId: cartId,
        data: {
          lineItems: [
            { productEntityId: 77, variantEntityId: 1, quantity: 2 },
            { productEntityId: 5, quantity: 1 },
          ],
        },
      },
    });
    expect(added.body.data!.cart.addCartLineItems.cart.lineItems.totalQuantity).toBe(4);

    const read = await gql(bc, CART_QUERY, { id: cartId });
    expect(lineSummary(read.body.data!.site.cart)).toEqual([
      [77, 1, 3],
      [5, null, 1],
    ]);
    expect(bc.getCart(cartId)?.customerEntityId).toBeNull();
  });

  it("hides a customer's cart from requests without that customer's CAT", async () => {
    const owner = bc.addCustomer({ email: 'owner@example.com', password: 'pw' });
    const other = bc.addCustomer({ email: 'other@example.com', password: 'pw' });
    const cart = bc.addCart({ customerEntityId: owner.entityId, lineItems: [{ productEntityId: 1, quantity: 1 }] });
    expect((await gql(bc, CART_QUERY, { id: cart.entityId })).body.data).toEqual({ site: { cart: null } });
    const asOther = { 'X-Bc-Customer-Access-Token': bc.issueCustomerAccessToken(other.entityId) };
    expect((await gql(bc, CART_QUERY, { id: cart.entityId }, asOther)).body.data).toEqual({ site: { cart: null } });
    const asOwner = { 'X-Bc-Customer-Access-Token': bc.issueCustomerAccessToken(owner.entityId) };
    expect((await gql(bc, CART_QUERY, { id: cart.entityId }, asOwner)).body.data.site.cart.entityId).toBe(cart.entityId);
  });

  it('assigns and unassigns a cart with the customer CAT', async () => {
    const customer = bc.addCustomer({ email: 'assign@example.com', password: 'pw' });
    const headers = { 'X-Bc-Customer-Access-Token': bc.issueCustomerAccessToken(customer.entityId) };
    const cart = bc.addCart({ lineItems: [{ productEntityId: 3, quantity: 1 }] });
    const assign = await gql(
      bc,
      'mutation($id: String!) { cart { assignCartToCustomer(input: { cartEntityId: $id }) { cart { entityId } } } }',
      { id: cart.entityId },
      headers,
    );
    expect(assign.body.data.cart.assignCartToCustomer.cart.entityId).toBe(cart.entityId);
    expect(bc.getCart(cart.entityId)?.customerEntityId).toBe(customer.entityId);
    await gql(
      bc,
      'mutation($id: String!) { cart { unassignCartFromCustomer(input: { cartEntityId: $id }) { cart { entityId } } } }',
      { id: cart.entityId },
      headers,
    );
    expect(bc.getCart(cart.entityId)?.customerEntityId).toBeNull();
  });
});

describe('BigCommerce emulator: createCartRedirectUrls (A4)', () => {
  let now = Date.parse('2026-05-01T00:00:00Z');
  const bc = new BigCommerceEmulator({ now: () => now });
  beforeAll(() => bc.start());
  afterAll(() => bc.stop());

  it('returns NotFoundError for an unknown cart', async () => {
    const res = await gql(bc, REDIRECT_URLS, { cartId: '00000000-0000-4000-8000-000000000000' });
    expect(res.body.data.cart.createCartRedirectUrls).toEqual({ errors: [{ __typename: 'NotFoundError' }], redirectUrls: null });
  });

  it('issues single-use URLs that carry the customer when created with a CAT', async () => {
    const customer = bc.addCustomer({ email: 'c@example.com', password: 'pw' });
    const cart = bc.addCart({ customerEntityId: customer.entityId, lineItems: [{ productEntityId: 1, quantity: 1 }] });
    const headers = { 'X-Bc-Customer-Access-Token': bc.issueCustomerAccessToken(customer.entityId) };
    const res = await gql(bc, REDIRECT_URLS, { cartId: cart.entityId }, headers);
    const urls = res.body.data.cart.createCartRedirectUrls;
    expect(urls.errors).toEqual([]);
    const checkout = new URL(urls.redirectUrls.redirectedCheckoutUrl);
    expect(checkout.origin).toBe(bc.url);
    expect(checkout.searchParams.get('id')).toBe(cart.entityId);
    expect(checkout.searchParams.get('utm_source')).toBe('test');
    expect(new URL(urls.redirectUrls.embeddedCheckoutUrl).searchParams.get('embedded')).toBe('1');

    const first = await fetch(checkout, { redirect: 'manual' });
    expect(first.status).toBe(302);
    expect(bc.checkoutVisits.at(-1)).toEqual({ cartEntityId: cart.entityId, customerEntityId: customer.entityId, embedded: false });
    expect((await fetch(checkout, { redirect: 'manual' })).status).toBe(410);
  });

  it('lets redirect URLs lapse after 30 s', async () => {
    const cart = bc.addCart({ lineItems: [{ productEntityId: 1, quantity: 1 }] });
    const res = await gql(bc, REDIRECT_URLS, { cartId: cart.entityId });
    const { redirectedCheckoutUrl, embeddedCheckoutUrl } = res.body.data.cart.createCartRedirectUrls.redirectUrls;
    now += 30_000;
    expect((await fetch(redirectedCheckoutUrl, { redirect: 'manual' })).status).toBe(302);
    expect(bc.checkoutVisits.at(-1)?.customerEntityId).toBeNull();
    now += 1_000;
    expect((await fetch(embeddedCheckoutUrl, { redirect: 'manual' })).status).toBe(410);
  });
});

describe('BigCommerce emulator: guest cart at login (C1.7)', () => {
  const emulators: BigCommerceEmulator[] = [];
  const start = async (options: ConstructorParameters<typeof BigCommerceEmulator>[0] = {}) => {
    const bc = new BigCommerceEmulator(options);
    emulators.push(bc);
    await bc.start();
    const customer = bc.addCustomer({ email: 'shopper@example.com', password: 'pw' });
    return { bc, customer };
  };
  afterAll(() => Promise.all(emulators.map((e) => e.stop())));

  const login = (bc: BigCommerceEmulator, cartEntityId?: string) =>
    gql(bc, LOGIN_MUTATION, { email: 'shopper@example.com', password: 'pw', cartEntityId });

  it('no guest cart: returns the saved customer cart ("cart restored"), or null', async () => {
    const { bc, customer } = await start();
    expect((await login(bc)).body.data.login.cart).toBeNull();
    const saved = bc.addCart({ customerEntityId: customer.entityId, lineItems: [{ productEntityId: 1, quantity: 1 }] });
    expect((await login(bc)).body.data.login.cart).toEqual({ entityId: saved.entityId });
  });

  it('guest cart and no customer cart: the guest cart is assigned and keeps its id', async () => {
    const { bc, customer } = await start();
    const guest = bc.addCart({ lineItems: [{ productEntityId: 1, quantity: 2 }] });
    expect((await login(bc, guest.entityId)).body.data.login.cart).toEqual({ entityId: guest.entityId });
    expect(bc.getCart(guest.entityId)?.customerEntityId).toBe(customer.entityId);
  });

  it.each<[BigCommerceLineMergePolicy, Array<Array<number | null>>]>([
    [
      'sum',
      [
        [1, 10, 5],
        [2, null, 1],
        [3, null, 4],
      ],
    ],
    [
      'max',
      [
        [1, 10, 3],
        [2, null, 1],
        [3, null, 4],
      ],
    ],
    [
      'append',
      [
        [1, 10, 2],
        [2, null, 1],
        [1, 10, 3],
        [3, null, 4],
      ],
    ],
  ])('both carts: merges into the customer cart (different id) with policy %s', async (lineMergePolicy, expected) => {
    const { bc, customer } = await start({ lineMergePolicy });
    const saved = bc.addCart({
      customerEntityId: customer.entityId,
      lineItems: [
        { productEntityId: 1, variantEntityId: 10, quantity: 2 },
        { productEntityId: 2, quantity: 1 },
      ],
    });
    const guest = bc.addCart({
      lineItems: [
        { productEntityId: 1, variantEntityId: 10, quantity: 3 },
        { productEntityId: 3, quantity: 4 },
      ],
    });
    const res = await login(bc, guest.entityId);
    expect(res.body.data.login.cart).toEqual({ entityId: saved.entityId });
    expect(res.body.data.login.cart.entityId).not.toBe(guest.entityId);
    expect(bc.getCart(guest.entityId)).toBeUndefined();
    const cat = res.body.data.login.customerAccessToken.value as string;
    const read = await gql(bc, CART_QUERY, { id: saved.entityId }, { 'X-Bc-Customer-Access-Token': cat });
    expect(lineSummary(read.body.data.site.cart)).toEqual(expected);
  });

  it('applies the same rules to loginWithCustomerLoginJwt', async () => {
    const { bc, customer } = await start();
    const guest = bc.addCart({ lineItems: [{ productEntityId: 4, quantity: 1 }] });
    const res = await gql(bc, LOGIN_WITH_JWT_MUTATION, {
      jwt: bc.signCustomerLoginJwt({ customer_id: customer.entityId }),
      cartEntityId: guest.entityId,
    });
    expect(res.body.data.loginWithCustomerLoginJwt.cart).toEqual({ entityId: guest.entityId });
  });

  it("does not hand over another customer's cart; unknown carts are ignored or fail per unknownGuestCart", async () => {
    const { bc } = await start();
    const stranger = bc.addCustomer({ email: 's@example.com', password: 'pw' });
    const theirs = bc.addCart({ customerEntityId: stranger.entityId, lineItems: [{ productEntityId: 1, quantity: 1 }] });
    const res = await login(bc, theirs.entityId);
    expect(res.body.data.login.cart).toBeNull();
    expect(bc.getCart(theirs.entityId)?.customerEntityId).toBe(stranger.entityId);

    const strict = await start({ unknownGuestCart: 'error' });
    const failed = await login(strict.bc, '00000000-0000-4000-8000-000000000000');
    expect(failed.body).toEqual({
      data: null,
      errors: [{ message: 'Cart not found', path: ['login'], locations: [{ line: 3, column: 3 }] }],
    });
  });
});
