export type ProviderErrorCode = 'INVALID_CREDENTIALS' | 'PROVIDER_UNAVAILABLE' | 'PROVIDER_ERROR' | 'NOT_LOGGED_IN';

export type ProviderKind = 'bigcommerce' | 'commercetools';

/**
 * Non-secret context of a failure: which provider and operation, HTTP status, error codes
 * the provider returned. Never tokens, passwords or credentials.
 */
export interface ProviderErrorDetails {
  provider: ProviderKind | string;
  operation: string;
  status?: number;
  /** Error codes from the provider's answer (e.g. `invalid_grant`, `INVALID_CUSTOMER_ACCESS_TOKEN`). */
  codes?: string[];
  /** Why the provider could not be reached: `timeout`, `network`, `http_5xx`, `circuit_open`. */
  reason?: string;
}

export class ProviderError extends Error {
  override readonly name = 'ProviderError';

  constructor(
    readonly code: ProviderErrorCode,
    message: string,
    readonly details: ProviderErrorDetails,
  ) {
    super(message);
  }
}

export function isProviderError(err: unknown, code?: ProviderErrorCode): err is ProviderError {
  return err instanceof ProviderError && (code === undefined || err.code === code);
}
