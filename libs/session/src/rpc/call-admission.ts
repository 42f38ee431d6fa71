import { ErrorCodes, type AnyRpcContract } from '#libs/contracts';
import type { ServiceTokenVerifier } from '../auth/service-token.verifier.js';
import type { ServiceConfig } from '../config/service-config.js';
import { dataLimitBytes, MAX_DATA_DEPTH, MAX_SERVICE_TOKEN_CHARS } from '../core/payload-limits.js';
import { SessionError } from '../core/session-error.js';
import { jsonShapeErrors } from '../validation/json-shape-limits.js';
import { validatePlain } from '../validation/validate-plain.js';
import type { CallState } from './call-state.js';
import { invalid, parseEnvelope } from './parse-envelope.js';

/**
 * The checks every call passes before its method runs: token, scopes, envelope, shop and
 * input, in that order, so an unauthenticated caller learns nothing and a refused call
 * executes nothing. The limits on `data` (depth, forbidden keys, size) hold for every
 * pattern, with or without an input class. Throws a SessionError.
 */
export class CallAdmission {
  private readonly maxDataBytes: number;

  constructor(
    private readonly verifier: ServiceTokenVerifier,
    private readonly config: ServiceConfig,
  ) {
    this.maxDataBytes = dataLimitBytes(config.limits);
  }

  admit(contract: AnyRpcContract, payload: unknown): CallState {
    const receivedAt = this.config.wallClock();
    const pattern = contract.pattern;
    const auth = (payload as { auth?: unknown } | null)?.auth;
    if (typeof auth !== 'string' || auth.length === 0) throw new SessionError(ErrorCodes.unauthenticated, 'missing service token (auth)');
    if (auth.length > MAX_SERVICE_TOKEN_CHARS) throw new SessionError(ErrorCodes.unauthenticated, 'invalid service token: too long');
    const caller = this.verifier.verify(auth, receivedAt);
    const missing = contract.scopes.filter((s) => !caller.scopes.has(s));
    if (missing.length) {
      throw new SessionError(ErrorCodes.forbidden, `${pattern} needs scope ${missing.join(' ')}`, {
        requiredScopes: [...contract.scopes],
        missing,
      });
    }

    const request = parseEnvelope(payload);
    const shop = this.config.shops.get(request.shopId);
    if (!shop) throw new SessionError(ErrorCodes.unknownShop, `unknown shop "${request.shopId}"`);

    this.checkDataLimits(request.data);
    let input: object | undefined;
    if (contract.input) {
      const checked = validatePlain(contract.input as new () => object, request.data ?? {}, 'data');
      if (!checked.ok) throw invalid(checked.errors);
      input = checked.value;
    }
    return { pattern, receivedAt, request, caller, shop, contract, input };
  }

  /** Size first (cheap to refuse a large payload whole), then shape, which walks without recursion. */
  private checkDataLimits(data: unknown): void {
    if (data === undefined || isEmptyObject(data)) return;
    const size = jsonBytes(data);
    if (size !== null && size > this.maxDataBytes) {
      throw new SessionError(ErrorCodes.payloadTooLarge, `data is ${size} bytes as JSON; the limit is ${this.maxDataBytes}`, {
        size,
        limit: this.maxDataBytes,
      });
    }
    const shape = jsonShapeErrors(data, 'data', MAX_DATA_DEPTH);
    if (shape.length) throw invalid(shape);
  }
}

/** `{}`, the data of most calls (resolve, get): nothing to measure or walk. */
function isEmptyObject(value: unknown): boolean {
  for (const _ in value as object) return false;
  return true;
}

/** Null when the value is nested too deep to serialise: the shape check then reports it. */
function jsonBytes(value: unknown): number | null {
  try {
    return Buffer.byteLength(JSON.stringify(value));
  } catch {
    return null;
  }
}
