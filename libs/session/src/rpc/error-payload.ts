import { Logger } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { ErrorCodes, type RpcErrorPayload } from '#libs/contracts';
import { SessionError } from '../core/session-error.js';
import { StoreUnavailableError } from '../store/store-unavailable.error.js';

const CODES = new Set<string>(Object.values(ErrorCodes));
const logger = new Logger('RpcErrors');

/**
 * Every error leaves as `{ code, message, details? }`, never Nest's generic
 * "Internal server error". Unexpected errors are logged here and reach the caller as INTERNAL.
 */
export function toErrorPayload(e: unknown): RpcErrorPayload {
  if (e instanceof SessionError) return e.toPayload();
  if (e instanceof StoreUnavailableError) {
    logger.warn(e.message);
    return { code: ErrorCodes.storeUnavailable, message: 'the session store is unavailable; retry later' };
  }
  if (e instanceof RpcException) {
    const error = e.getError();
    if (typeof error === 'object' && error && CODES.has(String((error as { code?: unknown }).code))) return error as RpcErrorPayload;
  }
  logger.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  return { code: ErrorCodes.internal, message: 'internal error' };
}
