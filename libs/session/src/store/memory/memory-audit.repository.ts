import { AUDIT_MAX_ENTRIES, type AuditRecord, type AuditRepository } from '../audit-repository.js';

export class MemoryAuditRepository implements AuditRepository {
  private readonly records: AuditRecord[] = [];

  async append(record: AuditRecord): Promise<void> {
    this.records.push(record);
    if (this.records.length > AUDIT_MAX_ENTRIES) this.records.shift();
  }

  async tail(count: number): Promise<AuditRecord[]> {
    return this.records.slice(-count).reverse();
  }
}
