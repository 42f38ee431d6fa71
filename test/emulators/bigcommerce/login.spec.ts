import { BigCommerceEmulator } from './bigcommerce-emulator.js';
import { gql, LOGIN_MUTATION, LOGOUT_MUTATION } from './graphql-test-client.js';

const CUSTOMER_QUERY = 'query { customer { entityId email } }';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('BigCommerce emulator: login, CAT handling, logout (commerce-apis.md A1, A2, C1)', () => {
  let now = Date.parse('2026-03-01T10:00:00.000Z');
  const bc = new BigCommerceEmulator({ now: () => now, customerAccessTokenTtlSeconds: 3600 });

  beforeAll(async () => {
    await bc.start();
    bc.addCustomer({ entityId: 123, email: 'jane@example.com', password: 'pw-jane', firstName: 'Jane', lastName: 'Doe' });
    bc.addCustomer({ entityId: 124, email: 'reset@example.com', password: 'pw-reset', passwordResetRequired: true });
  });
  afterAll(() => bc.stop());

  const loginJane = async () => {
    const res = await gql(bc, LOGIN_MUTATION, { email: 'jane@example.com', password: 'pw-jane' });
    return res.body.data!.login.customerAccessToken.value as string;
  };

  it('rejects a missing or wrong storefront token with 401 and an errors array', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token']) {
      const res = await fetch(`${bc.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ query: CUSTOMER_QUERY }),
      });
      expect(res.status).toBe(401);
      const body = (await res.json()) as { errors: Array<{ message: string }> };
      expect(body.errors).toHaveLength(1);
      expect(typeof body.errors[0]!.message).toBe('string');
    }
  });

  it('logs in with the documented success envelope (A2)', async () => {
    const res = await gql(bc, LOGIN_MUTATION, { email: 'JANE@example.com', password: 'pw-jane' });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({
      login: {
        customerAccessToken: { value: expect.any(String), expiresAt: '2026-03-01T11:00:00.000Z' },
        customer: { entityId: 123, firstName: 'Jane', lastName: 'Doe', email: 'jane@example.com' },
        cart: null,
      },
    });
  });

  it('returns "Invalid credentials" in top-level errors with data null (A1 example)', async () => {
    for (const variables of [
      { email: 'jane@example.com', password: 'nope' },
      { email: 'nobody@example.com', password: 'pw-jane' },
    ]) {
      const res = await gql(bc, LOGIN_MUTATION, variables);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        data: null,
        errors: [{ message: 'Invalid credentials', path: ['login'], locations: [{ line: 3, column: 3 }] }],
      });
    }
  });

  it('answers a password-reset account with a message Catalyst recognises', async () => {
    const res = await gql(bc, LOGIN_MUTATION, { email: 'reset@example.com', password: 'pw-reset' });
    expect(res.body.data).toBeNull();
    const error = res.body.errors![0]!;
    expect(error.message).toContain('Reset password"');
    // Catalyst checks the JSON-serialised error text (BigCommerceGQLError.message).
    expect(JSON.stringify(error, null, 2)).toContain('Reset password"');
    expect(error.message).not.toContain('Invalid credentials');
  });

  it('reports a missing required variable as a GraphQL error', async () => {
    const res = await gql(bc, LOGIN_MUTATION, { email: 'jane@example.com' });
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors?.[0]?.message).toBe('Variable "$password" of required type "String!" was not provided.');
  });

  it('identifies the customer from X-Bc-Customer-Access-Token', async () => {
    const cat = await loginJane();
    const res = await gql(bc, CUSTOMER_QUERY, {}, { 'X-Bc-Customer-Access-Token': cat });
    expect(res.body).toEqual({ data: { customer: { entityId: 123, email: 'jane@example.com' } } });
  });

  it('gives MISSING_CUSTOMER_ACCESS_TOKEN for a customer-only field without a CAT', async () => {
    const res = await gql(bc, CUSTOMER_QUERY);
    expect(res.body.data).toEqual({ customer: null });
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: ['customer'], extensions: { code: 'MISSING_CUSTOMER_ACCESS_TOKEN' } }),
    ]);
  });

  it('fails an unknown CAT with INVALID_CUSTOMER_ACCESS_TOKEN only when the client asks for it', async () => {
    const strict = await gql(
      bc,
      CUSTOMER_QUERY,
      {},
      {
        'X-Bc-Customer-Access-Token': 'not-a-token',
        'X-Bc-Error-On-Invalid-Customer-Access-Token': 'true',
      },
    );
    expect(strict.status).toBe(200);
    expect(strict.body.data).toBeNull();
    expect(strict.body.errors).toEqual([
      {
        message: expect.any(String),
        path: ['customer'],
        locations: [{ line: 1, column: 9 }],
        extensions: { code: 'INVALID_CUSTOMER_ACCESS_TOKEN' },
      },
    ]);

    const lenient = await gql(bc, CUSTOMER_QUERY, {}, { 'X-Bc-Customer-Access-Token': 'not-a-token' });
    expect(lenient.body.errors?.[0]?.extensions?.code).toBe('MISSING_CUSTOMER_ACCESS_TOKEN');
  });

  it('expires a CAT after the configured lifetime', async () => {
    const cat = await loginJane();
    const headers = { 'X-Bc-Customer-Access-Token': cat, 'X-Bc-Error-On-Invalid-Customer-Access-Token': 'true' };
    now += 3599_000;
    expect((await gql(bc, CUSTOMER_QUERY, {}, headers)).body.data).toEqual({ customer: expect.any(Object) });
    now += 1_000;
    const expired = await gql(bc, CUSTOMER_QUERY, {}, headers);
    expect(expired.body.errors?.[0]?.extensions?.code).toBe('INVALID_CUSTOMER_ACCESS_TOKEN');
  });

  it('requires a CAT for logout', async () => {
    const res = await gql(bc, LOGOUT_MUTATION, {});
    expect(res.body.data).toBeNull();
    expect(res.body.errors?.[0]).toMatchObject({ path: ['logout'], extensions: { code: 'MISSING_CUSTOMER_ACCESS_TOKEN' } });
  });

  it('logout invalidates the CAT and, without persistent cart, unassigns and returns the cart', async () => {
    const cart = bc.addCart({ customerEntityId: 123, lineItems: [{ productEntityId: 1, quantity: 1 }] });
    const cat = await loginJane();
    const headers = { 'X-Bc-Customer-Access-Token': cat, 'X-Bc-Error-On-Invalid-Customer-Access-Token': 'true' };
    const res = await gql(bc, LOGOUT_MUTATION, { cartEntityId: cart.entityId }, headers);
    expect(res.body).toEqual({
      data: { logout: { result: 'success', cartUnassignResult: { cart: { entityId: cart.entityId } } } },
    });
    expect(bc.getCart(cart.entityId)?.customerEntityId).toBeNull();
    const after = await gql(bc, CUSTOMER_QUERY, {}, headers);
    expect(after.body.errors?.[0]?.extensions?.code).toBe('INVALID_CUSTOMER_ACCESS_TOKEN');
  });

  it("accepts Catalyst's observability query parameters on /graphql (A1)", async () => {
    const res = await fetch(`${bc.url}/graphql?operation=LoginMutation&type=mutation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bc.options.storefrontToken}` },
      body: JSON.stringify({ query: LOGIN_MUTATION, variables: { email: 'jane@example.com', password: 'pw-jane' } }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { login: { customer: { entityId: number } } } }).data.login.customer.entityId).toBe(123);
    expect(bc.requests.at(-1)).toMatchObject({ query: { operation: 'LoginMutation', type: 'mutation' }, operationName: 'LoginMutation' });
  });

  it('records the headers of every request', async () => {
    bc.clearRequests();
    await gql(bc, CUSTOMER_QUERY, {}, { 'X-Bc-Customer-Access-Token': 'abc' });
    expect(bc.requests).toHaveLength(1);
    expect(bc.requests[0]).toMatchObject({
      method: 'POST',
      path: '/graphql',
      rootFields: ['customer'],
      headers: expect.objectContaining({ 'x-bc-customer-access-token': 'abc', authorization: 'Bearer test-storefront-token' }),
    });
  });
});

describe('BigCommerce emulator: persistent cart on', () => {
  const bc = new BigCommerceEmulator({ persistentCart: true });
  beforeAll(() => bc.start());
  afterAll(() => bc.stop());

  it('keeps the cart with the customer on logout and returns null, then restores it at login', async () => {
    const customer = bc.addCustomer({ email: 'p@example.com', password: 'pw' });
    const cart = bc.addCart({ customerEntityId: customer.entityId, lineItems: [{ productEntityId: 5, quantity: 2 }] });
    const cat = bc.issueCustomerAccessToken(customer.entityId);
    const res = await gql(bc, LOGOUT_MUTATION, { cartEntityId: cart.entityId }, { 'X-Bc-Customer-Access-Token': cat });
    expect(res.body.data?.logout).toEqual({ result: 'success', cartUnassignResult: { cart: null } });
    expect(bc.getCart(cart.entityId)?.customerEntityId).toBe(customer.entityId);

    const login = await gql(bc, LOGIN_MUTATION, { email: 'p@example.com', password: 'pw' });
    expect(login.body.data?.login.cart).toEqual({ entityId: cart.entityId });
    expect(login.body.data?.login.cart.entityId).toMatch(UUID);
  });
});
