import { CommercetoolsEmulator } from './commercetools-emulator.js';
import { anonymousToken, apiCall, lines, passwordToken } from './ct-test-client.js';

const customLine = { name: { en: 'Engraving' }, slug: 'engraving', quantity: 1, money: { currencyCode: 'EUR', centAmount: 500 } };

describe('commercetools emulator: API host authentication (C2.7)', () => {
  const ct = new CommercetoolsEmulator();
  beforeAll(() => ct.start());
  afterAll(() => ct.stop());

  it('answers a request without a token with 401 invalid_token and the documented message', async () => {
    const message = 'This endpoint requires an access token. You can get one from the authorization server.';
    expect(await apiCall(ct, 'GET', '/me/active-cart', null)).toEqual({
      status: 401,
      body: { statusCode: 401, message, errors: [{ code: 'invalid_token', message }], error: 'invalid_token', error_description: message },
    });
  });

  it('answers an unknown token with 401 invalid_token', async () => {
    const res = await apiCall(ct, 'GET', '/me/active-cart', 'made-up');
    expect(res.status).toBe(401);
    expect(res.body.errors[0].code).toBe('invalid_token');
  });

  it('needs a customer or anonymous token for /me endpoints', async () => {
    const res = await apiCall(ct, 'GET', '/me/active-cart', ct.issueClientToken().access_token);
    expect(res.status).toBe(403);
    expect(res.body.errors[0].code).toBe('insufficient_scope');
  });

  it('returns 404 ResourceNotFound when there is no active cart', async () => {
    const token = await anonymousToken(ct);
    expect(await apiCall(ct, 'GET', '/me/active-cart', token.access_token)).toEqual({
      status: 404,
      body: {
        statusCode: 404,
        message: 'No active cart exists.',
        errors: [{ code: 'ResourceNotFound', message: 'No active cart exists.' }],
      },
    });
  });
});

describe('commercetools emulator: POST /{pk}/login (B2, C2.8)', () => {
  const ct = new CommercetoolsEmulator({ projectKey: 'login-pk' });
  let client: string;
  let seq = 0;
  const newCustomer = () => ct.addCustomer({ email: `c${++seq}@example.com`, password: 'pw' });
  const login = (body: Record<string, unknown>) => apiCall(ct, 'POST', '/login', client, body);

  beforeAll(async () => {
    await ct.start();
    client = ct.issueClientToken().access_token;
  });
  afterAll(() => ct.stop());

  it('returns the customer, and the active cart when there is one', async () => {
    const customer = newCustomer();
    const first = await login({ email: customer.email.toUpperCase(), password: 'pw' });
    expect(first).toEqual({ status: 200, body: { customer: expect.objectContaining({ id: customer.id, email: customer.email }) } });
    expect(first.body.customer.password).toBeUndefined();
    const cart = ct.addCart({ customerId: customer.id, lineItems: [{ productId: 'p1', quantity: 1 }] });
    expect((await login({ email: customer.email, password: 'pw' })).body.cart.id).toBe(cart.id);
  });

  it('rejects bad credentials with 400 InvalidCredentials', async () => {
    const customer = newCustomer();
    expect(await login({ email: customer.email, password: 'nope' })).toEqual({
      status: 400,
      body: {
        statusCode: 400,
        message: 'Account with the given credentials not found.',
        errors: [{ code: 'InvalidCredentials', message: 'Account with the given credentials not found.' }],
      },
    });
  });

  it('makes the anonymous cart the active cart when the customer has none', async () => {
    const customer = newCustomer();
    const anon = ct.addCart({ anonymousId: 'a-1', lineItems: [{ productId: 'p1', quantity: 2 }], customLineItems: [customLine] });
    const res = await login({ email: customer.email, password: 'pw', anonymousCart: { typeId: 'cart', id: anon.id } });
    expect(res.body.cart).toMatchObject({ id: anon.id, customerId: customer.id, cartState: 'Active' });
    expect(res.body.cart.customLineItems).toHaveLength(1);
  });

  it('merges into the most recently modified active cart: max quantity, no custom line items', async () => {
    const customer = newCustomer();
    const older = ct.addCart({ customerId: customer.id, lineItems: [{ productId: 'p1', quantity: 1 }] });
    const newer = ct.addCart({
      customerId: customer.id,
      lineItems: [
        { productId: 'p1', quantity: 4 },
        { productId: 'p2', quantity: 1 },
      ],
    });
    ct.addCart({ customerId: customer.id, origin: 'Merchant', lineItems: [{ productId: 'p9', quantity: 1 }] });
    const anon = ct.addCart({
      anonymousId: 'a-2',
      lineItems: [
        { productId: 'p1', quantity: 3 },
        { productId: 'p2', variantId: 2, quantity: 2 },
      ],
      customLineItems: [customLine],
    });
    const res = await login({ email: customer.email, password: 'pw', anonymousCart: { typeId: 'cart', id: anon.id } });
    expect(res.status).toBe(200);
    expect(res.body.cart.id).toBe(newer.id);
    expect(lines(res.body.cart)).toEqual(['p1/1x4', 'p2/1x1', 'p2/2x2']);
    expect(res.body.cart.customLineItems).toEqual([]);
    expect(ct.getCart(anon.id)?.cartState).toBe('Merged');
    expect(ct.getCart(older.id)).toMatchObject({ cartState: 'Active', version: 1 });
  });

  it('UseAsNewActiveCustomerCart: the anonymous cart becomes the active cart unchanged', async () => {
    const customer = newCustomer();
    const previous = ct.addCart({ customerId: customer.id, lineItems: [{ productId: 'p1', quantity: 9 }] });
    const anon = ct.addCart({ anonymousId: 'a-3', lineItems: [{ productId: 'p1', quantity: 1 }] });
    const res = await login({
      email: customer.email,
      password: 'pw',
      anonymousCart: { typeId: 'cart', id: anon.id },
      anonymousCartSignInMode: 'UseAsNewActiveCustomerCart',
    });
    expect(res.body.cart.id).toBe(anon.id);
    expect(lines(res.body.cart)).toEqual(['p1/1x1']);
    expect(ct.getCart(previous.id)).toMatchObject({ cartState: 'Active', lineItems: [expect.objectContaining({ quantity: 9 })] });
    const token = ct.issueCustomerToken(customer.id).access_token;
    expect((await apiCall(ct, 'GET', '/me/active-cart', token)).body.id).toBe(anon.id);
  });

  it('accepts the anonymous cart by key and the deprecated anonymousCartId', async () => {
    const a = newCustomer();
    const byKey = ct.addCart({ key: 'anon-key', anonymousId: 'a-4', lineItems: [{ productId: 'p1', quantity: 1 }] });
    expect((await login({ email: a.email, password: 'pw', anonymousCart: { typeId: 'cart', key: 'anon-key' } })).body.cart.id).toBe(
      byKey.id,
    );
    const b = newCustomer();
    const byId = ct.addCart({ anonymousId: 'a-5', lineItems: [{ productId: 'p1', quantity: 1 }] });
    expect((await login({ email: b.email, password: 'pw', anonymousCartId: byId.id })).body.cart.id).toBe(byId.id);
  });

  it('rejects an anonymousId that does not match the anonymous cart (InvalidOperation)', async () => {
    const customer = newCustomer();
    const anon = ct.addCart({ anonymousId: 'a-6', lineItems: [{ productId: 'p1', quantity: 1 }] });
    const res = await login({
      email: customer.email,
      password: 'pw',
      anonymousCart: { typeId: 'cart', id: anon.id },
      anonymousId: 'other',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].code).toBe('InvalidOperation');
    expect(ct.getCart(anon.id)?.customerId).toBeUndefined();
  });

  it('assigns every cart of the anonymousId to the customer', async () => {
    const customer = newCustomer();
    const first = ct.addCart({ anonymousId: 'a-7', lineItems: [{ productId: 'p1', quantity: 1 }] });
    const second = ct.addCart({ anonymousId: 'a-7', lineItems: [{ productId: 'p2', quantity: 1 }] });
    const res = await login({ email: customer.email, password: 'pw', anonymousId: 'a-7' });
    expect(ct.getCart(first.id)?.customerId).toBe(customer.id);
    expect(ct.getCart(second.id)?.customerId).toBe(customer.id);
    expect(res.body.cart.id).toBe(second.id);
  });

  it('reports an unknown anonymous cart as ReferencedResourceNotFound', async () => {
    const customer = newCustomer();
    const res = await login({ email: customer.email, password: 'pw', anonymousCart: { typeId: 'cart', id: 'missing' } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ code: 'ReferencedResourceNotFound', typeId: 'cart', id: 'missing' });
  });

  it('does not merge when the anonymous cart uses an inactive or foreign-store shipping method', async () => {
    ct.addShippingMethod({ id: 'ship-off', active: false });
    ct.addShippingMethod({ id: 'ship-de', storeKeys: ['de'] });
    for (const draft of [
      { shippingMethod: { id: 'ship-off' } },
      { shippingMethod: { id: 'ship-de' } },
      { shippingMethod: { id: 'ship-de' }, store: { key: 'fr' } },
    ]) {
      const customer = newCustomer();
      const mine = ct.addCart({ customerId: customer.id, lineItems: [{ productId: 'p1', quantity: 1 }] });
      const anon = ct.addCart({ anonymousId: `ship-${seq}`, lineItems: [{ productId: 'p5', quantity: 1 }], ...draft });
      const res = await login({ email: customer.email, password: 'pw', anonymousCart: { typeId: 'cart', id: anon.id } });
      expect(res.body.cart.id).toBe(mine.id);
      expect(lines(res.body.cart)).toEqual(['p1/1x1']);
      expect(ct.getCart(anon.id)?.cartState).toBe('Active');
    }
    const customer = newCustomer();
    ct.addCart({ customerId: customer.id, lineItems: [{ productId: 'p1', quantity: 1 }] });
    const inStore = ct.addCart({
      anonymousId: 'ship-ok',
      store: { key: 'de' },
      shippingMethod: { id: 'ship-de' },
      lineItems: [{ productId: 'p5', quantity: 1 }],
    });
    const res = await login({ email: customer.email, password: 'pw', anonymousCart: { typeId: 'cart', id: inStore.id } });
    expect(lines(res.body.cart)).toEqual(['p1/1x1', 'p5/1x1']);
  });
});

describe('commercetools emulator: anonymous session to customer via /me/login (B2, B3)', () => {
  const ct = new CommercetoolsEmulator({ projectKey: 'me-pk' });
  beforeAll(async () => {
    await ct.start();
    ct.addCustomer({ id: 'cust-me', email: 'me@example.com', password: 'pw' });
  });
  afterAll(() => ct.stop());

  it('merges the session cart, then the password-flow token sees the merged cart', async () => {
    const customerToken = await passwordToken(ct, 'me@example.com', 'pw');
    const existing = await apiCall(ct, 'POST', '/me/carts', customerToken.access_token, {
      currency: 'EUR',
      lineItems: [{ productId: 'shoe', variantId: 3, quantity: 1 }],
    });
    expect(existing.status).toBe(201);
    expect(existing.body.customerId).toBe('cust-me');

    const anon = await anonymousToken(ct, 'guest-session-1');
    const created = await apiCall(ct, 'POST', '/me/carts', anon.access_token, {
      currency: 'EUR',
      customerId: 'cust-me', // ignored on /me/carts
      lineItems: [{ productId: 'shoe', variantId: 3, quantity: 2 }],
    });
    expect(created.body).toMatchObject({ anonymousId: 'guest-session-1', cartState: 'Active', version: 1 });
    expect(created.body.customerId).toBeUndefined();
    const updated = await apiCall(ct, 'POST', `/me/carts/${created.body.id}`, anon.access_token, {
      version: 1,
      actions: [{ action: 'addLineItem', productId: 'sock', variantId: 1, quantity: 3 }],
    });
    expect(updated.body.version).toBe(2);
    expect((await apiCall(ct, 'GET', '/me/active-cart', anon.access_token)).body.id).toBe(created.body.id);

    const res = await apiCall(ct, 'POST', '/me/login', anon.access_token, {
      email: 'me@example.com',
      password: 'pw',
      activeCartSignInMode: 'MergeWithExistingCustomerCart',
    });
    expect(res.status).toBe(200);
    expect(res.body.customer.id).toBe('cust-me');
    expect(res.body.cart.id).toBe(existing.body.id);
    expect(lines(res.body.cart)).toEqual(['shoe/3x2', 'sock/1x3']);
    expect(res.body).not.toHaveProperty('access_token');

    expect((await apiCall(ct, 'GET', '/me/active-cart', customerToken.access_token)).body.id).toBe(existing.body.id);
    expect(ct.getCart(created.body.id)).toMatchObject({ cartState: 'Merged', customerId: 'cust-me' });
    expect((await apiCall(ct, 'GET', '/me/active-cart', anon.access_token)).status).toBe(404);
  });

  it('rejects bad credentials on /me/login', async () => {
    const anon = await anonymousToken(ct);
    const res = await apiCall(ct, 'POST', '/me/login', anon.access_token, { email: 'me@example.com', password: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toEqual({ code: 'InvalidCredentials', message: 'Account with the given credentials not found.' });
  });

  it('rejects a stale version with 409 ConcurrentModification', async () => {
    const anon = await anonymousToken(ct);
    const cart = await apiCall(ct, 'POST', '/me/carts', anon.access_token, { currency: 'EUR' });
    const res = await apiCall(ct, 'POST', `/me/carts/${cart.body.id}`, anon.access_token, {
      version: 7,
      actions: [{ action: 'addLineItem', productId: 'x', quantity: 1 }],
    });
    expect(res.status).toBe(409);
    expect(res.body.errors[0]).toMatchObject({ code: 'ConcurrentModification', currentVersion: 1 });
  });

  it("does not show another session's cart", async () => {
    const a = await anonymousToken(ct);
    const b = await anonymousToken(ct);
    const cart = await apiCall(ct, 'POST', '/me/carts', a.access_token, { currency: 'EUR' });
    expect((await apiCall(ct, 'GET', `/me/carts/${cart.body.id}`, b.access_token)).status).toBe(404);
    expect((await apiCall(ct, 'GET', '/me/carts', a.access_token)).body.results.map((c: { id: string }) => c.id)).toEqual([cart.body.id]);
  });
});

describe('commercetools emulator: POST /{pk}/carts/customer-id={id}/merge (C2.10)', () => {
  const ct = new CommercetoolsEmulator({ copyCustomLineItemsOnMerge: true });
  let client: string;
  beforeAll(async () => {
    await ct.start();
    client = ct.issueClientToken().access_token;
  });
  afterAll(() => ct.stop());

  it('merges into the active cart and returns it; the flag copies custom line items', async () => {
    const customer = ct.addCustomer({ email: 'm@example.com', password: 'pw' });
    const mine = ct.addCart({ customerId: customer.id, lineItems: [{ productId: 'p1', quantity: 5 }] });
    const anon = ct.addCart({ anonymousId: 'x-1', lineItems: [{ productId: 'p1', quantity: 2 }], customLineItems: [customLine] });
    const res = await apiCall(ct, 'POST', `/carts/customer-id=${customer.id}/merge`, client, {
      anonymousCart: { typeId: 'cart', id: anon.id },
      mergeMode: 'MergeWithExistingCustomerCart',
      updateProductData: false,
    });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(mine.id);
    expect(lines(res.body)).toEqual(['p1/1x5']);
    expect(res.body.customLineItems.map((c: { slug: string }) => c.slug)).toEqual(['engraving']);
  });

  it('uses the anonymous cart as the active cart when the customer has none, found by anonymousId', async () => {
    const customer = ct.addCustomer({ email: 'n@example.com', password: 'pw' });
    const anon = ct.addCart({ anonymousId: 'x-2', lineItems: [{ productId: 'p1', quantity: 2 }] });
    const res = await apiCall(ct, 'POST', `/carts/customer-id=${customer.id}/merge`, client, { anonymousId: 'x-2' });
    expect(res.body).toMatchObject({ id: anon.id, customerId: customer.id });
  });

  it('validates the body and the customer', async () => {
    const customer = ct.addCustomer({ email: 'o@example.com', password: 'pw' });
    expect((await apiCall(ct, 'POST', `/carts/customer-id=${customer.id}/merge`, client, {})).status).toBe(400);
    const unknown = await apiCall(ct, 'POST', '/carts/customer-id=nobody/merge', client, { anonymousId: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0].code).toBe('ResourceNotFound');
  });
});
