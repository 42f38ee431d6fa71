import { channel } from 'node:diagnostics_channel';
import type { CircuitState } from './circuit-breaker.js';

/** One provider HTTP request (retries included), as published on `providerCallChannel`. */
export interface ProviderCallEvent {
  provider: string;
  operation: string;
  seconds: number;
  /** `ok` for any answer below 500 (the caller maps 4xx), else why it failed: timeout, network, http_5xx, circuit_open. */
  outcome: string;
}

/** A breaker that opened or closed, as published on `circuitChannel`; `breaker` identifies it within the process. */
export interface CircuitEvent {
  breaker: object;
  provider: string;
  state: Exclude<CircuitState, 'half-open'>;
}

/**
 * Provider calls and breaker changes are published here (Node's diagnostics_channel) for
 * whoever measures them, so this library needs no metrics library. Nothing is published
 * while nobody subscribes.
 */
export const providerCallChannel = channel('storefront-session:provider-call');
export const circuitChannel = channel('storefront-session:provider-circuit');
