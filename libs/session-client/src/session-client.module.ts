import { Module, type DynamicModule } from '@nestjs/common';
import { SessionClient } from './session-client.js';
import type { SessionClientOptions } from './session-client.options.js';

/** Provides an injectable `SessionClient`; its connection closes when the module is destroyed. */
@Module({})
export class SessionClientModule {
  static register(options: SessionClientOptions): DynamicModule {
    return {
      module: SessionClientModule,
      // A factory, so SessionClient needs no DI metadata and stays usable with plain `new`.
      providers: [{ provide: SessionClient, useFactory: () => new SessionClient(options) }],
      exports: [SessionClient],
    };
  }
}
