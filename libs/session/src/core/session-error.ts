import { RpcException } from '@nestjs/microservices';
import type { ErrorCode, RpcErrorPayload } from '#libs/contracts';

/**
 * An error with a contract code. It is an RpcException whose error is the contract's
 * `{ code, message, details? }`, so it reaches the caller in that shape through any RPC filter.
 */
export class SessionError extends RpcException {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(details === undefined ? { code, message } : { code, message, details });
    this.name = 'SessionError';
  }

  toPayload(): RpcErrorPayload {
    return this.getError() as RpcErrorPayload;
  }
}
