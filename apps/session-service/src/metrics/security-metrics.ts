import { Counter, type Registry } from 'prom-client';
import type { SecurityEvents } from '#libs/session';

/**
 * Counters for the security features (docs/operations.md, "Security"):
 *  - session_login_lockouts_total{shop,subject}: accounts or client keys locked by failed logins;
 *  - session_login_throttled_total{shop,subject}: credential logins refused with TOO_MANY_ATTEMPTS;
 *  - session_reauth_required_total{shop,pattern}: calls refused with REAUTH_REQUIRED.
 */
export function countSecurityEvents(events: SecurityEvents, registry: Registry): void {
  const lockouts = new Counter({
    name: 'session_login_lockouts_total',
    help: 'Accounts (subject="account") or client keys (subject="client") locked out by failed credential logins',
    labelNames: ['shop', 'subject'] as const,
    registers: [registry],
  });
  const throttled = new Counter({
    name: 'session_login_throttled_total',
    help: 'Credential logins refused with TOO_MANY_ATTEMPTS, by what was locked; they never reached the provider',
    labelNames: ['shop', 'subject'] as const,
    registers: [registry],
  });
  const reauth = new Counter({
    name: 'session_reauth_required_total',
    help: 'Calls refused with REAUTH_REQUIRED (the login was older than the method allows)',
    labelNames: ['shop', 'pattern'] as const,
    registers: [registry],
  });
  events.on((event) => {
    if (event.type === 'login-locked') lockouts.inc({ shop: event.shopId, subject: event.subject });
    else if (event.type === 'login-refused') throttled.inc({ shop: event.shopId, subject: event.subject });
    else reauth.inc({ shop: event.shopId, pattern: event.pattern });
  });
}
