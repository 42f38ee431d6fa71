import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SessionClient } from '../session-client.js';
import { appendSetCookie } from '../set-cookie-header.js';
import { SessionServiceError } from '../session-service.error.js';
import { headersHook } from './before-headers.js';
import { readCookie } from './cookie-header.js';
import { defaultCookieName, UNAVAILABLE_CODES, type SessionAdapterOptions } from './session-adapter.options.js';
import { StorefrontSession } from './storefront-session.js';

type ResolveResponse = Awaited<ReturnType<SessionClient['resolve']>>;

/** The property the adapter sets on the request. */
export const SESSION_PROPERTY = 'storefrontSession';

export type RequestWithSession<TRequest extends IncomingMessage = IncomingMessage> = TRequest & { storefrontSession: StorefrontSession };

/** Thrown (Express: passed to `next`) when `whenUnavailable` is `fail`; `status` 503 for Express's error handling. */
export class SessionUnavailableError extends Error {
  override readonly name = 'SessionUnavailableError';
  readonly status = 503;
  readonly statusCode = 503;
  readonly expose = true;

  constructor(override readonly cause: SessionServiceError) {
    super('the session service is unavailable');
  }
}

/**
 * The framework-neutral core of the Express middleware and the Nest guard: resolves the
 * request's session, puts it on `req.storefrontSession`, and arranges for the last
 * Set-Cookie the service asks for during the request to go out with the response's headers.
 * Rejects with `SessionUnavailableError` (`whenUnavailable: 'fail'`) or any other
 * `SessionServiceError` (a misconfigured token, an unknown shop).
 */
export function attachSession<TRequest extends IncomingMessage>(
  req: TRequest,
  res: ServerResponse,
  options: SessionAdapterOptions<TRequest>,
): Promise<StorefrontSession> {
  const shopId = typeof options.shop === 'function' ? options.shop(req) : options.shop;
  const cookie = readCookie(req.headers.cookie, (options.cookieName ?? defaultCookieName)(shopId));
  // A then-chain rather than an async function: one promise and one hop fewer per request.
  return options.client.resolve(shopId, cookie).then(
    (resolved) => attach(req, res, resolvedSession(options, shopId, cookie, resolved)),
    (e: unknown) => attach(req, res, guestSession(options, shopId, cookie, e)),
  );
}

function resolvedSession(
  options: SessionAdapterOptions<never>,
  shopId: string,
  cookie: string | null,
  resolved: ResolveResponse,
): StorefrontSession {
  try {
    const session = new StorefrontSession(options.client, shopId, cookie, true);
    session.adopt(resolved);
    return session;
  } catch (e) {
    return guestSession(options, shopId, cookie, e);
  }
}

/** A guest session when the service is unavailable and the policy allows it; throws otherwise. */
function guestSession(options: SessionAdapterOptions<never>, shopId: string, cookie: string | null, e: unknown): StorefrontSession {
  const error = SessionServiceError.from(e);
  if (!UNAVAILABLE_CODES.has(error.code)) throw error;
  if (options.whenUnavailable === 'fail') throw new SessionUnavailableError(error);
  return new StorefrontSession(options.client, shopId, cookie, false);
}

function attach(req: IncomingMessage, res: ServerResponse, session: StorefrontSession): StorefrontSession {
  (req as RequestWithSession).storefrontSession = session;
  if (!res.headersSent) writeSetCookieBeforeHeaders(res);
  return session;
}

/** The Set-Cookie the request's session has pending goes out with the headers (the session is found through `res.req`). */
const writeSetCookieBeforeHeaders = headersHook((res) => {
  const setCookie = (res.req as Partial<RequestWithSession> | undefined)?.storefrontSession?.takeSetCookie();
  if (setCookie) appendSetCookie(res, setCookie);
});

/** The session the adapter attached to this request; throws if the adapter did not run for it. */
export function sessionOf(req: IncomingMessage): StorefrontSession {
  const session = (req as Partial<RequestWithSession>).storefrontSession;
  if (!session) throw new Error('no storefront session on this request: is the session adapter installed for this route?');
  return session;
}
