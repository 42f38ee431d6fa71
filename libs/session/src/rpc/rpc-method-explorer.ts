import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { AnyRpcContract } from '#libs/contracts';
import { RPC_METHOD, RPC_METHOD_OPTIONS, type RpcMethodOptions } from './rpc-method.decorator.js';
import { RpcDispatcher, type CallHandler } from './rpc-dispatcher.js';

/** One registered method: its pattern, its contract entry and the handler the transport calls. */
export interface RpcRoute {
  readonly pattern: string;
  readonly contract: AnyRpcContract;
  /** Controller class and method name, for messages. */
  readonly where: string;
  readonly handle: CallHandler;
}

/**
 * Finds every @RpcMethod handler of the application's controllers at bootstrap and makes
 * one CallHandler per pattern. Two handlers for one pattern, or `recentLogin` on a method
 * without a session, are startup errors.
 */
@Injectable()
export class RpcMethodExplorer {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly dispatcher: RpcDispatcher,
  ) {}

  routes(): RpcRoute[] {
    const routes = new Map<string, RpcRoute>();
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const method = instance[name] as (...args: unknown[]) => unknown;
        const contract = this.reflector.get<AnyRpcContract | undefined>(RPC_METHOD, method);
        if (!contract) continue;
        const where = `${String(wrapper.name)}.${name}`;
        const taken = routes.get(contract.pattern);
        if (taken) throw new Error(`${contract.pattern} has two handlers: ${taken.where} and ${where}`);
        const options = this.reflector.get<RpcMethodOptions | undefined>(RPC_METHOD_OPTIONS, method) ?? {};
        if (options.recentLogin !== undefined && !contract.session)
          throw new Error(`${where}: recentLogin needs a method with a session (${contract.pattern} has session: false)`);
        const handle = this.dispatcher.handlerFor(contract, (ctx, input) => method.call(instance, ctx, input), options);
        routes.set(contract.pattern, { pattern: contract.pattern, contract, where, handle });
      }
    }
    return [...routes.values()];
  }
}
