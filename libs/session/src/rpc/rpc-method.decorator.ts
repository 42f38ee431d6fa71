import { applyDecorators, SetMetadata } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import type { AnyRpcContract, InputOf, ResultOf } from '#libs/contracts';
import type { ContextOf } from './rpc-context.js';

export const RPC_METHOD = Symbol('RPC_METHOD');
export const RPC_METHOD_OPTIONS = Symbol('RPC_METHOD_OPTIONS');

/** What the service decides about a method besides its contract entry (none of it is the caller's concern). */
export interface RpcMethodOptions {
  /**
   * Seconds: the session's login (or re-authentication) must be this recent, else
   * REAUTH_REQUIRED (NOT_LOGGED_IN for a guest), checked before the handler runs. Only for
   * entries with `session: true`. Overrides the shop's `security.recentLogin` patterns.
   */
  recentLogin?: number;
}

/**
 * What a handler of contract entry `C` looks like: its context (RpcContext, or
 * ServiceContext for `session: false`), its validated input, and the contract's result.
 */
export type RpcHandler<C extends AnyRpcContract> = (ctx: ContextOf<C>, input: InputOf<C>) => ResultOf<C> | Promise<ResultOf<C>>;

/**
 * Registers the handler of a contract entry. Built-in methods use it, and so does every
 * method a team adds: the call is authenticated, its scopes checked, its input validated
 * with the entry's class, its session resolved into the context, and its result wrapped in
 * `{ data, session }`. A handler whose context, input or result does not match the entry
 * does not compile. `extra`: the service's own options for the method (RpcMethodOptions).
 */
export function RpcMethod<C extends AnyRpcContract>(contract: C, extra: RpcMethodOptions = {}) {
  const decorate = applyDecorators(
    MessagePattern(contract.pattern),
    SetMetadata(RPC_METHOD, contract),
    SetMetadata(RPC_METHOD_OPTIONS, extra),
  );
  return <H extends RpcHandler<C>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<H>): void => {
    decorate(target, key, descriptor);
  };
}
