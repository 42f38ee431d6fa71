import { Controller, Get, HttpException, HttpStatus, Inject } from '@nestjs/common';
import { STORE, type Store, type StoreHealth } from '#libs/session';

@Controller('health')
export class HealthController {
  constructor(@Inject(STORE) private readonly store: Store) {}

  /**
   * 200 when the store can serve, 503 when it cannot. On a Redis Cluster the body names the
   * cluster's state and the nodes that do not answer: with a master down and
   * `cluster_state:ok`, the other shards still serve (200, status `degraded`).
   */
  @Get()
  async check(): Promise<{ status: 'ok' | 'degraded' } & Omit<StoreHealth, 'ok'>> {
    const { ok, ...health } = await this.store.health().catch((): StoreHealth => ({ ok: false, store: 'redis' }));
    if (!ok) throw new HttpException({ status: 'unavailable', ...health }, HttpStatus.SERVICE_UNAVAILABLE);
    return { status: health.cluster?.unreachable.length ? 'degraded' : 'ok', ...health };
  }
}
