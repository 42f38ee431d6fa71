/**
 * Child process: the baseline. A bare Nest TCP microservice with one handler that
 * returns the payload's `data` shaped like a real reply. No guard, no interceptor, no store.
 */
import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload, Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { ECHO_PATTERN } from './echo-pattern.js';

@Controller()
class EchoController {
  @MessagePattern(ECHO_PATTERN)
  echo(@Payload() payload: { data?: unknown }): { data: unknown; session: null } {
    return { data: payload.data ?? null, session: null };
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

const app = await NestFactory.createMicroservice<MicroserviceOptions>(EchoModule, {
  transport: Transport.TCP,
  options: { host: process.env.ECHO_HOST ?? '127.0.0.1', port: Number(process.env.ECHO_PORT) },
  logger: false,
});
await app.listen();
