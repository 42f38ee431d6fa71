import { ErrorCodes } from '#libs/contracts';
import { SessionError } from './session-error.js';

/** A request's `data` may always be this large as JSON (more when the user and customData limits add up to more). */
export const MIN_DATA_LIMIT_BYTES = 65_536;

/** Objects and arrays may nest at most this deep below `data` (`data.customData` is level 1). */
export const MAX_DATA_DEPTH = 32;

/** A service token longer than this is refused unread (real ones are a few hundred bytes). */
export const MAX_SERVICE_TOKEN_CHARS = 8_192;

/** The request limit for `data`: room for a full user and full customData in one call. */
export function dataLimitBytes(limits: { maxUserBytes: number; maxCustomDataBytes: number }): number {
  return Math.max(MIN_DATA_LIMIT_BYTES, limits.maxUserBytes + limits.maxCustomDataBytes + 4_096);
}

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
