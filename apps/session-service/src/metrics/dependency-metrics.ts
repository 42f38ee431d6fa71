import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { HotHistogram } from './hot-histogram.js';
import { storeCallChannel, type StoreCallEvent } from '#libs/session';
import { circuitChannel, providerCallChannel, type CircuitEvent, type ProviderCallEvent } from '#libs/token-providers';

/** Seconds: a store call answers in well under a millisecond, up to its timeout (about a second). */
const STORE_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 1, 2.5];
/** Seconds: provider calls cross the internet, up to their 5 s timeout and retries. */
const PROVIDER_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Metrics of the service's dependencies: Redis calls, commerce-provider calls and their
 * circuit breakers. The libraries publish on diagnostics channels (they know no metrics
 * library); this subscribes while the service runs. Channels are per process: services
 * sharing one process (as in tests) count each other's calls.
 */
export class DependencyMetrics {
  private readonly storeCalls: HotHistogram<'command' | 'outcome'>;
  private readonly storeFailures: Counter<'command' | 'outcome'>;
  private readonly providerCalls: Histogram<'provider' | 'operation' | 'outcome'>;
  private readonly openCircuits = new Map<object, string>();
  /** Each command's success series, bound once: observing it then skips the label lookup (every resolve sends two). */
  private readonly storeOk = new Map<string, { observe(seconds: number): void }>();
  private readonly onStoreCall = (message: unknown): void => {
    const { command, outcome, seconds } = message as StoreCallEvent;
    if (outcome === 'ok') {
      let ok = this.storeOk.get(command);
      if (!ok) this.storeOk.set(command, (ok = this.storeCalls.labels({ command, outcome })));
      ok.observe(seconds);
      return;
    }
    this.storeCalls.observe({ command, outcome }, seconds);
    this.storeFailures.inc({ command, outcome });
  };
  private readonly onProviderCall = (message: unknown): void => {
    const { provider, operation, outcome, seconds } = message as ProviderCallEvent;
    this.providerCalls.observe({ provider, operation, outcome }, seconds);
  };
  private readonly onCircuit = (message: unknown): void => {
    const { breaker, provider, state } = message as CircuitEvent;
    if (state === 'open') this.openCircuits.set(breaker, provider);
    else this.openCircuits.delete(breaker);
  };

  constructor(registry: Registry) {
    this.storeCalls = new HotHistogram({
      name: 'session_store_call_duration_seconds',
      help: 'Redis calls of the session store, by command (EVALSHA for scripts) and outcome (ok, reply_error, unavailable)',
      labelNames: ['command', 'outcome'] as const,
      buckets: STORE_BUCKETS,
      registers: [registry],
    });
    this.storeFailures = new Counter({
      name: 'session_store_call_failures_total',
      help: 'Redis calls that failed: reply_error (Redis refused the command) or unavailable (no answer in time, connection lost)',
      labelNames: ['command', 'outcome'] as const,
      registers: [registry],
    });
    this.providerCalls = new Histogram({
      name: 'session_provider_call_duration_seconds',
      help: 'Commerce-provider HTTP calls (retries included), by provider, operation and outcome (ok, timeout, network, http_5xx, circuit_open)',
      labelNames: ['provider', 'operation', 'outcome'] as const,
      buckets: PROVIDER_BUCKETS,
      registers: [registry],
    });
    const open = this.openCircuits;
    new Gauge({
      name: 'session_provider_circuits_open',
      help: 'Circuit breakers of commerce providers that are open (failing fast), by provider',
      labelNames: ['provider'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const provider of new Set(open.values())) {
          this.set({ provider }, [...open.values()].filter((p) => p === provider).length);
        }
      },
    });
  }

  start(): void {
    subscribe(storeCallChannel.name, this.onStoreCall);
    subscribe(providerCallChannel.name, this.onProviderCall);
    subscribe(circuitChannel.name, this.onCircuit);
  }

  stop(): void {
    unsubscribe(storeCallChannel.name, this.onStoreCall);
    unsubscribe(providerCallChannel.name, this.onProviderCall);
    unsubscribe(circuitChannel.name, this.onCircuit);
  }
}
