import { applyDecorators, SetMetadata } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import type { AnyRpcContract, InputOf, ResultOf } from '#libs/contracts';
import type { ContextOf } from './rpc-context.js';

export const RPC_METHOD = Symbol('RPC_METHOD');

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
 * does not compile.
 */
export function RpcMethod<C extends AnyRpcContract>(contract: C) {
  const decorate = applyDecorators(MessagePattern(contract.pattern), SetMetadata(RPC_METHOD, contract));
  return <H extends RpcHandler<C>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<H>): void => {
    decorate(target, key, descriptor);
  };
}
