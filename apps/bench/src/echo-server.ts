/**
 * Child process: a baseline. A Nest TCP microservice with one handler that returns the
 * payload's `data` shaped like a real reply: no auth, no session, no store. ECHO_MODE:
 * - `stock`: Nest's own TCP server and per-message pipeline (handler, rxjs);
 * - `fixed`: the same handler and pipeline on the service's transport (SessionTcpServer: the
 *   batching socket, string patterns looked up without JSON.parse), the fair floor;
 * - `routed`: the service's transport answering the echo as it answers a method (a route,
 *   one async function, no Nest pipeline): what the transport alone costs.
 */
import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload, ServerTCP, Transport, type MicroserviceOptions, type TcpSocket } from '@nestjs/microservices';
import { loadServiceConfig } from '#libs/session';
import { SessionTcpServer } from '../../session-service/src/transport/session-tcp.server.js';
import { ECHO_PATTERN, type EchoMode } from './echo-pattern.js';

const echo = (payload: { data?: unknown } | null) => ({ data: payload?.data ?? null, session: null });

@Controller()
class EchoController {
  @MessagePattern(ECHO_PATTERN)
  echo(@Payload() payload: { data?: unknown }): { data: unknown; session: null } {
    return echo(payload);
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

/** The service's transport, with Nest's pipeline answering the patterns it has no route for. */
class PipelineOnServiceTransport extends SessionTcpServer {
  protected override handleUnrouted(socket: TcpSocket, _id: string | number, _pattern: string, rawMessage: unknown): Promise<void> {
    return ServerTCP.prototype.handleMessage.call(this, socket, rawMessage);
  }
}

const mode = (process.env.ECHO_MODE ?? 'stock') as EchoMode;
const host = process.env.ECHO_HOST ?? '127.0.0.1';
const port = Number(process.env.ECHO_PORT);
const limits = loadServiceConfig({}).transport;

if (mode === 'stock') {
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(EchoModule, {
    transport: Transport.TCP,
    options: { host, port },
    logger: false,
  });
  await app.listen();
} else {
  const strategy = mode === 'fixed' ? new PipelineOnServiceTransport({ host, port, limits }) : new SessionTcpServer({ host, port, limits });
  if (mode === 'routed') strategy.route(ECHO_PATTERN, async (payload) => ({ response: echo(payload as { data?: unknown }) }));
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(EchoModule, { strategy, logger: false });
  await app.listen();
}
