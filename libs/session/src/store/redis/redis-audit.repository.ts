import { AUDIT_MAX_ENTRIES, type AuditRecord, type AuditRepository } from '../audit-repository.js';
import type { RedisCache } from './redis-cache.provider.js';
import type { StoreCalls } from './store-calls.js';

/** The audit trail as one Redis stream, trimmed to about AUDIT_MAX_ENTRIES. */
export class RedisAuditRepository implements AuditRepository {
  private readonly key: string;
  private readonly redis: RedisCache;

  constructor(private readonly calls: StoreCalls) {
    this.key = calls.keys.audit();
    this.redis = calls.redis;
  }

  async append(record: AuditRecord): Promise<void> {
    await this.calls.bounded(
      this.redis.client.sendCommand([
        'XADD', this.key, 'MAXLEN', '~', String(AUDIT_MAX_ENTRIES), '*',
        'at', String(record.at), 'actor', record.actor, 'action', record.action,
        'shop', record.shopId, 'user', record.userId ?? '', 'count', String(record.count),
      ]),
    );
  }

  async tail(count: number): Promise<AuditRecord[]> {
    const entries = await this.calls.bounded(this.redis.client.xRevRange(this.key, '+', '-', { COUNT: count }));
    return entries.map(({ message: m }) => ({
      at: Number(m.at),
      actor: m.actor ?? '',
      action: m.action ?? '',
      shopId: m.shop ?? '',
      userId: m.user ? m.user : null,
      count: Number(m.count),
    }));
  }
}
