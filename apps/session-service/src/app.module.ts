import { Module, type DynamicModule } from '@nestjs/common';
import { SessionModule, type ServiceConfig } from '#libs/session';
import { LogoutOtherDevicesMethod } from './account/logout-other-devices.method.js';
import { HealthController } from './health/health.controller.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { ServiceMetrics } from './metrics/service-metrics.js';
import { DrainState } from './shutdown/drain-state.js';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [SessionModule.forRoot(config)],
      controllers: [HealthController, MetricsController, LogoutOtherDevicesMethod],
      providers: [DrainState, ServiceMetrics],
    };
  }
}
