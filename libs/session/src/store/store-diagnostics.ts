import { channel } from 'node:diagnostics_channel';

/** How a store call ended: answered, answered with an error (a bug, not an outage), or no answer in time. */
export type StoreCallOutcome = 'ok' | 'reply_error' | 'unavailable';

/** One Redis command or script, as published on `storeCallChannel`. */
export interface StoreCallEvent {
  /** The command's name (`MGET`, `SET`, ...); `EVALSHA` for a script. */
  command: string;
  seconds: number;
  outcome: StoreCallOutcome;
}

/**
 * Store calls are published here (Node's diagnostics_channel) for whoever measures them, so
 * the store needs no metrics library. Publishing is skipped while nobody subscribes.
 */
export const storeCallChannel = channel('storefront-session:store-call');
