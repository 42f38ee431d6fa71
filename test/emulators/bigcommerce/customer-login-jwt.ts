import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ResolvedBigCommerceOptions } from './bigcommerce-options.js';
import type { BigCommerceState } from './bigcommerce-state.js';

// Customer Login API (SSO) JWT, commerce-apis.md A3.

export interface CustomerLoginClaims {
  iss: string;
  iat: number;
  jti: string;
  operation: string;
  store_hash: string;
  customer_id: number;
  channel_id?: number;
  redirect_to?: string;
  request_ip?: string;
  impersonator_id?: unknown;
  [claim: string]: unknown;
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** Mints a token the way Catalyst does: HS256, `{alg, typ}` header, signed with the client secret. */
export function signCustomerLoginJwt(
  payload: Record<string, unknown>,
  secret: string,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' },
): string {
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

export interface CustomerLoginCheck {
  clientId: string;
  clientSecret: string;
  storeHash: string;
  channelId: number;
  nowSeconds: number;
  maxAgeSeconds: number;
  maxFutureSkewSeconds: number;
  /** Address of the caller, compared with `request_ip` when the claim is present. */
  requestIp: string;
  customerExists: (id: number) => boolean;
  /** Records the jti; false when it was seen before. */
  consumeJti: (jti: string) => boolean;
}

/** The check for this emulator's store configuration at the given time and caller address. */
export function storeCustomerLoginCheck(input: {
  state: BigCommerceState;
  options: ResolvedBigCommerceOptions;
  nowMs: number;
  requestIp: string;
}): CustomerLoginCheck {
  const { state, options } = input;
  return {
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    storeHash: options.storeHash,
    channelId: options.channelId,
    nowSeconds: Math.floor(input.nowMs / 1000),
    maxAgeSeconds: options.jwtMaxAgeSeconds,
    maxFutureSkewSeconds: options.jwtMaxFutureSkewSeconds,
    requestIp: input.requestIp,
    customerExists: (id) => state.customers.has(id),
    consumeJti: (jti) => state.consumeJti(jti),
  };
}

export type CustomerLoginCheckResult = { ok: true; claims: CustomerLoginClaims } | { ok: false; reason: string };

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function verifyCustomerLoginJwt(token: string, check: CustomerLoginCheck): CustomerLoginCheckResult {
  const fail = (reason: string): CustomerLoginCheckResult => ({ ok: false, reason });
  const parts = token.split('.');
  if (parts.length !== 3) return fail('malformed token');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];

  // "The type and algorithm are always JWT and HS256" (A3).
  const header = decodeJson(headerPart);
  if (!header || header.alg !== 'HS256' || header.typ !== 'JWT') return fail('unsupported header, expected typ JWT and alg HS256');

  const expected = createHmac('sha256', check.clientSecret).update(`${headerPart}.${payloadPart}`).digest();
  const given = Buffer.from(signaturePart, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return fail('signature verification failed');

  const claims = decodeJson(payloadPart) as CustomerLoginClaims | undefined;
  if (!claims) return fail('malformed payload');

  // Single use: an authentic request burns its jti even if a later check rejects it.
  if (typeof claims.jti !== 'string' || claims.jti === '') return fail('missing jti');
  if (!check.consumeJti(claims.jti)) return fail('jti has already been used');

  if (claims.iss !== check.clientId) return fail('iss does not match the client id');
  if (claims.operation !== 'customer_login') return fail('operation must be customer_login');
  if (claims.store_hash !== check.storeHash) return fail('store_hash does not match this store');
  if (typeof claims.iat !== 'number' || !Number.isFinite(claims.iat)) return fail('missing iat');
  if (check.nowSeconds - claims.iat > check.maxAgeSeconds) return fail('token has expired (iat too old)');
  if (claims.iat - check.nowSeconds > check.maxFutureSkewSeconds) return fail('iat is in the future');
  if (!Number.isInteger(claims.customer_id)) return fail('customer_id must be an integer');
  if (!check.customerExists(claims.customer_id)) return fail('customer not found');
  if (claims.channel_id !== undefined && claims.channel_id !== check.channelId) return fail('channel_id does not match this channel');
  if (claims.request_ip !== undefined && claims.request_ip !== check.requestIp) return fail('request_ip does not match the caller');
  if (claims.redirect_to !== undefined && (typeof claims.redirect_to !== 'string' || !/^\/(?!\/)/.test(claims.redirect_to))) {
    return fail('redirect_to must be a relative path');
  }
  return { ok: true, claims };
}
