import type { AnyRpcContract, RpcRequest } from '#libs/contracts';
import type { ShopSettings } from '../config/service-config.js';
import type { ServiceCaller } from '../auth/service-caller.js';
import { newCallLogFields, type CallLogFields } from '../logging/call-log-context.js';

/** What admission established about one call; it lives as long as the call's dispatch. */
export interface CallState {
  readonly pattern: string;
  readonly receivedAt: number;
  readonly request: RpcRequest;
  readonly caller: ServiceCaller;
  readonly shop: ShopSettings;
  readonly contract: AnyRpcContract;
  /** The validated `data`, an instance of the contract's input class; undefined without one. */
  readonly input: object | undefined;
  /** Made when the call first logs: most calls log nothing. */
  logFields?: CallLogFields;
}

/** The call's log fields (call id, pattern, caller), the same for every line it writes. */
export function callLogFields(call: CallState): CallLogFields {
  return (call.logFields ??= newCallLogFields(call.pattern, call.caller.subject));
}
