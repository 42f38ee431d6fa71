import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ErrorCodes, SERVICE_TOKEN_AUDIENCE } from '#libs/contracts';
import { SERVICE_CONFIG, type ServiceConfig } from '../config/service-config.js';
import { SessionError } from '../core/session-error.js';
import { BoundedCache } from '../util/bounded-cache.js';
import type { ServiceCaller } from './service-caller.js';

interface ServiceTokenClaims {
  sub?: unknown;
  scope?: unknown;
  exp?: unknown;
}

const CACHE_SIZE = 1024;

type VerifiedCaller = ServiceCaller & { expiresAt: number };

/**
 * Verifies service tokens: HS256 JWTs for audience `session-service`, with `sub`, `exp`
 * and a space-separated `scope`. A service reuses its token for many calls, so verified
 * tokens are remembered until they expire (bounded LRU), which keeps HMAC off the hot path.
 */
@Injectable()
export class ServiceTokenVerifier {
  private readonly verified = new BoundedCache<string, VerifiedCaller>(CACHE_SIZE);
  /** The token verified last: a caller's next token is most often the same, and comparing it costs less than hashing it for the cache. */
  private last: { token: string; caller: VerifiedCaller } | null = null;

  constructor(
    private readonly jwt: JwtService,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  verify(token: string, now = Date.now()): ServiceCaller {
    // An expired entry is simply verified again (and refused, or overwritten).
    const last = this.last;
    if (last !== null && last.token === token && last.caller.expiresAt > now) return last.caller;
    const hit = this.verified.get(token);
    if (hit && hit.expiresAt > now) {
      this.last = { token, caller: hit };
      return hit;
    }

    let claims: ServiceTokenClaims;
    try {
      claims = this.jwt.verify<ServiceTokenClaims & object>(token, {
        secret: this.config.authSecret,
        audience: SERVICE_TOKEN_AUDIENCE,
        algorithms: ['HS256'],
      });
    } catch (e) {
      throw new SessionError(ErrorCodes.unauthenticated, `invalid service token: ${(e as Error).message}`);
    }
    if (typeof claims.sub !== 'string' || !claims.sub) throw new SessionError(ErrorCodes.unauthenticated, 'service token has no sub');
    if (typeof claims.exp !== 'number') throw new SessionError(ErrorCodes.unauthenticated, 'service token has no exp');
    const scopes = new Set(typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : []);
    const caller = { subject: claims.sub, scopes, expiresAt: claims.exp * 1000 };
    this.verified.set(token, caller);
    this.last = { token, caller };
    return caller;
  }
}
