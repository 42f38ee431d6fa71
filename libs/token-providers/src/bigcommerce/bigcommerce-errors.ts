import { ProviderError, type ProviderErrorCode } from '../provider-error.js';

export interface GraphQLErrorBody {
  message?: unknown;
  extensions?: { code?: unknown };
}

const NOT_LOGGED_IN_CODES = new Set(['INVALID_CUSTOMER_ACCESS_TOKEN', 'MISSING_CUSTOMER_ACCESS_TOKEN']);

/**
 * Maps GraphQL Storefront errors (A1): "Invalid credentials" in a message → INVALID_CREDENTIALS;
 * INVALID/MISSING_CUSTOMER_ACCESS_TOKEN → NOT_LOGGED_IN; anything else → PROVIDER_ERROR.
 * Error messages are not copied into details (they may echo input); only codes are.
 */
export function mapBigCommerceErrors(operation: string, status: number, errors: unknown): ProviderError {
  const list: GraphQLErrorBody[] = Array.isArray(errors) ? (errors as GraphQLErrorBody[]) : [];
  const codes = list.map((e) => e?.extensions?.code).filter((c): c is string => typeof c === 'string');
  const messages = list.map((e) => e?.message).filter((m): m is string => typeof m === 'string');
  let code: ProviderErrorCode = 'PROVIDER_ERROR';
  if (messages.some((m) => m.includes('Invalid credentials'))) code = 'INVALID_CREDENTIALS';
  else if (codes.some((c) => NOT_LOGGED_IN_CODES.has(c))) code = 'NOT_LOGGED_IN';
  else if (status >= 500) code = 'PROVIDER_UNAVAILABLE';
  if (code === 'PROVIDER_ERROR' && messages.some((m) => m.includes('Reset password'))) codes.push('PASSWORD_RESET_REQUIRED');
  return new ProviderError(code, `bigcommerce ${operation} failed (${status}${codes.length ? ` ${codes.join(',')}` : ''})`, {
    provider: 'bigcommerce',
    operation,
    status,
    codes,
  });
}
