import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AuditEntry } from '#libs/contracts';
import { AUDIT_REPOSITORY, type AuditRepository } from '../store/audit-repository.js';

/** Records admin actions and force-logouts: who (the service token's sub), what, when, how many. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger('Audit');

  constructor(@Inject(AUDIT_REPOSITORY) private readonly repo: AuditRepository) {}

  async record(actor: string, action: string, shopId: string, userId: string | null, count: number): Promise<void> {
    await this.repo.append({ at: Date.now(), actor, action, shopId, userId, count });
    this.logger.log(`${actor} ${action} shop=${shopId}${userId ? ` user=${userId}` : ''} count=${count}`);
  }

  async tail(count: number): Promise<AuditEntry[]> {
    return (await this.repo.tail(count)).map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
  }
}
