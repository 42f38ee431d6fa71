import { createHash, randomUUID } from 'node:crypto';

/**
 * A session ID is a UUID v4 (122 random bits from the CSPRNG) for a guest, and
 * `<userId>:<uuid>` once bound to a user. IDs never contain '.', which the
 * cookie format uses as the signature separator.
 */
export interface ParsedSessionId {
  id: string;
  userId: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const USER_ID = /^[A-Za-z0-9_@-]{1,128}$/;

export function newGuestId(): string {
  return randomUUID();
}

export function newUserBoundId(userId: string): string {
  return `${userId}:${randomUUID()}`;
}

/** Parses an ID taken from a verified cookie; anything not of our making yields null. */
export function parseSessionId(id: string): ParsedSessionId | null {
  const colon = id.lastIndexOf(':');
  if (colon === -1) return UUID.test(id) ? { id, userId: null } : null;
  const userId = id.slice(0, colon);
  return USER_ID.test(userId) && UUID.test(id.slice(colon + 1)) ? { id, userId } : null;
}

/**
 * The handle is what the store and the logs see: base64url SHA-256 of the ID.
 * It is not reversible, so a Redis dump or a log line cannot be replayed as a cookie.
 */
export function sessionHandle(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}

const HANDLE = /^[A-Za-z0-9_-]{43}$/;

/** Accepts either a raw session ID or a handle and returns the handle. */
export function toHandle(idOrHandle: string): string {
  return HANDLE.test(idOrHandle) ? idOrHandle : sessionHandle(idOrHandle);
}
