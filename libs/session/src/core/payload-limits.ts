import { ErrorCodes } from '#libs/contracts';
import { SessionError } from './session-error.js';

/** Serialises a value for storage, refusing it (VALIDATION_FAILED, naming the field) above `limit` bytes. */
export function serializeWithin(field: string, value: unknown, limit: number): string {
  const json = JSON.stringify(value);
  const bytes = Buffer.byteLength(json);
  if (bytes > limit) {
    throw new SessionError(ErrorCodes.validationFailed, `${field} is too large`, [
      { field, message: `${field} is ${bytes} bytes as JSON; the limit is ${limit}` },
    ]);
  }
  return json;
}
