import { CommercetoolsEmulator } from './commercetools-emulator.js';
import { anonymousToken, apiCall, authPost, passwordToken } from './ct-test-client.js';

const PK = 'shop-dev';

describe('commercetools emulator: auth host (commerce-apis.md B1, C2.1-C2.6)', () => {
  let now = Date.parse('2026-04-01T12:00:00.000Z');
  const ct = new CommercetoolsEmulator({ projectKey: PK, clientId: 'cid', clientSecret: 's3cr3t', now: () => now });

  beforeAll(async () => {
    await ct.start();
    ct.addCustomer({ id: 'cust-1', email: 'John.Doe@example.com', password: 'secret123' });
  });
  afterAll(() => ct.stop());

  it('serves the auth and API hosts on different ports', () => {
    expect(ct.authUrl).not.toBe(ct.apiUrl);
  });

  it('issues a client_credentials token (TokenResponse, no refresh_token)', async () => {
    const res = await authPost(ct, '/oauth/token', { grant_type: 'client_credentials' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      access_token: expect.stringMatching(/^[\w-]{20,}$/),
      expires_in: 172800,
      scope: `manage_project:${PK}`,
      token_type: 'Bearer',
    });
  });

  it('reads parameters from the query string as well as the form body, and echoes a requested scope', async () => {
    const res = await fetch(`${ct.authUrl}/oauth/token?grant_type=client_credentials&scope=view_products:${PK}`, {
      method: 'POST',
      headers: { authorization: ct.basicAuth },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { scope: string }).scope).toBe(`view_products:${PK}`);
  });

  it('requires Basic client authentication: invalid_client 401', async () => {
    const expected = {
      statusCode: 401,
      message: 'Please provide valid client credentials using HTTP Basic Authentication.',
      errors: [{ code: 'invalid_client', message: 'Please provide valid client credentials using HTTP Basic Authentication.' }],
      error: 'invalid_client',
      error_description: 'Please provide valid client credentials using HTTP Basic Authentication.',
    };
    const wrong = `Basic ${Buffer.from('cid:nope').toString('base64')}`;
    for (const authorization of [null, wrong, 'Bearer abc']) {
      const res = await authPost(ct, '/oauth/token', { grant_type: 'client_credentials' }, authorization);
      expect(res).toEqual({ status: 401, body: expected });
    }
    const otherProject = await authPost(ct, '/oauth/other-project/anonymous/token', { grant_type: 'client_credentials' });
    expect(otherProject.status).toBe(401);
  });

  it('rejects a missing or unknown grant_type', async () => {
    expect(await authPost(ct, '/oauth/token', {})).toEqual({
      status: 400,
      body: expect.objectContaining({ error: 'invalid_request', message: 'Missing required parameter: grant_type.' }),
    });
    const res = await authPost(ct, '/oauth/token', { grant_type: 'password' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: 'unsupported_grant_type',
      errors: [{ code: 'unsupported_grant_type', message: 'Invalid parameter: grant_type: Invalid grant type: password' }],
    });
  });

  it('password flow: token plus refresh_token with customer_id in scope; email is case-insensitive', async () => {
    const res = await authPost(ct, `/oauth/${PK}/customers/token`, {
      grant_type: 'password',
      username: 'john.doe@EXAMPLE.com',
      password: 'secret123',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      access_token: expect.any(String),
      expires_in: 172800,
      scope: `manage_project:${PK} customer_id:cust-1`,
      token_type: 'Bearer',
      refresh_token: expect.stringMatching(new RegExp(`^${PK}:`)),
    });
  });

  it('in-store password flow: a store customer can only sign in to their stores', async () => {
    ct.addCustomer({ id: 'cust-de', email: 'de@example.com', password: 'pw', stores: ['de'] });
    const signIn = (store: string, username: string) =>
      authPost(ct, `/oauth/${PK}/in-store/key=${store}/customers/token`, { grant_type: 'password', username, password: 'pw' });
    expect((await signIn('de', 'de@example.com')).body.scope).toBe(`manage_project:${PK} customer_id:cust-de`);
    expect((await signIn('fr', 'de@example.com')).body.error).toBe('invalid_customer_account_credentials');
  });

  it('password flow with bad credentials: the documented 400 body', async () => {
    const res = await authPost(ct, `/oauth/${PK}/customers/token`, {
      grant_type: 'password',
      username: 'john.doe@example.com',
      password: 'wrong',
    });
    expect(res).toEqual({
      status: 400,
      body: {
        statusCode: 400,
        message: 'Customer account with the given credentials not found.',
        errors: [{ code: 'invalid_customer_account_credentials', message: 'Customer account with the given credentials not found.' }],
        error: 'invalid_customer_account_credentials',
        error_description: 'Customer account with the given credentials not found.',
      },
    });
  });

  it('anonymous flow: generated or supplied anonymous_id in scope; a used id is refused', async () => {
    const generated = await anonymousToken(ct);
    expect(generated.scope).toMatch(new RegExp(`^manage_project:${PK} anonymous_id:[0-9a-f-]{36}$`));
    expect(generated.refresh_token).toBeDefined();

    const supplied = await anonymousToken(ct, 'session-abc');
    expect(supplied.scope).toBe(`manage_project:${PK} anonymous_id:session-abc`);
    const again = await authPost(ct, `/oauth/${PK}/anonymous/token`, { grant_type: 'client_credentials', anonymous_id: 'session-abc' });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({
      statusCode: 400,
      message: 'The given anonymous ID is already in use.',
      errors: [{ code: 'AnonymousIdAlreadyInUse' }],
    });
  });

  it('refresh: a new access token with the same scope and no new refresh_token; unknown tokens give invalid_grant', async () => {
    const original = await anonymousToken(ct);
    const res = await authPost(ct, '/oauth/token', { grant_type: 'refresh_token', refresh_token: original.refresh_token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.any(String), expires_in: 172800, scope: original.scope, token_type: 'Bearer' });
    expect(res.body.access_token).not.toBe(original.access_token);
    // The refresh token keeps working.
    expect((await authPost(ct, '/oauth/token', { grant_type: 'refresh_token', refresh_token: original.refresh_token })).status).toBe(200);

    expect(await authPost(ct, '/oauth/token', { grant_type: 'refresh_token', refresh_token: `${PK}:unknown` })).toEqual({
      status: 400,
      body: {
        statusCode: 400,
        message: 'The refresh token was not found. It may have expired.',
        errors: [{ code: 'invalid_grant', message: 'The refresh token was not found. It may have expired.' }],
        error: 'invalid_grant',
        error_description: 'The refresh token was not found. It may have expired.',
      },
    });
    const missing = await authPost(ct, '/oauth/token', { grant_type: 'refresh_token' });
    expect(missing.body.message).toBe('Missing required parameter: refresh_token.');
  });

  it('introspects active and inactive tokens', async () => {
    const customer = await passwordToken(ct, 'john.doe@example.com', 'secret123');
    const res = await authPost(ct, '/oauth/introspect', { token: customer.access_token });
    expect(res).toEqual({
      status: 200,
      body: { active: true, scope: customer.scope, exp: Math.floor(now / 1000) + 172800 },
    });
    expect((await authPost(ct, '/oauth/introspect', { token: 'nope' })).body).toEqual({ active: false });
    expect((await authPost(ct, '/oauth/introspect', { token: 'nope' }, null)).status).toBe(401);
  });

  it('revokes access and refresh tokens', async () => {
    const customer = await passwordToken(ct, 'john.doe@example.com', 'secret123');
    const revoke = await authPost(ct, '/oauth/token/revoke', { token: customer.access_token, token_type_hint: 'access_token' });
    expect(revoke.status).toBe(200);
    expect((await authPost(ct, '/oauth/introspect', { token: customer.access_token })).body).toEqual({ active: false });
    const api = await apiCall(ct, 'GET', '/me/active-cart', customer.access_token);
    expect(api).toEqual({
      status: 401,
      body: {
        statusCode: 401,
        message: 'invalid_token',
        errors: [{ code: 'invalid_token', message: 'invalid_token' }],
        error: 'invalid_token',
      },
    });

    await authPost(ct, '/oauth/token/revoke', { token: customer.refresh_token, token_type_hint: 'refresh_token' });
    const refresh = await authPost(ct, '/oauth/token', { grant_type: 'refresh_token', refresh_token: customer.refresh_token });
    expect(refresh.body.error).toBe('invalid_grant');
  });

  it('expires access tokens after expires_in', async () => {
    const customer = await passwordToken(ct, 'john.doe@example.com', 'secret123');
    now += 172_799_000;
    expect((await apiCall(ct, 'GET', '/me/active-cart', customer.access_token)).status).toBe(404);
    now += 1_000;
    expect((await apiCall(ct, 'GET', '/me/active-cart', customer.access_token)).status).toBe(401);
    expect((await authPost(ct, '/oauth/introspect', { token: customer.access_token })).body).toEqual({ active: false });
  });
});

describe('commercetools emulator: configurable token lifetimes', () => {
  let now = 1_800_000_000_000;
  const ct = new CommercetoolsEmulator({
    accessTokenTtlSeconds: 60,
    refreshTokenTtlSeconds: 100,
    introspectExpUnit: 'milliseconds',
    now: () => now,
  });
  beforeAll(() => ct.start());
  afterAll(() => ct.stop());

  it('uses the configured access-token lifetime and exp unit', async () => {
    const token = await anonymousToken(ct);
    const introspection = await authPost(ct, '/oauth/introspect', { token: token.access_token });
    expect(introspection.body.exp).toBe(now + 60_000);
    now += 60_000;
    expect((await apiCall(ct, 'GET', '/me/active-cart', token.access_token)).status).toBe(401);
  });

  it('expires refresh tokens after the configured idle time; each use restarts it', async () => {
    const token = await anonymousToken(ct);
    const refresh = () => authPost(ct, '/oauth/token', { grant_type: 'refresh_token', refresh_token: token.refresh_token });
    now += 90_000;
    expect((await refresh()).status).toBe(200);
    now += 90_000;
    expect((await refresh()).status).toBe(200);
    now += 100_000;
    expect((await refresh()).body.error).toBe('invalid_grant');
  });
});
