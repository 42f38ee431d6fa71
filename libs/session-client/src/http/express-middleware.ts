import type { IncomingMessage, ServerResponse } from 'node:http';
import { attachSession } from './attach-session.js';
import type { SessionAdapterOptions } from './session-adapter.options.js';

/** An Express (4 or 5) or connect middleware; typed structurally so this package imports no framework. */
export type SessionMiddleware<TRequest extends IncomingMessage = IncomingMessage> = (
  req: TRequest,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * `app.use(storefrontSession({ client, shop: '1001' }))`: every request gets
 * `req.storefrontSession` (read it with `sessionOf(req)`), and the response carries the
 * Set-Cookie the service asked for, whoever ends it. An unreachable service serves a guest
 * or passes a 503 error to `next`, per `whenUnavailable`; other service errors go to `next`.
 */
export function storefrontSession<TRequest extends IncomingMessage = IncomingMessage>(
  options: SessionAdapterOptions<TRequest>,
): SessionMiddleware<TRequest> {
  return (req, res, next) => {
    attachSession(req, res, options).then(
      () => next(),
      (error: unknown) => next(error),
    );
  };
}
