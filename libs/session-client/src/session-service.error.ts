import { types } from 'node:util';
import type { ErrorCode } from '#libs/contracts';

/** The contract's error codes plus the two the client itself raises. */
export type ClientErrorCode = ErrorCode | 'TIMEOUT' | 'UNAVAILABLE';

/** Every failed call rejects with this; `code` and `details` are the service's for contract errors. */
export class SessionServiceError extends Error {
  override readonly name = 'SessionServiceError';

  constructor(
    readonly code: ClientErrorCode,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Maps whatever a ClientProxy call errored with. */
  static from(error: unknown): SessionServiceError {
    if (error instanceof SessionServiceError) return error;
    if (isError(error) && error.name === 'TimeoutError') {
      return new SessionServiceError('TIMEOUT', 'the session service did not answer in time', undefined, { cause: error });
    }
    // Transport failures arrive as Error instances ("Connection closed", ECONNREFUSED, ...);
    // contract errors arrive as plain `{ code, message, details? }` objects.
    if (isError(error)) {
      return new SessionServiceError('UNAVAILABLE', `session service unavailable: ${error.message}`, undefined, { cause: error });
    }
    if (isObject(error) && typeof error.code === 'string') {
      // A code added to the contract after this client was built is passed on as it is.
      return new SessionServiceError(error.code as ClientErrorCode, String(error.message ?? error.code), error.details);
    }
    // e.g. Nest's `{ status: 'error', message }` for a pattern the service does not know.
    const message = isObject(error) && typeof error.message === 'string' ? error.message : String(error);
    return new SessionServiceError('INTERNAL', message, error);
  }
}

/** `instanceof Error` misses errors from another realm (node core's socket errors under Jest's VM modules). */
function isError(value: unknown): value is Error {
  return value instanceof Error || types.isNativeError(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
