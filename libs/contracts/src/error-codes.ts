/** Error codes of contract v1. Public API: add freely, never rename. */
export const ErrorCodes = {
  validationFailed: 'VALIDATION_FAILED',
  payloadTooLarge: 'PAYLOAD_TOO_LARGE',
  limitExceeded: 'LIMIT_EXCEEDED',
  conflict: 'CONFLICT',
  unauthenticated: 'UNAUTHENTICATED',
  forbidden: 'FORBIDDEN',
  unknownShop: 'UNKNOWN_SHOP',
  notLoggedIn: 'NOT_LOGGED_IN',
  sessionRevoked: 'SESSION_REVOKED',
  /** A login beyond the shop's session.maxSessionsPerUser, with maxSessionsPolicy `refuse`. */
  tooManySessions: 'TOO_MANY_SESSIONS',
  storeUnavailable: 'STORE_UNAVAILABLE',
  invalidCredentials: 'INVALID_CREDENTIALS',
  providerUnavailable: 'PROVIDER_UNAVAILABLE',
  providerError: 'PROVIDER_ERROR',
  /** The shop's cart lives at its commerce provider (`cart.owner: provider`): use providerCart.*. */
  cartAtProvider: 'CART_AT_PROVIDER',
  /** The method needs a more recent login: call session.reauthenticate (details: maxAgeSeconds, ageSeconds). */
  reauthRequired: 'REAUTH_REQUIRED',
  /** Too many failed credential logins for the account or client key: nothing was tried (details: retryAfter, seconds). */
  tooManyAttempts: 'TOO_MANY_ATTEMPTS',
  /** No method answers this pattern (a typo, or a caller newer than the service). */
  unknownPattern: 'UNKNOWN_PATTERN',
  /** The instance is stopping: the call was not executed; retry it (another instance will answer). */
  shuttingDown: 'SHUTTING_DOWN',
  internal: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** One field-level problem in a VALIDATION_FAILED error. `field` is a dotted path from the request root. */
export interface FieldError {
  field: string;
  message: string;
}

/** The payload of every error a caller receives (the RpcException's error). */
export interface RpcErrorPayload {
  code: ErrorCode;
  message: string;
  details?: unknown;
}
