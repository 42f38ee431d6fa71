import { randomBytes } from 'node:crypto';
import type { ResolvedCommercetoolsOptions } from './commercetools-options.js';

// Access and refresh tokens of the auth host, commerce-apis.md B1.

export interface TokenIdentity {
  customerId?: string;
  anonymousId?: string;
}

export interface AccessTokenRecord extends TokenIdentity {
  value: string;
  clientId: string;
  scope: string;
  expiresAt: number;
  revoked: boolean;
}

export interface RefreshTokenRecord extends TokenIdentity {
  value: string;
  clientId: string;
  scope: string;
  lastUsedAt: number;
  revoked: boolean;
}

export interface TokenResponse {
  access_token: string;
  expires_in: number;
  scope: string;
  token_type: 'Bearer';
  refresh_token?: string;
}

export class TokenStore {
  readonly accessTokens = new Map<string, AccessTokenRecord>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();

  constructor(
    private readonly now: () => number,
    private readonly options: ResolvedCommercetoolsOptions,
  ) {}

  /** The password and anonymous flows add `customer_id:{id}` / `anonymous_id:{id}` to the scope. */
  issue(clientId: string, baseScope: string, identity: TokenIdentity, withRefreshToken: boolean): TokenResponse {
    const scope = [
      baseScope,
      identity.customerId ? `customer_id:${identity.customerId}` : undefined,
      identity.anonymousId ? `anonymous_id:${identity.anonymousId}` : undefined,
    ]
      .filter(Boolean)
      .join(' ');
    const response = this.issueAccess(clientId, scope, identity);
    if (!withRefreshToken) return response;
    const refresh: RefreshTokenRecord = {
      value: `${this.options.projectKey}:${randomBytes(32).toString('base64url')}`,
      clientId,
      scope,
      ...identity,
      lastUsedAt: this.now(),
      revoked: false,
    };
    this.refreshTokens.set(refresh.value, refresh);
    return { ...response, refresh_token: refresh.value };
  }

  /** New access token for the same scope and identity; no new refresh token (B1). */
  refresh(clientId: string, refreshToken: string): TokenResponse | undefined {
    const record = this.refreshTokens.get(refreshToken);
    if (!record || record.revoked || record.clientId !== clientId) return undefined;
    // "a refresh token that is frequently used will never expire": expiry counts from last use.
    if (this.now() - record.lastUsedAt >= this.options.refreshTokenTtlSeconds * 1000) return undefined;
    record.lastUsedAt = this.now();
    return this.issueAccess(clientId, record.scope, { customerId: record.customerId, anonymousId: record.anonymousId });
  }

  /** The record behind a Bearer token, if it is known, unexpired and not revoked. */
  activeAccessToken(value: string): AccessTokenRecord | undefined {
    const record = this.accessTokens.get(value);
    if (!record || record.revoked || record.expiresAt <= this.now()) return undefined;
    return record;
  }

  /** Revokes an access or refresh token owned by the client; unknown tokens are ignored (RFC 7009). */
  revoke(clientId: string, value: string): void {
    for (const record of [this.accessTokens.get(value), this.refreshTokens.get(value)]) {
      if (record && record.clientId === clientId) record.revoked = true;
    }
  }

  private issueAccess(clientId: string, scope: string, identity: TokenIdentity): TokenResponse {
    const ttl = this.options.accessTokenTtlSeconds;
    const record: AccessTokenRecord = {
      value: randomBytes(24).toString('base64url'),
      clientId,
      scope,
      ...(identity.customerId ? { customerId: identity.customerId } : {}),
      ...(identity.anonymousId ? { anonymousId: identity.anonymousId } : {}),
      expiresAt: this.now() + ttl * 1000,
      revoked: false,
    };
    this.accessTokens.set(record.value, record);
    return { access_token: record.value, expires_in: ttl, scope, token_type: 'Bearer' };
  }
}
