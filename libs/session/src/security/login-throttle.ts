import { createHmac, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ErrorCodes } from '#libs/contracts';
import { AuditService } from '../admin/audit.service.js';
import { SERVICE_CONFIG, type ServiceConfig, type ShopSettings } from '../config/service-config.js';
import { SessionError } from '../core/session-error.js';
import { LOGIN_THROTTLE_REPOSITORY, type LoginThrottleRepository, type ThrottleSubject } from '../store/login-throttle-repository.js';
import { SecurityEvents } from './security-events.js';

/** Who is logging in, as the throttle counts it. */
export interface LoginAttempt {
  shop: ShopSettings;
  email: string;
  /** What the caller passed as `clientKey` (e.g. the shopper's IP address). */
  clientKey?: string | undefined;
  /** The calling service (its token's subject), for the audit trail. */
  actor: string;
}

/** The audit action of an account lock-out. */
export const LOCKOUT_AUDIT_ACTION = 'login.lockout';

/**
 * Credential-login throttling: failed logins are counted per account (normalised email) and
 * per client key, in sliding windows with exponential lock-outs (the shop's
 * `security.loginThrottle`). An attempt is counted before it reaches the provider, so
 * concurrent guesses cannot overrun the limit; a locked subject answers TOO_MANY_ATTEMPTS
 * with `retryAfter` and never reaches the provider. Emails and client keys are stored only
 * as an HMAC under a key derived from the service secret.
 */
@Injectable()
export class LoginThrottle {
  private readonly hmacKey: Buffer;
  private readonly logger = new Logger('LoginThrottle');

  constructor(
    @Inject(LOGIN_THROTTLE_REPOSITORY) private readonly repo: LoginThrottleRepository,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
    private readonly events: SecurityEvents,
    private readonly audit: AuditService,
  ) {
    this.hmacKey = createHmac('sha256', config.authSecret).update('login-throttle/v1').digest();
  }

  /** Runs `login` (the provider call) under the throttle; INVALID_CREDENTIALS counts as a failure. */
  async guard<T>(attempt: LoginAttempt, login: () => Promise<T>): Promise<T> {
    const policy = attempt.shop.security.loginThrottle;
    if (!policy.enabled) return login();
    const account = this.subject(attempt.shop.shopId, 'account', normaliseEmail(attempt.email));
    const client = attempt.clientKey === undefined ? null : this.subject(attempt.shop.shopId, 'client', attempt.clientKey.trim());
    const token = randomUUID();
    const [forAccount, forClient] = await Promise.all([
      this.repo.attempt(account, policy.account, token),
      client ? this.repo.attempt(client, policy.clientKey, token) : null,
    ]);
    if (!forAccount.allowed || (forClient && !forClient.allowed)) {
      await Promise.all([
        forAccount.allowed && this.repo.release(account, token),
        client && forClient?.allowed && this.repo.release(client, token),
      ]);
      const refusedBy = !forAccount.allowed ? 'account' : 'client';
      const retryAfterMs = Math.max(
        forAccount.allowed ? 0 : forAccount.retryAfterMs,
        forClient && !forClient.allowed ? forClient.retryAfterMs : 0,
      );
      this.events.emit({ type: 'login-refused', shopId: attempt.shop.shopId, subject: refusedBy });
      throw new SessionError(ErrorCodes.tooManyAttempts, 'too many failed logins: try again later', {
        retryAfter: Math.ceil(retryAfterMs / 1000),
        subject: refusedBy === 'account' ? 'account' : 'clientKey',
      });
    }
    let result: T;
    try {
      result = await login();
    } catch (e) {
      if (e instanceof SessionError && e.code === ErrorCodes.invalidCredentials) await this.failed(attempt, account, client);
      else await Promise.all([this.repo.release(account, token), client && this.repo.release(client, token)]);
      throw e;
    }
    await Promise.all([this.repo.reset(account), client && this.repo.release(client, token)]);
    return result;
  }

  private async failed(attempt: LoginAttempt, account: ThrottleSubject, client: ThrottleSubject | null): Promise<void> {
    const policy = attempt.shop.security.loginThrottle;
    const lock = { lockMs: policy.lockMs, maxLockMs: policy.maxLockMs };
    const [byAccount, byClient] = await Promise.all([
      this.repo.failed(account, policy.account, lock),
      client ? this.repo.failed(client, policy.clientKey, lock) : null,
    ]);
    for (const [subject, outcome] of [
      ['account', byAccount],
      ['client', byClient],
    ] as const) {
      if (!outcome?.lockedForMs) continue;
      const lockSeconds = Math.ceil(outcome.lockedForMs / 1000);
      this.events.emit({ type: 'login-locked', shopId: attempt.shop.shopId, subject, level: outcome.level, lockSeconds });
      if (subject === 'account') await this.audit.record(attempt.actor, LOCKOUT_AUDIT_ACTION, attempt.shop.shopId, null, lockSeconds);
      else
        this.logger.warn(`a client key of shop ${attempt.shop.shopId} is locked for ${lockSeconds} s (lock-out ${outcome.level} in a row)`);
    }
  }

  private subject(shopId: string, kind: ThrottleSubject['kind'], value: string): ThrottleSubject {
    return { shopId, kind, hash: createHmac('sha256', this.hmacKey).update(`${shopId}\n${kind}\n${value}`).digest('base64url') };
  }
}

/** One account, however the shopper typed it: Unicode-normalised, trimmed, lower-case. */
export function normaliseEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}
