import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { messageStates } from './message-state.js';

/** The typed RpcContext of this message. */
export const RpcCtx = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  return messageStates.get(ctx.switchToRpc().getData() as object)?.context;
});

/** The method's validated `data`, an instance of the class given to @RpcMethod({ input }). */
export const Input = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  return messageStates.get(ctx.switchToRpc().getData() as object)?.input;
});
