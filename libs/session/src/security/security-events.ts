import { Injectable, Logger } from '@nestjs/common';

/** What the security features report, for metrics (the service subscribes) and nothing else. */
export type SecurityEvent =
  /** Failed credential logins locked an account or a client key. */
  | { type: 'login-locked'; shopId: string; subject: 'account' | 'client'; level: number; lockSeconds: number }
  /** A credential login refused with TOO_MANY_ATTEMPTS (it never reached the provider). */
  | { type: 'login-refused'; shopId: string; subject: 'account' | 'client' }
  /** A method refused with REAUTH_REQUIRED. */
  | { type: 'reauth-required'; shopId: string; pattern: string };

/** A small observer: libraries emit, the process decides what to count (prom-client lives in the app). */
@Injectable()
export class SecurityEvents {
  private readonly listeners: Array<(event: SecurityEvent) => void> = [];
  private readonly logger = new Logger('Security');

  on(listener: (event: SecurityEvent) => void): void {
    this.listeners.push(listener);
  }

  emit(event: SecurityEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (e) {
        this.logger.warn(`a security event listener failed: ${(e as Error).message}`);
      }
    }
  }
}
