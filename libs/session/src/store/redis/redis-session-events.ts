import { Logger } from '@nestjs/common';
import { decodeSessionEvent, type SessionEvent, type SessionEventType } from '#libs/contracts';
import { DEFAULT_EVENT_SETTINGS, type SessionEventSettings } from '../../events/session-event-settings.js';
import type { SessionEventLog } from '../../events/session-event-log.js';
import type { LuaScript } from './lua-script.js';
import type { RedisConnection } from './redis-connection.js';

/** Who and what a change's events are about (the script may emit others, e.g. for pruned handles). */
export interface EventSubject {
  shopId: string;
  userId: string | null;
  handle: string | null;
}

/**
 * Writes session events with the change's script (event-lua.ts) and reads them back.
 *
 * One Redis node: the shop's stream is passed to the script, which XADDs to it atomically
 * with the change: an event is never lost for a change that happened, nor written for one
 * that did not.
 *
 * A cluster: the stream is in another slot than the change's keys, which no script may touch
 * together. The script replies with the events it would have written, and they are XADDed to
 * the stream's master right after that reply, before the call returns. Not atomic: an event is
 * lost when this process dies, or the stream's shard is unreachable for `commandTimeoutMs`,
 * between the script's reply and the XADD's (counted in `lost` and logged as an error).
 */
export class RedisSessionEvents implements SessionEventLog {
  private readonly logger = new Logger('SessionEvents');
  private readonly mode: '' | 'x' | 'r';
  /** Cluster only: events whose XADD failed after their change was made. */
  lost = 0;

  constructor(
    private readonly calls: RedisConnection,
    private readonly settings: SessionEventSettings = DEFAULT_EVENT_SETTINGS,
  ) {
    this.mode = !settings.enabled ? '' : calls.redis.mode === 'single' ? 'x' : 'r';
  }

  streamKey(shopId: string): string {
    return this.calls.keys.events(shopId);
  }

  /** Runs an evented script: its own keys and args, then the event context; returns its own reply. */
  async run(
    script: LuaScript,
    keys: string[],
    args: string[],
    subject: EventSubject,
    actor: string,
    kind: SessionEventType | '' = '',
  ): Promise<unknown> {
    const stream = this.streamKey(subject.shopId);
    const context = [
      kind,
      subject.shopId,
      subject.userId ?? '',
      subject.handle ?? '',
      actor,
      String(this.settings.maxLength),
      String(this.settings.maxAgeMs),
      this.mode,
    ];
    const reply = await this.calls.run(script, this.mode === 'x' ? [...keys, stream] : keys, [...args, ...context]);
    if (this.mode !== 'r') return reply;
    const [own, events] = reply as [unknown, string[][]];
    if (events.length > 0) await this.write(stream, events);
    return own;
  }

  async read(shopId: string, options: { after?: string; count?: number } = {}): Promise<SessionEvent[]> {
    const key = this.streamKey(shopId);
    const args = ['XRANGE', key, options.after === undefined ? '-' : `(${options.after}`, '+'];
    if (options.count !== undefined) args.push('COUNT', String(options.count));
    const entries = await this.calls.command<[string, string[]][]>(key, args, true);
    return entries.map(([id, fields]) => decodeSessionEvent(id, fields));
  }

  /** Cluster: the events a script replied with, each sent now (they leave in one write to the stream's master). */
  private async write(stream: string, events: string[][]): Promise<void> {
    const results = await Promise.allSettled(
      events.map((fields) => this.calls.command(stream, ['XADD', stream, 'MAXLEN', '~', String(this.settings.maxLength), '*', ...fields])),
    );
    const failed = results.filter((r) => r.status === 'rejected');
    if (failed.length === 0) {
      if (this.settings.maxAgeMs > 0)
        this.calls.background(['XTRIM', stream, 'MINID', '~', String(Number(events.at(-1)![9]) - this.settings.maxAgeMs)]);
      return;
    }
    this.lost += failed.length;
    this.logger.error(
      `${failed.length} session event(s) lost after their change (${this.lost} so far): ${(failed[0] as PromiseRejectedResult).reason}`,
    );
  }
}
