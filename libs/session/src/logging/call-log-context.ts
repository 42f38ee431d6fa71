import { randomBytes } from 'node:crypto';

/**
 * What a log line written for one RPC carries, so an operator can group a call's lines and
 * see who made it. Never a session ID, cookie or token.
 */
export interface CallLogFields {
  /** Unique per call: this process's random prefix and a counter. */
  readonly callId: string;
  readonly pattern: string;
  /** The `sub` of the caller's verified service token. */
  readonly caller: string;
}

const INSTANCE = randomBytes(4).toString('hex');
let calls = 0;
let current: CallLogFields | undefined;

export function newCallLogFields(pattern: string, caller: string): CallLogFields {
  return { callId: `${INSTANCE}-${(++calls).toString(36)}`, pattern, caller };
}

/**
 * Runs one synchronous log call with `fields` visible to the logger (JsonLogger reads them
 * with currentCallLog()). Fields are passed this way, not through AsyncLocalStorage: that
 * would make Node 20 run promise hooks for every promise of every call, logged or not.
 */
export function logWithin(fields: CallLogFields | undefined, write: () => void): void {
  const outer = current;
  current = fields;
  try {
    write();
  } finally {
    current = outer;
  }
}

export function currentCallLog(): CallLogFields | undefined {
  return current;
}
