import { Injectable } from '@nestjs/common';
import type { SessionState } from '../core/session-state.js';
import type { CallState } from '../rpc/call-state.js';
import { LoginThrottle } from './login-throttle.js';
import { assertRecentLogin, recentLoginFor } from './recent-login.js';
import { SecurityEvents } from './security-events.js';

/** What the RPC layer needs of the security features: one object, given to the dispatcher and the call contexts. */
@Injectable()
export class SessionSecurity {
  constructor(
    readonly throttle: LoginThrottle,
    readonly events: SecurityEvents,
  ) {}

  /**
   * REAUTH_REQUIRED (or NOT_LOGGED_IN) before the handler runs, for a method its
   * `recentLogin` option (`own`) or the shop's `security.recentLogin` patterns mark.
   */
  enforceRecentLogin(call: CallState, state: SessionState, own: number | undefined): void {
    const maxAge = recentLoginFor(call.shop, call.pattern, own);
    if (maxAge !== null) this.requireRecentLogin(call, state, maxAge);
  }

  requireRecentLogin(call: CallState, state: SessionState, maxAgeSeconds: number): void {
    try {
      assertRecentLogin(state, maxAgeSeconds, call.receivedAt);
    } catch (e) {
      this.events.emit({ type: 'reauth-required', shopId: call.shop.shopId, pattern: call.pattern });
      throw e;
    }
  }
}
