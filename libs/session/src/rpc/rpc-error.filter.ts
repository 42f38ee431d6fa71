import { Catch, Logger, type ArgumentsHost, type RpcExceptionFilter } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { throwError, type Observable } from 'rxjs';
import { ErrorCodes, type RpcErrorPayload } from '#libs/contracts';
import { SessionError } from '../core/session-error.js';
import { logWithin } from '../logging/call-log-context.js';
import { StoreUnavailableError } from '../store/store-unavailable.error.js';
import { callLogFields, messageStates } from './message-state.js';

const CODES = new Set<string>(Object.values(ErrorCodes));

/**
 * Every error leaves as `{ code, message, details? }`, never Nest's generic
 * "Internal server error". Unexpected errors are logged here and reach the caller as INTERNAL.
 */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('RpcErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    // A call refused before its token was verified has no log fields (and logs nothing).
    const data: unknown = host.switchToRpc().getData();
    const message = typeof data === 'object' && data !== null ? messageStates.get(data) : undefined;
    let payload: RpcErrorPayload | undefined;
    logWithin(message && callLogFields(message), () => (payload = this.toPayload(exception)));
    return throwError(() => payload!);
  }

  private toPayload(e: unknown): RpcErrorPayload {
    if (e instanceof SessionError) return e.toPayload();
    if (e instanceof StoreUnavailableError) {
      this.logger.warn(e.message);
      return { code: ErrorCodes.storeUnavailable, message: 'the session store is unavailable; retry later' };
    }
    if (e instanceof RpcException) {
      const error = e.getError();
      if (typeof error === 'object' && error && CODES.has(String((error as { code?: unknown }).code))) return error as RpcErrorPayload;
    }
    this.logger.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    return { code: ErrorCodes.internal, message: 'internal error' };
  }
}
