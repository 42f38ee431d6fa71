import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { DependencyMetrics } from './dependency-metrics.js';
import { HotHistogram } from './hot-histogram.js';

/** Seconds; RPCs answer in well under a millisecond to a store timeout of about a second. */
const RPC_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * The service's Prometheus metrics, in a registry of their own (one per running service, so
 * several can share a process, as in tests). Served by GET /metrics on the HTTP port.
 */
@Injectable()
export class ServiceMetrics implements OnModuleInit, OnApplicationShutdown {
  readonly registry = new Registry();
  /** Redis and commerce-provider calls, circuit breakers. */
  private readonly dependencies = new DependencyMetrics(this.registry);

  /** Every answered RPC, by pattern and result: `OK` or the contract error code. */
  readonly rpcDuration = new HotHistogram({
    name: 'session_rpc_duration_seconds',
    help: 'Time from receiving an RPC to its answer, by pattern and result code (OK or the error code)',
    labelNames: ['pattern', 'code'] as const,
    buckets: RPC_BUCKETS,
    registers: [this.registry],
  });

  private countConnections: (() => Promise<number>) | null = null;
  private countLostEvents: (() => number) | null = null;
  private countCallsInFlight: (() => number) | null = null;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    const connections = () => (this.countConnections ? this.countConnections() : Promise.resolve(0));
    const callsInFlight = () => (this.countCallsInFlight ? this.countCallsInFlight() : 0);
    // Read when scraped, from the transport's own count: nothing to update per call.
    new Gauge({
      name: 'session_rpc_in_flight',
      help: 'RPCs received and not answered yet',
      registers: [this.registry],
      collect() {
        this.set(callsInFlight());
      },
    });
    new Gauge({
      name: 'session_tcp_connections',
      help: 'Open TCP connections of callers',
      registers: [this.registry],
      async collect() {
        this.set(await connections());
      },
    });
    const lostEvents = () => this.countLostEvents?.() ?? 0;
    let lostSeen = 0;
    new Counter({
      name: 'session_events_lost_total',
      help: 'Session events not written although their change was made (Redis Cluster only: the stream write after the change failed)',
      registers: [this.registry],
      collect() {
        const lost = lostEvents();
        if (lost > lostSeen) this.inc(lost - lostSeen);
        lostSeen = lost;
      },
    });
  }

  /** Where `session_events_lost_total` is read from (the store's event log). */
  countLostEventsWith(count: () => number): void {
    this.countLostEvents = count;
  }

  onModuleInit(): void {
    this.dependencies.start();
  }

  onApplicationShutdown(): void {
    this.dependencies.stop();
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
