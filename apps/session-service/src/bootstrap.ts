import 'reflect-metadata';
import type { Server } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { CustomStrategy } from '@nestjs/microservices';
import { Logger, type INestApplication, type LoggerService, type LogLevel } from '@nestjs/common';
import { RpcMethodExplorer, SecurityEvents, STORE, type ServiceConfig, type SessionModuleOptions, type Store } from '#libs/session';
import { AppModule } from './app.module.js';
import { routeInstrumented } from './metrics/instrument-rpc-handlers.js';
import { ServiceMetrics } from './metrics/service-metrics.js';
import { countSecurityEvents } from './metrics/security-metrics.js';
import { DrainState } from './shutdown/drain-state.js';
import { SessionTcpServer } from './transport/session-tcp.server.js';

export interface StartOptions {
  logger?: LoggerService | LogLevel[] | false;
  /** A store, or a node-redis client, of the embedder's making (SessionModule.forRoot); the config's otherwise. */
  store?: Omit<SessionModuleOptions, 'config'>;
}

const CLOSE_TIMEOUT_MS = 5_000;
const transports = new WeakMap<INestApplication, { tcp: SessionTcpServer; graceMs: number }>();

/** Starts the TCP transport on config.port and GET /health on config.httpPort. */
export async function startSessionService(config: ServiceConfig, options: StartOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config, options.store), { logger: options.logger ?? ['log', 'warn', 'error'] });
  const logger = new Logger('SessionService');
  for (const warning of config.warnings) logger.warn(warning);
  const tcp = new SessionTcpServer({ host: config.host, port: config.port, limits: config.transport });
  app.connectMicroservice<CustomStrategy>({ strategy: tcp });
  const metrics = app.get(ServiceMetrics);
  // Every @RpcMethod handler, found once here, is answered by the transport directly.
  routeInstrumented(tcp, app.get(RpcMethodExplorer).routes(), metrics);
  metrics.countCallsInFlightWith(() => tcp.callsInFlight);
  const events = app.get<typeof STORE, Store>(STORE).sessions.events;
  metrics.countLostEventsWith(() => events.lost);
  countSecurityEvents(app.get(SecurityEvents), metrics.registry);
  metrics.countConnectionsWith(() => new Promise((resolve) => tcp.unwrap<Server>().getConnections((_, count) => resolve(count ?? 0))));
  transports.set(app, { tcp, graceMs: config.transport.shutdownGraceMs });
  await app.startAllMicroservices();
  await app.listen(config.httpPort, config.host);
  logger.log(
    `RPC (TCP) on ${config.host}:${config.port} (at most ${tcp.maxConnections} connections), health on http://${config.host}:${config.httpPort}/health, store: ${storeName(config, options)}`,
  );
  return app;
}

/**
 * The graceful stop (SIGTERM): /health reports draining, no new connections, the calls in
 * flight are answered within the grace period, then the HTTP server, the transport and
 * Redis are closed.
 */
export async function stopSessionService(app: INestApplication): Promise<void> {
  const logger = new Logger('SessionService');
  const transport = transports.get(app);
  if (transport) {
    app.get(DrainState).draining = true;
    logger.log(`draining ${transport.tcp.callsInFlight} calls (grace period ${transport.graceMs} ms)`);
    const unanswered = await transport.tcp.drain(transport.graceMs);
    if (unanswered > 0) logger.warn(`grace period over: ${unanswered} calls left unanswered`);
  }
  // Closing waits for Redis to answer QUIT: a hung Redis must not hold the process.
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    app.close().then(() => true),
    new Promise<false>((resolve) => (timer = setTimeout(resolve, CLOSE_TIMEOUT_MS, false))),
  ]);
  clearTimeout(timer);
  if (!closed) logger.warn(`closing the HTTP server and the store took more than ${CLOSE_TIMEOUT_MS} ms; stopping anyway`);
  logger.log('stopped');
}

function storeName(config: ServiceConfig, options: StartOptions): string {
  if (options.store?.store) return 'given by the embedder';
  if (options.store?.redis) return 'redis (client given by the embedder)';
  return config.redisClusterNodes ? 'redis cluster' : config.redisUrl ? 'redis' : 'memory';
}
