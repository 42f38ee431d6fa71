import type { RpcRequest } from '#libs/contracts';
import type { ShopSettings } from '../config/service-config.js';
import type { ServiceCaller } from '../auth/service-caller.js';
import type { RpcMethodOptions } from './rpc-method.decorator.js';
import type { RpcContext } from './rpc-context.js';

/** What the guard established about one message, for the interceptor and the param decorators. */
export interface MessageState {
  pattern: string;
  receivedAt: number;
  request: RpcRequest;
  caller: ServiceCaller;
  shop: ShopSettings;
  options: RpcMethodOptions;
  input?: object;
  context?: RpcContext;
}

/**
 * Keyed by the deserialised payload object, which is unique to its message and shared by
 * guards, interceptors and param decorators; entries vanish with the message.
 */
export const messageStates = new WeakMap<object, MessageState>();
