import type { LoggerService } from '@nestjs/common';
import { pino, type DestinationStream, type Level, type Logger } from 'pino';
import { currentCallLog } from '#libs/session';

/**
 * Nest's LoggerService over pino: one JSON object per line, for production. A line written
 * during an RPC carries the call's `callId`, `pattern` and `caller` (the service token's
 * subject). Messages are the service's own, which name session handles, never session
 * IDs, cookies or tokens.
 */
export class JsonLogger implements LoggerService {
  private readonly pino: Logger;

  // Synchronous: lines are few (logins, errors, start and stop), and none is lost at process.exit().
  constructor(destination: DestinationStream = pino.destination({ fd: 1, sync: true })) {
    this.pino = pino(
      {
        base: { service: 'session-service' },
        level: 'info', // Nest's default levels here: log, warn, error (no debug or verbose)
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        mixin: () => currentCallLog() ?? {},
      },
      destination,
    );
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /**
   * Nest passes the logger's context as the last string parameter; `error` may pass a stack
   * before it (`error(message, stack, context)`).
   */
  private write(level: Level, message: unknown, params: unknown[]): void {
    const rest = [...params];
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const fields: Record<string, unknown> = context === undefined ? {} : { context };
    const stack = rest.find((p): p is string => typeof p === 'string');
    if (stack) fields.stack = stack;
    if (message instanceof Error) this.pino[level]({ ...fields, err: message }, message.message);
    else if (typeof message === 'string') this.pino[level](fields, message);
    else this.pino[level]({ ...fields, data: message }, typeof message);
  }
}
