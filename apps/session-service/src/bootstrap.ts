import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { Logger, type INestApplication, type LoggerService, type LogLevel } from '@nestjs/common';
import type { ServiceConfig } from '#libs/session';
import { AppModule } from './app.module.js';

/** Largest request frame the TCP transport accepts, in characters. */
export const MAX_FRAME_CHARS = 1_048_576;

export interface StartOptions {
  logger?: LoggerService | LogLevel[] | false;
}

/** Starts the TCP transport on config.port and GET /health on config.httpPort. */
export async function startSessionService(config: ServiceConfig, options: StartOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: options.logger ?? ['log', 'warn', 'error'] });
  const logger = new Logger('SessionService');
  for (const warning of config.warnings) logger.warn(warning);
  app.connectMicroservice<MicroserviceOptions>({
    transport: Transport.TCP,
    // Frames above 1 MiB are refused (the connection is closed); requests are small.
    options: { host: config.host, port: config.port, maxBufferSize: MAX_FRAME_CHARS, incompleteMessageTimeout: 10_000 },
  }, { inheritAppConfig: true }); // without it, APP_GUARD/APP_INTERCEPTOR would not reach the RPC handlers
  app.enableShutdownHooks();
  await app.startAllMicroservices();
  await app.listen(config.httpPort, config.host);
  logger.log(`RPC (TCP) on ${config.host}:${config.port}, health on http://${config.host}:${config.httpPort}/health, store: ${config.redisUrl ? 'redis' : 'memory'}`);
  return app;
}
