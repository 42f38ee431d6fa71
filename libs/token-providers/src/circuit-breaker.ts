import { circuitChannel, type CircuitEvent } from './provider-diagnostics.js';
import { ProviderError } from './provider-error.js';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit [5]. */
  failureThreshold?: number;
  /** How long the circuit stays open before one trial call is let through [10000 ms]. */
  coolDownMs?: number;
  /** Clock in epoch ms [Date.now]. */
  now?: () => number;
}

/**
 * Per-provider breaker: opens after `failureThreshold` consecutive failures, fails fast while
 * open, and after `coolDownMs` lets a single trial call through (half-open). The trial's
 * success closes the circuit; its failure opens it again for another cool-down.
 */
export class CircuitBreaker {
  private readonly failureThreshold: number;
  private readonly coolDownMs: number;
  private readonly now: () => number;
  private failures = 0;
  private openedAt: number | undefined;
  private trialInFlight = false;

  constructor(
    readonly name: string,
    options: CircuitBreakerOptions = {},
  ) {
    this.failureThreshold = Math.max(1, options.failureThreshold ?? 5);
    this.coolDownMs = Math.max(0, options.coolDownMs ?? 10_000);
    this.now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.coolDownMs ? 'half-open' : 'open';
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /**
   * Runs `fn` unless the circuit is open. `isFailure` decides which errors count against the
   * provider (e.g. timeouts and 5xx, not a wrong password).
   */
  async run<T>(operation: string, fn: () => Promise<T>, isFailure: (err: unknown) => boolean): Promise<T> {
    const state = this.state;
    if (state === 'open' || (state === 'half-open' && this.trialInFlight)) {
      throw new ProviderError('PROVIDER_UNAVAILABLE', `${this.name} is unavailable (circuit open)`, {
        provider: this.name,
        operation,
        reason: 'circuit_open',
      });
    }
    const trial = state === 'half-open';
    if (trial) this.trialInFlight = true;
    try {
      const result = await fn();
      this.onSuccess();
      return result;
    } catch (err) {
      if (isFailure(err)) this.onFailure();
      else this.onSuccess();
      throw err;
    } finally {
      if (trial) this.trialInFlight = false;
    }
  }

  private onSuccess(): void {
    this.failures = 0;
    if (this.openedAt === undefined) return;
    this.openedAt = undefined;
    this.publish('closed');
  }

  private onFailure(): void {
    this.failures += 1;
    // A failed trial re-opens at once; otherwise open at the threshold.
    if (this.openedAt !== undefined || this.failures >= this.failureThreshold) {
      const opening = this.openedAt === undefined;
      this.openedAt = this.now();
      if (opening) this.publish('open');
    }
  }

  private publish(state: CircuitEvent['state']): void {
    if (circuitChannel.hasSubscribers) circuitChannel.publish({ breaker: this, provider: this.name, state } satisfies CircuitEvent);
  }
}
