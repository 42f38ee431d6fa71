import { mapBigCommerceErrors } from './bigcommerce/bigcommerce-errors.js';
import { mapCommercetoolsError } from './commercetools/commercetools-errors.js';

describe('commercetools error mapping', () => {
  it.each([
    [
      400,
      { error: 'invalid_customer_account_credentials', errors: [{ code: 'invalid_customer_account_credentials' }] },
      'INVALID_CREDENTIALS',
    ],
    [
      400,
      { statusCode: 400, errors: [{ code: 'InvalidCredentials', message: 'Account with the given credentials not found.' }] },
      'INVALID_CREDENTIALS',
    ],
    [400, { error: 'invalid_grant' }, 'NOT_LOGGED_IN'],
    [401, { error: 'invalid_token', errors: [{ code: 'invalid_token' }] }, 'NOT_LOGGED_IN'],
    [401, { error: 'invalid_client' }, 'PROVIDER_ERROR'],
    [400, { errors: [{ code: 'InvalidOperation' }] }, 'PROVIDER_ERROR'],
    [404, 'not json', 'PROVIDER_ERROR'],
    [503, undefined, 'PROVIDER_UNAVAILABLE'],
  ])('status %i %j → %s', (status, body, code) => {
    const err = mapCommercetoolsError('op', status, body);
    expect(err.code).toBe(code);
    expect(err.details).toMatchObject({ provider: 'commercetools', operation: 'op', status });
  });

  it('keeps only error codes in details, not provider messages', () => {
    const err = mapCommercetoolsError('password-token', 400, {
      error: 'invalid_customer_account_credentials',
      error_description: 'secret-ish text jane@example.com',
    });
    expect(err.details.codes).toEqual(['invalid_customer_account_credentials']);
    expect(JSON.stringify(err.details) + err.message).not.toContain('jane@example.com');
  });
});

describe('BigCommerce error mapping', () => {
  it.each([
    [[{ message: 'Invalid credentials', path: ['login'] }], 'INVALID_CREDENTIALS'],
    [[{ message: 'Customer access token is invalid', extensions: { code: 'INVALID_CUSTOMER_ACCESS_TOKEN' } }], 'NOT_LOGGED_IN'],
    [[{ message: 'required', extensions: { code: 'MISSING_CUSTOMER_ACCESS_TOKEN' } }], 'NOT_LOGGED_IN'],
    [[{ message: 'Something else' }], 'PROVIDER_ERROR'],
    [undefined, 'PROVIDER_ERROR'],
  ])('%j → %s', (errors, code) => {
    expect(mapBigCommerceErrors('login', 200, errors).code).toBe(code);
  });

  it('flags a required password reset as a PROVIDER_ERROR code', () => {
    const err = mapBigCommerceErrors('login', 200, [{ message: 'Use "Reset password" to continue: Reset password' }]);
    expect(err.code).toBe('PROVIDER_ERROR');
    expect(err.details.codes).toEqual(['PASSWORD_RESET_REQUIRED']);
  });
});
