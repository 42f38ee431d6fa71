import type { SessionEvent } from '#libs/contracts';
import { DEFAULT_EVENT_SETTINGS, type SessionEventSettings } from './session-event-settings.js';
import type { SessionEventDraft, SessionEventLog } from './session-event-log.js';

/**
 * The memory store's event streams, with the Redis stream's semantics: per shop, entry IDs
 * `<ms>-<seq>` that only grow, trimmed by length and age. Appended in the same synchronous
 * step as the change, so, as on one Redis node, no change goes without its event.
 */
export class MemorySessionEvents implements SessionEventLog {
  readonly lost = 0;
  private readonly streams = new Map<string, SessionEvent[]>();
  private lastMs = 0;
  private seq = 0;

  constructor(
    private readonly settings: SessionEventSettings = DEFAULT_EVENT_SETTINGS,
    private readonly clock: () => number = Date.now,
  ) {}

  append(draft: SessionEventDraft): void {
    if (!this.settings.enabled) return;
    const now = this.clock();
    if (now > this.lastMs) {
      this.lastMs = now;
      this.seq = 0;
    } else this.seq++;
    const event: SessionEvent = {
      id: `${this.lastMs}-${this.seq}`,
      type: draft.type,
      shopId: draft.shopId,
      userId: draft.userId,
      handle: draft.handle,
      at: now,
      actor: draft.type === 'session.expired' ? '' : draft.actor,
    };
    if (draft.count !== undefined) event.count = draft.count;
    if (draft.reason !== undefined) event.reason = draft.reason;
    let stream = this.streams.get(draft.shopId);
    if (!stream) this.streams.set(draft.shopId, (stream = []));
    stream.push(event);
    const byAge = this.settings.maxAgeMs > 0 ? stream.findIndex((e) => e.at >= now - this.settings.maxAgeMs) : 0;
    const drop = Math.max(stream.length - this.settings.maxLength, byAge < 0 ? stream.length : byAge);
    if (drop > 0) stream.splice(0, drop);
  }

  async read(shopId: string, options: { after?: string; count?: number } = {}): Promise<SessionEvent[]> {
    const stream = this.streams.get(shopId) ?? [];
    const from = options.after === undefined ? 0 : stream.findIndex((e) => compareIds(e.id, options.after!) > 0);
    if (from < 0) return [];
    return stream.slice(from, from + (options.count ?? stream.length)).map((e) => ({ ...e }));
  }
}

/** Orders stream entry IDs (`<ms>-<seq>`). */
export function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number) as [number, number];
  const [bm, bs] = b.split('-').map(Number) as [number, number];
  return am - bm || (as ?? 0) - (bs ?? 0);
}
