import { Module, type DynamicModule } from '@nestjs/common';
import { SessionModule, type ServiceConfig, type SessionModuleOptions } from '#libs/session';
import { LogoutOtherDevicesMethod } from './account/logout-other-devices.method.js';
import { HealthController } from './health/health.controller.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { ServiceMetrics } from './metrics/service-metrics.js';
import { DrainState } from './shutdown/drain-state.js';

@Module({})
export class AppModule {
  /** `store`: a store or node-redis client of the embedder's making instead of the one the config names. */
  static forRoot(config: ServiceConfig, store: Omit<SessionModuleOptions, 'config'> = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [SessionModule.forRoot({ ...store, config })],
      controllers: [HealthController, MetricsController, LogoutOtherDevicesMethod],
      providers: [DrainState, ServiceMetrics],
    };
  }
}
