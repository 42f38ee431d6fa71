import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { CustomStrategy } from '@nestjs/microservices';
import { Logger, type INestApplication, type LoggerService, type LogLevel } from '@nestjs/common';
import type { ServiceConfig } from '#libs/session';
import { AppModule } from './app.module.js';
import { CorkedJsonSocket } from './transport/corked-json-socket.js';
import { SessionTcpServer } from './transport/session-tcp.server.js';

export interface StartOptions {
  logger?: LoggerService | LogLevel[] | false;
}

/** Starts the TCP transport on config.port and GET /health on config.httpPort. */
export async function startSessionService(config: ServiceConfig, options: StartOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: options.logger ?? ['log', 'warn', 'error'] });
  const logger = new Logger('SessionService');
  for (const warning of config.warnings) logger.warn(warning);
  const tcp = new SessionTcpServer({ host: config.host, port: config.port, socketClass: CorkedJsonSocket });
  // inheritAppConfig: without it, APP_GUARD/APP_INTERCEPTOR would not reach the RPC handlers.
  app.connectMicroservice<CustomStrategy>({ strategy: tcp }, { inheritAppConfig: true });
  app.enableShutdownHooks();
  await app.startAllMicroservices();
  await app.listen(config.httpPort, config.host);
  logger.log(`RPC (TCP) on ${config.host}:${config.port}, health on http://${config.host}:${config.httpPort}/health, store: ${config.redisClusterNodes ? 'redis cluster' : config.redisUrl ? 'redis' : 'memory'}`);
  return app;
}
