import { AUDIT_MAX_ENTRIES, type AuditRecord, type AuditRepository } from '../audit-repository.js';
import type { RedisConnection } from './redis-connection.js';

/** The audit trail as one Redis stream, trimmed to about AUDIT_MAX_ENTRIES. */
export class RedisAuditRepository implements AuditRepository {
  private readonly key: string;

  constructor(private readonly calls: RedisConnection) {
    this.key = calls.keys.audit();
  }

  async append(record: AuditRecord): Promise<void> {
    await this.calls.command(this.key, [
      'XADD',
      this.key,
      'MAXLEN',
      '~',
      String(AUDIT_MAX_ENTRIES),
      '*',
      'at',
      String(record.at),
      'actor',
      record.actor,
      'action',
      record.action,
      'shop',
      record.shopId,
      'user',
      record.userId ?? '',
      'count',
      String(record.count),
    ]);
  }

  async tail(count: number): Promise<AuditRecord[]> {
    const entries = await this.calls.command<[string, string[]][]>(
      this.key,
      ['XREVRANGE', this.key, '+', '-', 'COUNT', String(count)],
      true,
    );
    return entries
      .map(([, fields]) => fieldsOf(fields))
      .map((m) => ({
        at: Number(m.at),
        actor: m.actor ?? '',
        action: m.action ?? '',
        shopId: m.shop ?? '',
        userId: m.user ? m.user : null,
        count: Number(m.count),
      }));
  }
}

/** A stream entry's flat [field, value, ...] list as a record. */
function fieldsOf(flat: string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]!] = flat[i + 1];
  return out;
}
