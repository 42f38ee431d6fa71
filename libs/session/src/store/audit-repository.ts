/** One audit entry as stored. Never carries raw session IDs. */
export interface AuditRecord {
  at: number;
  actor: string;
  action: string;
  shopId: string;
  userId: string | null;
  count: number;
}

/** An append-only trail of admin actions and force-logouts, capped by length. */
export interface AuditRepository {
  append(record: AuditRecord): Promise<void>;
  /** The newest `count` entries, newest first. */
  tail(count: number): Promise<AuditRecord[]>;
}

export const AUDIT_REPOSITORY = Symbol('AUDIT_REPOSITORY');

/** Entries kept (approximately, for Redis: MAXLEN ~). */
export const AUDIT_MAX_ENTRIES = 10_000;
