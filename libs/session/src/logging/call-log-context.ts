import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/**
 * What every log line written during one RPC carries, so an operator can group a call's
 * lines and see who made it. Never a session ID, cookie or token.
 */
export interface CallLogFields {
  /** Unique per call: this process's random prefix and a counter (no entropy spent per call). */
  readonly callId: string;
  readonly pattern: string;
  /** The `sub` of the caller's service token, once the token is verified. */
  caller?: string;
}

const storage = new AsyncLocalStorage<CallLogFields>();
const INSTANCE = randomBytes(4).toString('hex');
let calls = 0;

/** Runs one call's handling with its own fields; what it starts (promises, timers) inherits them. */
export function runWithCallLog<T>(pattern: string, handle: () => T): T {
  return storage.run({ callId: `${INSTANCE}-${(++calls).toString(36)}`, pattern }, handle);
}

/** Runs `fn` inside fields taken earlier with currentCallLog() (e.g. where an Observable is subscribed). */
export function runInCallLog<T>(fields: CallLogFields, fn: () => T): T {
  return storage.run(fields, fn);
}

export function currentCallLog(): CallLogFields | undefined {
  return storage.getStore();
}

/** Called by the auth guard with the verified token's subject. */
export function setCallLogCaller(subject: string): void {
  const fields = storage.getStore();
  if (fields) fields.caller = subject;
}
