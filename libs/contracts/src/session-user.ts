/** The shopper as the session stores it: an `id` plus whatever profile fields the caller keeps. */
export interface SessionUser {
  id: string;
  [field: string]: unknown;
}

/** Free-form data a storefront keeps in the session (JSON object). */
export type SessionCustomData = Record<string, unknown>;

/** A user ID may appear in session IDs and Redis hash tags, so it is restricted to this alphabet. */
export const USER_ID_PATTERN = /^[A-Za-z0-9_@-]{1,128}$/;
