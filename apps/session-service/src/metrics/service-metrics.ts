import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds; RPCs answer in well under a millisecond to a store timeout of about a second. */
const RPC_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * The service's Prometheus metrics, in a registry of their own (one per running service, so
 * several can share a process, as in tests). Served by GET /metrics on the HTTP port.
 */
@Injectable()
export class ServiceMetrics {
  readonly registry = new Registry();

  /** Every answered RPC, by pattern and result: `OK` or the contract error code. */
  readonly rpcDuration = new Histogram({
    name: 'session_rpc_duration_seconds',
    help: 'Time from receiving an RPC to its answer, by pattern and result code (OK or the error code)',
    labelNames: ['pattern', 'code'] as const,
    buckets: RPC_BUCKETS,
    registers: [this.registry],
  });

  private countConnections: (() => Promise<number>) | null = null;
  private countCallsInFlight: (() => number) | null = null;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    const metrics = this;
    // Read when scraped, from the transport's own count: nothing to update per call.
    new Gauge({
      name: 'session_rpc_in_flight',
      help: 'RPCs received and not answered yet',
      registers: [this.registry],
      collect() {
        this.set(metrics.countCallsInFlight ? metrics.countCallsInFlight() : 0);
      },
    });
    new Gauge({
      name: 'session_tcp_connections',
      help: 'Open TCP connections of callers',
      registers: [this.registry],
      async collect() {
        this.set(metrics.countConnections ? await metrics.countConnections() : 0);
      },
    });
  }

  /** Where `session_rpc_in_flight` is read from (the RPC transport's count of unanswered calls). */
  countCallsInFlightWith(count: () => number): void {
    this.countCallsInFlight = count;
  }

  /** Where `session_tcp_connections` is read from (the RPC transport's server). */
  countConnectionsWith(count: () => Promise<number>): void {
    this.countConnections = count;
  }
}
