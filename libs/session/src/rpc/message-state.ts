import type { RpcRequest } from '#libs/contracts';
import type { ShopSettings } from '../config/service-config.js';
import type { ServiceCaller } from '../auth/service-caller.js';
import { newCallLogFields, type CallLogFields } from '../logging/call-log-context.js';
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
  /** Made when the call first logs: most calls log nothing. */
  logFields?: CallLogFields;
}

/** The call's log fields (call id, pattern, caller), the same for every line it writes. */
export function callLogFields(message: MessageState): CallLogFields {
  return (message.logFields ??= newCallLogFields(message.pattern, message.caller.subject));
}

/**
 * Keyed by the deserialised payload object, which is unique to its message and shared by
 * guards, interceptors and param decorators; entries vanish with the message.
 */
export const messageStates = new WeakMap<object, MessageState>();
