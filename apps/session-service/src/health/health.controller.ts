import { Controller, Get, HttpException, HttpStatus, Inject } from '@nestjs/common';
import { SERVICE_CONFIG, SESSION_REPOSITORY, type ServiceConfig, type SessionRepository } from '#libs/session';
import { DrainState } from '../shutdown/drain-state.js';

@Controller('health')
export class HealthController {
  constructor(
    @Inject(SESSION_REPOSITORY) private readonly repo: SessionRepository,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(DrainState) private readonly drain: DrainState,
  ) {}

  /** 200 when the store answers, 503 otherwise, and 503 `draining` once a shutdown has begun. */
  @Get()
  async check(): Promise<{ status: 'ok'; store: string }> {
    const store = this.config.redisUrl ? 'redis' : 'memory';
    if (this.drain.draining) throw new HttpException({ status: 'draining', store }, HttpStatus.SERVICE_UNAVAILABLE);
    try {
      await this.repo.ping();
    } catch {
      throw new HttpException({ status: 'unavailable', store }, HttpStatus.SERVICE_UNAVAILABLE);
    }
    return { status: 'ok', store };
  }
}
