import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { Logger } from '@nestjs/common';
import { ServerTCP, type TcpSocket } from '@nestjs/microservices';
import { ErrorCodes, type RpcErrorPayload } from '#libs/contracts';
import type { CallHandler, TransportLimits } from '#libs/session';
import { ConnectionGuard } from './connection-guard.js';
import { BatchingJsonSocket } from './batching-json-socket.js';
import { RateLimitedLog } from './rate-limited-log.js';

const DEFAULT_MAX_CONNECTIONS = 4_096;
/** File descriptors kept free of RPC connections: Redis, /health, logs, the runtime. */
const RESERVED_FILES = 128;
const MAX_ID_CHARS = 128;

export interface SessionTcpOptions {
  host: string;
  port: number;
  limits: TransportLimits;
}

/**
 * Nest's TCP server with the session service's transport limits (docs/operations.md):
 * a connection cap, idle and per-frame deadlines and a shared budget for partial frames
 * (ConnectionGuard, BatchingJsonSocket); a message without an id, or for an unknown
 * pattern, answered with a contract error; a count of calls in flight, so that a
 * shutdown can answer them before it stops (drain()); transport errors logged at a
 * bounded rate.
 *
 * The methods (`route()`, one CallHandler per @RpcMethod pattern) are answered directly:
 * the handler does the whole call in one async function and the reply is written as
 * Nest writes it (`{ response | err, isDisposed: true, id }`), without Nest's per-message
 * pipeline of guards, interceptors, filters and observables. A pattern Nest knows but that
 * has no route (a `@MessagePattern` without @RpcMethod) is refused with FORBIDDEN.
 *
 * Nest's own routes are looked up directly: to support object patterns, Nest runs
 * JSON.parse on every incoming pattern; for a plain string pattern such as
 * 'session.resolve' that throws, and builds a stack trace, on every message.
 */
export class SessionTcpServer extends ServerTCP {
  readonly maxConnections: number;
  private readonly log: RateLimitedLog;
  private readonly guard: ConnectionGuard;
  private calls = 0;
  private draining = false;
  private drained: (() => void) | null = null;
  private readonly routes = new Map<string, CallHandler>();

  constructor(options: SessionTcpOptions) {
    super({ host: options.host, port: options.port });
    const { maxConnections, shutdownGraceMs: _grace, ...limits } = options.limits;
    this.log = new RateLimitedLog(new Logger('Transport'));
    this.guard = new ConnectionGuard(limits, this.log);
    this.maxConnections = maxConnections ?? defaultMaxConnections();
    // Node accepts and at once closes connections over the cap, and reports each with 'drop'.
    this.server.maxConnections = this.maxConnections;
    this.server.on('drop', () =>
      this.log.write('warn', 'refused', `refused a TCP connection: ${this.maxConnections} connections are open (transport.maxConnections)`),
    );
  }

  /** Answers `pattern` with `handler`. */
  route(pattern: string, handler: CallHandler): void {
    this.routes.set(pattern, handler);
  }

  /** Calls received and not answered yet. */
  get callsInFlight(): number {
    return this.calls;
  }

  get openConnections(): number {
    return this.guard.connections.size;
  }

  override listen(callback: (err?: unknown, ...optionalParams: unknown[]) => void): void {
    this.guard.start();
    super.listen(callback);
  }

  override close(): void {
    this.guard.stop();
    super.close();
  }

  /**
   * Stops accepting connections, closes those with nothing in flight, answers further
   * requests with SHUTTING_DOWN (not executed) and waits until the calls in flight are
   * answered, or `graceMs` has passed. Resolves with how many were left unanswered.
   */
  async drain(graceMs: number): Promise<number> {
    this.draining = true;
    this.server.close();
    for (const c of this.guard.connections) if (c.inFlight === 0) c.finish();
    if (this.calls > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        this.drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.calls;
  }

  override bindHandler(socket: Socket): void {
    if (this.draining) {
      socket.destroy();
      return;
    }
    super.bindHandler(socket);
  }

  protected override getSocketInstance(socket: Socket): TcpSocket {
    const connection = new BatchingJsonSocket(socket, this.guard);
    this.guard.track(connection);
    return connection;
  }

  override async handleMessage(socket: TcpSocket, rawMessage: unknown): Promise<void> {
    const connection = socket as BatchingJsonSocket;
    if (connection.closing) return;
    // BatchingJsonSocket passes on JSON objects only.
    const packet = rawMessage as { id?: unknown; pattern?: unknown };
    const id = packet.id;
    if (!isRequestId(id)) {
      this.log.write('warn', 'no-id', 'refused a message without a valid id: every message is a request (events are not supported)');
      const message =
        'every message is a request and needs an id (a string of 1-128 characters or a number); events (ClientProxy.emit) are not supported';
      return reply(socket, undefined, {
        code: ErrorCodes.validationFailed,
        message: `id: ${message}`,
        details: [{ field: 'id', message }],
      });
    }
    if (this.draining) {
      return reply(socket, id, {
        code: ErrorCodes.shuttingDown,
        message: 'the service instance is shutting down; the call was not executed, retry it',
      });
    }
    const route = typeof packet.pattern === 'string' ? this.routes.get(packet.pattern) : undefined;
    if (route) return this.answer(connection, id, route, (rawMessage as { data?: unknown }).data);
    if (typeof packet.pattern !== 'string' || !this.getHandlerByPattern(packet.pattern)) {
      const shown =
        typeof packet.pattern === 'string'
          ? JSON.stringify(packet.pattern.slice(0, 64))
          : `of type ${packet.pattern === null ? 'null' : typeof packet.pattern}`;
      this.log.write('warn', 'unknown-pattern', `refused a message for an unknown pattern ${shown}`);
      return reply(socket, id, { code: ErrorCodes.unknownPattern, message: `no method answers the pattern ${shown}` });
    }
    return this.handleUnrouted(socket, id, packet.pattern, rawMessage);
  }

  /** A pattern Nest has a handler for, but no route: a `@MessagePattern` without @RpcMethod, refused. */
  protected handleUnrouted(socket: TcpSocket, id: string | number, pattern: string, _rawMessage: unknown): Promise<void> | void {
    return reply(socket, id, { code: ErrorCodes.forbidden, message: `${pattern} is not registered with @RpcMethod` });
  }

  private async answer(connection: BatchingJsonSocket, id: string | number, route: CallHandler, payload: unknown): Promise<void> {
    connection.inFlight++;
    this.calls++;
    try {
      const answer = await route(payload);
      // The key order of Nest's own replies: { response | err, isDisposed, id }.
      connection.sendMessage(answer.err ? { err: answer.err, isDisposed: true, id } : { response: answer.response, isDisposed: true, id });
    } finally {
      this.callEnded(connection);
    }
  }

  protected override getRouteFromPattern(pattern: string): string {
    return this.messageHandlers.has(pattern) ? pattern : super.getRouteFromPattern(pattern);
  }

  /** Socket errors (resets, a peer gone) and failed handlers: one line per interval. */
  protected override handleError(error: unknown): void {
    const text = error instanceof Error ? error.message : String(error);
    this.log.write('error', 'transport-error', `TCP transport error: ${text}`);
  }

  private callEnded(connection: BatchingJsonSocket): void {
    connection.inFlight--;
    connection.lastActiveAt = Date.now();
    this.calls--;
    if (!this.draining) return;
    if (connection.inFlight === 0) connection.finish();
    if (this.calls === 0) this.drained?.();
  }
}

function isRequestId(id: unknown): id is string | number {
  return (typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_CHARS) || (typeof id === 'number' && Number.isFinite(id));
}

function reply(socket: TcpSocket, id: string | number | undefined, err: RpcErrorPayload): void {
  socket.sendMessage({ ...(id === undefined ? {} : { id }), err, isDisposed: true });
}

/** 4096, or fewer when the open-file limit leaves less room (Linux: /proc/self/limits). */
function defaultMaxConnections(): number {
  try {
    const line = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (line) return Math.max(16, Math.min(DEFAULT_MAX_CONNECTIONS, Number(line[1]) - RESERVED_FILES));
  } catch {
    // not Linux: the default stands
  }
  return DEFAULT_MAX_CONNECTIONS;
}
