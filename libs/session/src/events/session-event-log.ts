import type { SessionEvent, SessionEventType } from '#libs/contracts';

/** What a change reports about itself; the store adds the time, and the stream its entry ID. */
export interface SessionEventDraft {
  type: SessionEventType;
  shopId: string;
  userId: string | null;
  handle: string | null;
  actor: string;
  count?: number;
  reason?: string;
}

/**
 * A shop's session events as stored, oldest first. Consumers read the Redis stream with
 * consumer groups (libs/session-client's SessionEventConsumer); this read is for tests,
 * development and `sessionctl events tail`.
 */
export interface SessionEventLog {
  /**
   * Events whose change was made but which could not be written: on a cluster, the XADD after
   * the change's script failed (docs/operations.md, "Session events"). Always 0 on one node
   * and in memory, where the change writes its events itself.
   */
  readonly lost: number;

  /** Up to `count` events after the entry ID `after` (from the start without it). */
  read(shopId: string, options?: { after?: string; count?: number }): Promise<SessionEvent[]>;
}
