import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
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
import { ServiceAuthGuard } from './rpc/service-auth.guard.js';
import { SessionInterceptor } from './rpc/session.interceptor.js';
import { STORE, storeProviders } from './store/store.providers.js';
import { securityProviders } from './security/security.providers.js';
import { SecurityEvents } from './security/security-events.js';
import { ReauthenticateMethods } from './security/reauthenticate.methods.js';
import { BASKET_REPOSITORY } from './store/basket-repository.js';
import { SESSION_REPOSITORY, type SessionRepository } from './store/session-repository.js';

/** Sessions, the RpcContext machinery and the built-in methods. Import once, in the process's root module. */
@Module({})
export class SessionModule implements OnApplicationShutdown {
  constructor(@Inject(SESSION_REPOSITORY) private readonly repo: SessionRepository) {}

  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: SessionModule,
      global: true,
      imports: [JwtModule.register({})],
      controllers: [SessionMethods, AdminMethods, CartMethods, WishlistMethods, ReauthenticateMethods],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        ...storeProviders,
        ...securityProviders,
        SessionManager,
        BasketService,
        AuditService,
        AdminService,
        ProviderService,
        ServiceTokenVerifier,
        { provide: APP_GUARD, useClass: ServiceAuthGuard },
        { provide: APP_INTERCEPTOR, useClass: SessionInterceptor },
      ],
      exports: [SERVICE_CONFIG, STORE, SESSION_REPOSITORY, BASKET_REPOSITORY, SessionManager, SecurityEvents],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.repo.close();
  }
}
