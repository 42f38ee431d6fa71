import { ProviderError, type ProviderErrorCode } from '../provider-error.js';

/** Error codes of a commercetools ErrorResponse / AuthErrorResponse (`errors[].code` and `error`). */
export function commercetoolsErrorCodes(body: unknown): string[] {
  if (!body || typeof body !== 'object') return [];
  const b = body as { error?: unknown; errors?: unknown };
  const codes = new Set<string>();
  if (typeof b.error === 'string') codes.add(b.error);
  if (Array.isArray(b.errors)) {
    for (const e of b.errors) {
      const code = (e as { code?: unknown } | null)?.code;
      if (typeof code === 'string') codes.add(code);
    }
  }
  return [...codes];
}

/** Maps a commercetools 4xx answer to a ProviderError (5xx is already PROVIDER_UNAVAILABLE in http.ts). */
export function mapCommercetoolsError(operation: string, status: number, body: unknown): ProviderError {
  const codes = commercetoolsErrorCodes(body);
  let code: ProviderErrorCode = 'PROVIDER_ERROR';
  if (codes.includes('invalid_customer_account_credentials') || codes.includes('InvalidCredentials')) {
    code = 'INVALID_CREDENTIALS';
  } else if (codes.includes('invalid_grant') || (status === 401 && codes.includes('invalid_token'))) {
    code = 'NOT_LOGGED_IN';
  } else if (status >= 500) {
    code = 'PROVIDER_UNAVAILABLE';
  }
  return new ProviderError(code, `commercetools ${operation} failed (${status}${codes.length ? ` ${codes.join(',')}` : ''})`, {
    provider: 'commercetools',
    operation,
    status,
    codes,
  });
}
