import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';

export interface CustomerLoginJwtOptions {
  /** API account client id (`iss`). */
  clientId: string;
  /** API account client secret (HS256 key). */
  clientSecret: string;
  storeHash: string;
  /** Clock in epoch ms [Date.now]. */
  now?: () => number;
}

export interface CustomerLoginJwtInput {
  customerId: number;
  channelId?: number;
  /** Relative path; BigCommerce defaults to /account.php. */
  redirectTo?: string;
  /** If given, BigCommerce rejects the login from any other address. */
  requestIp?: string;
}

/**
 * Mints Customer Login API (SSO) JWTs (commerce-apis.md A3): HS256 with `{alg, typ}` header,
 * signed with the client secret, a fresh `jti` per token and `iat` in whole seconds. Usable at
 * `GET /login/token/{jwt}` or with the `loginWithCustomerLoginJwt` mutation.
 */
export class CustomerLoginJwtMinter {
  private readonly jwt = new JwtService();
  private readonly now: () => number;

  constructor(private readonly options: CustomerLoginJwtOptions) {
    this.now = options.now ?? Date.now;
  }

  mint(input: CustomerLoginJwtInput): string {
    const payload: Record<string, string | number> = {
      iss: this.options.clientId,
      iat: Math.floor(this.now() / 1000),
      jti: randomUUID(),
      operation: 'customer_login',
      store_hash: this.options.storeHash,
      customer_id: Math.floor(input.customerId),
    };
    if (input.channelId) payload['channel_id'] = input.channelId;
    if (input.redirectTo) payload['redirect_to'] = input.redirectTo;
    if (input.requestIp) payload['request_ip'] = input.requestIp;
    return this.jwt.sign(payload, {
      secret: this.options.clientSecret,
      algorithm: 'HS256',
      header: { alg: 'HS256', typ: 'JWT' },
    });
  }
}
