import { ServerTCP } from '@nestjs/microservices';

/**
 * Nest's TCP server, with a direct route lookup. To support object patterns, Nest runs
 * JSON.parse on every incoming pattern; for a plain string pattern such as
 * 'session.resolve' that throws, and builds a stack trace, on every message (about a
 * tenth of a resolve's CPU time here). Registered string patterns are matched first.
 */
export class SessionTcpServer extends ServerTCP {
  override getRouteFromPattern(pattern: string): string {
    return this.messageHandlers.has(pattern) ? pattern : super.getRouteFromPattern(pattern);
  }
}
