import { applyDecorators, SetMetadata, UseFilters } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import type { ClassConstructor } from 'class-transformer';
import type { Scope } from '#libs/contracts';
import { RpcErrorFilter } from './rpc-error.filter.js';

export interface RpcMethodOptions {
  /** Every scope listed is required. */
  scopes: Scope[];
  /** class-validator class for `data`; failures reach the caller as VALIDATION_FAILED. */
  input?: ClassConstructor<object>;
  /** false: no session is resolved (admin methods); the response's `session` is null. */
  session?: boolean;
  /** Seconds: the session's login (or re-authentication) must be this recent, else REAUTH_REQUIRED. */
  recentLogin?: number;
}

export const RPC_METHOD = Symbol('RPC_METHOD');

/**
 * Registers an RPC method of contract v1. Built-in methods use it, and so does every
 * method a team adds: it authenticates the service token, checks scopes, validates the
 * input, resolves the session into an RpcContext and wraps the result in `{ data, session }`.
 */
export function RpcMethod(pattern: string, options: RpcMethodOptions): MethodDecorator {
  return applyDecorators(MessagePattern(pattern), SetMetadata(RPC_METHOD, options), UseFilters(RpcErrorFilter));
}
