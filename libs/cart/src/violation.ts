/**
 * VALIDATION_FAILED: the request is malformed or cannot apply (bad id, non-integer quantity,
 * oversized customData, unknown line). A client bug, not something to show the shopper.
 * LIMIT_EXCEEDED: the request is well-formed but would take a line over the quantity cap or the
 * cart/wishlist over its size. Something the shopper can run into and should be told about.
 */
export type ViolationCode = 'VALIDATION_FAILED' | 'LIMIT_EXCEEDED';

/** One problem with a request. `field` is a dotted path from the request root. */
export interface Violation {
  readonly code: ViolationCode;
  readonly field: string;
  readonly message: string;
}

/** What a checked operation returns: the new value, or why nothing changed. */
export type OperationResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly violations: readonly Violation[] };

export function validationFailed(field: string, message: string): Violation {
  return { code: 'VALIDATION_FAILED', field, message };
}

export function limitExceeded(field: string, message: string): Violation {
  return { code: 'LIMIT_EXCEEDED', field, message };
}
