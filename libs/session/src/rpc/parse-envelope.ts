import { ErrorCodes, type FieldError, type RpcRequest } from '#libs/contracts';
import { SessionError } from '../core/session-error.js';

const MAX_COOKIE_CHARS = 4096;

/** Checks the envelope by hand (it is on every call); `data` is validated per method. */
export function parseEnvelope(payload: unknown): RpcRequest {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw invalid([{ field: '(root)', message: 'the payload must be an object { auth, shopId, session?, data? }' }]);
  }
  const p = payload as Record<string, unknown>;
  const errors: FieldError[] = [];
  if (typeof p.shopId !== 'string' || p.shopId.length === 0) errors.push({ field: 'shopId', message: 'shopId must be a non-empty string' });
  if (p.session !== undefined && p.session !== null && (typeof p.session !== 'string' || p.session.length > MAX_COOKIE_CHARS)) {
    errors.push({ field: 'session', message: `session must be a string of at most ${MAX_COOKIE_CHARS} characters, or null` });
  }
  if (p.data !== undefined && (p.data === null || typeof p.data !== 'object' || Array.isArray(p.data))) {
    errors.push({ field: 'data', message: 'data must be an object' });
  }
  if (errors.length) throw invalid(errors);
  return p as unknown as RpcRequest;
}

export function invalid(errors: FieldError[]): SessionError {
  return new SessionError(ErrorCodes.validationFailed, errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
}
