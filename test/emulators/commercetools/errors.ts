// Error bodies, commerce-apis.md B1 "Error shapes".

export interface ErrorObject {
  code: string;
  message: string;
  [extra: string]: unknown;
}

export interface ErrorResponse {
  statusCode: number;
  message: string;
  errors: ErrorObject[];
  error?: string;
  error_description?: string;
}

/** Thrown by route handlers; the router turns it into the JSON body and status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorResponse,
  ) {
    super(body.message);
  }
}

/** Generic ErrorResponse: `{ statusCode, message, errors: [{ code, message, ...extra }] }`. */
export function apiError(status: number, code: string, message: string, extra: Record<string, unknown> = {}): HttpError {
  return new HttpError(status, { statusCode: status, message, errors: [{ code, message, ...extra }] });
}

/** AuthErrorResponse (RFC 6749 5.2 style): the code also appears as top-level `error`. */
export function authError(status: number, code: string, description: string): HttpError {
  return new HttpError(status, {
    statusCode: status,
    message: description,
    errors: [{ code, message: description }],
    error: code,
    ...(description !== code ? { error_description: description } : {}),
  });
}

export const invalidClient = () =>
  authError(401, 'invalid_client', 'Please provide valid client credentials using HTTP Basic Authentication.');

export const missingParameter = (name: string) => authError(400, 'invalid_request', `Missing required parameter: ${name}.`);

export const invalidGrant = () => authError(400, 'invalid_grant', 'The refresh token was not found. It may have expired.');

export const missingAccessToken = () =>
  authError(401, 'invalid_token', 'This endpoint requires an access token. You can get one from the authorization server.');

export const invalidToken = () => authError(401, 'invalid_token', 'invalid_token');

export const resourceNotFound = (message: string) => apiError(404, 'ResourceNotFound', message);

export const invalidOperation = (message: string) => apiError(400, 'InvalidOperation', message);

export const invalidInput = (message: string) => apiError(400, 'InvalidInput', message);
