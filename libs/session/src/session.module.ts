import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
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
import { STORE, storeProviders } from './store/store.providers.js';
import { BASKET_REPOSITORY } from './store/basket-repository.js';
import { SESSION_REPOSITORY, type SessionRepository } from './store/session-repository.js';

/** Sessions, the RPC dispatch (RpcMethodExplorer) and the built-in methods. Import once, in the process's root module. */
@Module({})
export class SessionModule implements OnApplicationShutdown {
  constructor(@Inject(SESSION_REPOSITORY) private readonly repo: SessionRepository) {}

  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: SessionModule,
      global: true,
      imports: [JwtModule.register({}), DiscoveryModule],
      controllers: [SessionMethods, AdminMethods, CartMethods, WishlistMethods],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        ...storeProviders,
        SessionManager,
        BasketService,
        AuditService,
        AdminService,
        ProviderService,
        ServiceTokenVerifier,
        RpcDispatcher,
        RpcMethodExplorer,
      ],
      exports: [SERVICE_CONFIG, STORE, SESSION_REPOSITORY, BASKET_REPOSITORY, SessionManager, RpcMethodExplorer],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.repo.close();
  }
}
