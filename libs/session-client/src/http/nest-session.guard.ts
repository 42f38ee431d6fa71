import { createParamDecorator, ServiceUnavailableException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { attachSession, SessionUnavailableError, sessionOf } from './attach-session.js';
import type { SessionAdapterOptions } from './session-adapter.options.js';
import type { StorefrontSession } from './storefront-session.js';

/**
 * The Nest equivalent of the Express middleware, for HTTP apps on the Express platform:
 * `app.useGlobalGuards(new StorefrontSessionGuard({ client, shop: '1001' }))` or
 * `@UseGuards(new StorefrontSessionGuard(...))`, then `@ShopSession() session` in handlers.
 * With `whenUnavailable: 'fail'` an unreachable service is a 503 (ServiceUnavailableException).
 */
export class StorefrontSessionGuard implements CanActivate {
  constructor(private readonly options: SessionAdapterOptions) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    try {
      await attachSession(http.getRequest<IncomingMessage>(), http.getResponse<ServerResponse>(), this.options);
    } catch (e) {
      if (e instanceof SessionUnavailableError) throw new ServiceUnavailableException('the session service is unavailable', { cause: e });
      throw e;
    }
    return true;
  }
}

/** The request's StorefrontSession, attached by StorefrontSessionGuard. */
export const ShopSession = createParamDecorator((_data: unknown, context: ExecutionContext): StorefrontSession =>
  sessionOf(context.switchToHttp().getRequest<IncomingMessage>()),
);
