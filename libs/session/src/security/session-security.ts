import { Injectable } from '@nestjs/common';
import type { SessionState } from '../core/session-state.js';
import type { MessageState } from '../rpc/message-state.js';
import { LoginThrottle } from './login-throttle.js';
import { assertRecentLogin, recentLoginFor } from './recent-login.js';
import { SecurityEvents } from './security-events.js';

/** What the RPC layer needs of the security features: one object, injected where the session is resolved. */
@Injectable()
export class SessionSecurity {
  constructor(
    readonly throttle: LoginThrottle,
    readonly events: SecurityEvents,
  ) {}

  /** REAUTH_REQUIRED (or NOT_LOGGED_IN) before the handler runs, for a method its options or the shop's config mark. */
  enforceRecentLogin(message: MessageState, state: SessionState | null): void {
    const maxAge = recentLoginFor(message.shop, message.pattern, message.options.recentLogin);
    if (maxAge === null || state === null) return;
    this.requireRecentLogin(message, state, maxAge);
  }

  requireRecentLogin(message: MessageState, state: SessionState, maxAgeSeconds: number): void {
    try {
      assertRecentLogin(state, maxAgeSeconds, message.receivedAt);
    } catch (e) {
      this.events.emit({ type: 'reauth-required', shopId: message.shop.shopId, pattern: message.pattern });
      throw e;
    }
  }
}
