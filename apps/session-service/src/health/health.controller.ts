import { Controller, Get, HttpException, HttpStatus, Inject } from '@nestjs/common';
import { STORE, type Store, type StoreHealth } from '#libs/session';
import { DrainState } from '../shutdown/drain-state.js';

@Controller('health')
export class HealthController {
  constructor(
    @Inject(STORE) private readonly store: Store,
    @Inject(DrainState) private readonly drain: DrainState,
  ) {}

  /**
   * 200 when the store can serve, 503 when it cannot, and 503 `draining` once a shutdown has
   * begun. On a Redis Cluster the body names the cluster's state and the nodes that do not
   * answer: with a master down and `cluster_state:ok`, the other shards still serve (200,
   * status `degraded`).
   */
  @Get()
  async check(): Promise<{ status: 'ok' | 'degraded' } & Omit<StoreHealth, 'ok'>> {
    if (this.drain.draining)
      throw new HttpException({ status: 'draining', store: (await this.describe()).store }, HttpStatus.SERVICE_UNAVAILABLE);
    const { ok, ...health } = await this.describe();
    if (!ok) throw new HttpException({ status: 'unavailable', ...health }, HttpStatus.SERVICE_UNAVAILABLE);
    return { status: health.cluster?.unreachable.length ? 'degraded' : 'ok', ...health };
  }

  private describe(): Promise<StoreHealth> {
    return this.store.health().catch((): StoreHealth => ({ ok: false, store: 'redis' }));
  }
}
