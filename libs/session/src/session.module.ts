import { Inject, Module, type DynamicModule, type ModuleMetadata, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ServiceTokenVerifier } from './auth/service-token.verifier.js';
import { SERVICE_CONFIG, type ServiceConfig } from './config/service-config.js';
import { AdminService } from './admin/admin.service.js';
import { AuditService } from './admin/audit.service.js';
import { BasketService } from './baskets/basket.service.js';
import { ProviderService } from './providers/provider.service.js';
import { SessionManager } from './core/session-manager.js';
import { AdminMethods } from './methods/admin.methods.js';
import { CartMethods } from './methods/cart.methods.js';
import { WishlistMethods } from './methods/wishlist.methods.js';
import { SessionMethods } from './methods/session.methods.js';
import { RpcDispatcher } from './rpc/rpc-dispatcher.js';
import { RpcMethodExplorer } from './rpc/rpc-method-explorer.js';
import { createStore, STORE, STORE_HANDLE, storeProviders, type StoreHandle, type StoreSource } from './store/store.providers.js';
import { securityProviders } from './security/security.providers.js';
import { SecurityEvents } from './security/security-events.js';
import { ReauthenticateMethods } from './security/reauthenticate.methods.js';
import { BASKET_REPOSITORY } from './store/basket-repository.js';
import { SESSION_REPOSITORY } from './store/session-repository.js';

/**
 * What SessionModule runs on: the config and, optionally, a store or a node-redis client of
 * the caller's making (see StoreSource). Without either, the config picks the backend.
 */
export type SessionModuleOptions = StoreSource;

export interface SessionModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: NonNullable<Extract<Provider, { useFactory: unknown }>['inject']>;
  useFactory(...args: unknown[]): SessionModuleOptions | Promise<SessionModuleOptions>;
}

const SESSION_MODULE_OPTIONS = Symbol('SESSION_MODULE_OPTIONS');

/** Sessions, the RPC dispatch (RpcMethodExplorer) and the built-in methods. Import once, in the process's root module. */
@Module({})
export class SessionModule implements OnApplicationShutdown {
  constructor(@Inject(STORE_HANDLE) private readonly handle: StoreHandle) {}

  /** `forRoot(config)` is `forRoot({ config })`. */
  static forRoot(options: SessionModuleOptions | ServiceConfig): DynamicModule {
    const resolved = 'config' in options ? options : { config: options };
    return SessionModule.build([], [{ provide: SESSION_MODULE_OPTIONS, useValue: resolved }]);
  }

  /** The options from a factory, e.g. a config or Redis client another module provides. */
  static forRootAsync(options: SessionModuleAsyncOptions): DynamicModule {
    return SessionModule.build(options.imports ?? [], [
      { provide: SESSION_MODULE_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
    ]);
  }

  private static build(imports: NonNullable<ModuleMetadata['imports']>, optionsProviders: Provider[]): DynamicModule {
    return {
      module: SessionModule,
      global: true,
      imports: [JwtModule.register({}), DiscoveryModule, ...imports],
      controllers: [SessionMethods, AdminMethods, CartMethods, WishlistMethods, ReauthenticateMethods],
      providers: [
        ...optionsProviders,
        { provide: SERVICE_CONFIG, inject: [SESSION_MODULE_OPTIONS], useFactory: (o: SessionModuleOptions) => o.config },
        { provide: STORE_HANDLE, inject: [SESSION_MODULE_OPTIONS], useFactory: (o: SessionModuleOptions) => createStore(o) },
        ...storeProviders,
        ...securityProviders,
        SessionManager,
        BasketService,
        AuditService,
        AdminService,
        ProviderService,
        ServiceTokenVerifier,
        RpcDispatcher,
        RpcMethodExplorer,
      ],
      exports: [SERVICE_CONFIG, STORE, SESSION_REPOSITORY, BASKET_REPOSITORY, SessionManager, RpcMethodExplorer, SecurityEvents],
    };
  }

  /** Closes the store the module made (its connection, unless the caller passed the client); a caller's store is left to its owner. */
  async onApplicationShutdown(): Promise<void> {
    if (this.handle.owned) await this.handle.store.sessions.close();
  }
}
