import type { IncomingMessage } from 'node:http';
import type { SessionClient } from '../session-client.js';

/**
 * What the adapter does when the session service cannot serve the request: the client
 * reports `UNAVAILABLE` (connection refused or dropped) or `TIMEOUT`, or the service answers
 * `STORE_UNAVAILABLE` (its Redis is down).
 * - `guest`: serve the request as an anonymous guest (`available: false`, no user, empty
 *   cart and wishlist) and write no cookie, so the shopper's cookie survives the outage;
 * - `fail`: answer 503 (Express: `next(error)` with `status` 503; Nest: ServiceUnavailableException).
 */
export type WhenUnavailable = 'guest' | 'fail';

export interface SessionAdapterOptions<TRequest extends IncomingMessage = IncomingMessage> {
  client: SessionClient;
  /** The shop, or how to tell it from the request (host, path prefix, header...). */
  shop: string | ((req: TRequest) => string);
  /** Default `guest`. */
  whenUnavailable?: WhenUnavailable;
  /** The cookie to read; default `$session-<shop>`, the service's default name. */
  cookieName?: (shopId: string) => string;
}

/** Error codes after which a request can still be served as a guest. */
export const UNAVAILABLE_CODES: ReadonlySet<string> = new Set(['UNAVAILABLE', 'TIMEOUT', 'STORE_UNAVAILABLE']);

export const defaultCookieName = (shopId: string): string => `$session-${shopId}`;
