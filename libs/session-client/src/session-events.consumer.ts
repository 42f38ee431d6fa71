import { decodeSessionEvent, sessionEventStreamKey, type SessionEvent } from '#libs/contracts';

/**
 * What the consumer needs of a Redis client: node-redis v4's `sendCommand`. Give it a
 * connection of its own (`client.duplicate()`): a blocking read holds its connection.
 */
export interface RedisCommandSender {
  sendCommand(args: string[]): Promise<unknown>;
}

export interface SessionEventConsumerOptions {
  client: RedisCommandSender;
  /** The service's `store.keyPrefix` (default `ss`) and the shop whose stream to read. */
  keyPrefix?: string;
  shopId: string;
  /** The consumer group: every group gets every event; the consumers of one group share them. */
  group: string;
  /** This consumer's name, unique in its group and stable across restarts (e.g. the pod name). */
  consumer: string;
  /** Handles one batch; the batch is acknowledged once it resolves. A throw leaves it pending, to be handed again. */
  handler: (events: SessionEvent[]) => Promise<void>;
  /** Events per batch (default 100). */
  batchSize?: number;
  /** How long one read waits for new events (default 5000 ms); stop() takes at most this long. */
  blockMs?: number;
  /** Events left pending this long by another consumer (one that died) are claimed (default 60000 ms). */
  claimIdleMs?: number;
  /** Where a group created now starts: `0` (default), the whole stream, or `$`, new events only. */
  startAt?: '0' | '$';
  /** Pause after a failed batch or read before trying again (default 1000 ms). */
  retryDelayMs?: number;
  /** Told of a failed batch or read (the loop goes on). */
  onError?: (error: unknown) => void;
}

type Entry = [string, string[] | null];

/**
 * Reads a shop's session event stream in a consumer group, with at-least-once delivery: a
 * batch is acknowledged (XACK) only after the handler resolves, so a consumer that dies
 * mid-batch leaves it pending. On start, and every `claimIdleMs`, the consumer first takes
 * back its own pending events (XREADGROUP from 0), then claims those that other consumers
 * left pending for `claimIdleMs` (XAUTOCLAIM). A handler therefore sees an event again after
 * a crash: it must be idempotent (the event ID is a natural key).
 */
export class SessionEventConsumer {
  readonly stream: string;
  private running = false;
  private stopped: Promise<void> = Promise.resolve();
  private lastClaimAt = 0;

  constructor(private readonly options: SessionEventConsumerOptions) {
    this.stream = sessionEventStreamKey(options.keyPrefix ?? 'ss', options.shopId);
  }

  /** Starts the loop (the group is created first, with the stream if missing); resolves once started. */
  async start(): Promise<void> {
    if (this.running) return;
    await this.ensureGroup();
    this.running = true;
    this.stopped = this.loop();
  }

  /** Stops after the read or batch in progress (acknowledged if it completes). */
  async stop(): Promise<void> {
    this.running = false;
    await this.stopped;
  }

  /**
   * One step, as the loop runs it: pending events first (own, then claimed), else new ones
   * (waiting up to blockMs). Returns how many events were handled and acknowledged.
   */
  async poll(): Promise<number> {
    const { claimIdleMs = 60_000 } = this.options;
    if (Date.now() - this.lastClaimAt >= claimIdleMs) {
      this.lastClaimAt = Date.now();
      const recovered = (await this.drainOwnPending()) + (await this.claimAbandoned(claimIdleMs));
      if (recovered > 0) return recovered;
    }
    return this.handle(await this.read('>', true));
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        await this.poll();
      } catch (e) {
        // The handler threw or Redis failed: what was read stays pending; read it again after a pause.
        this.options.onError?.(e);
        this.lastClaimAt = 0;
        if (this.running) await new Promise((r) => setTimeout(r, this.options.retryDelayMs ?? 1000));
      }
    }
  }

  private async ensureGroup(): Promise<void> {
    try {
      await this.options.client.sendCommand(['XGROUP', 'CREATE', this.stream, this.options.group, this.options.startAt ?? '0', 'MKSTREAM']);
    } catch (e) {
      if (!(e instanceof Error) || !e.message.startsWith('BUSYGROUP')) throw e;
    }
  }

  /** This consumer's own pending events (read before it stopped, never acknowledged). */
  private async drainOwnPending(): Promise<number> {
    let handled = 0;
    for (;;) {
      const entries = await this.read('0', false);
      if (entries.length === 0) return handled;
      handled += await this.handle(entries);
    }
  }

  /** Events other consumers left pending for `idleMs`: they died, or hang. */
  private async claimAbandoned(idleMs: number): Promise<number> {
    let handled = 0;
    let cursor = '0-0';
    do {
      const reply = (await this.options.client.sendCommand([
        'XAUTOCLAIM',
        this.stream,
        this.options.group,
        this.options.consumer,
        String(idleMs),
        cursor,
        'COUNT',
        String(this.options.batchSize ?? 100),
      ])) as [string, Entry[], string[]?];
      cursor = reply[0];
      handled += await this.handle(reply[1]);
    } while (cursor !== '0-0');
    return handled;
  }

  private async read(from: '>' | '0', block: boolean): Promise<Entry[]> {
    const args = ['XREADGROUP', 'GROUP', this.options.group, this.options.consumer, 'COUNT', String(this.options.batchSize ?? 100)];
    if (block) args.push('BLOCK', String(this.options.blockMs ?? 5000));
    args.push('STREAMS', this.stream, from);
    const reply = (await this.options.client.sendCommand(args)) as [string, Entry[]][] | null;
    return reply?.[0]?.[1] ?? [];
  }

  /** Hands the batch over and acknowledges it. Entries trimmed from the stream while pending (no fields) are acknowledged unseen. */
  private async handle(entries: Entry[]): Promise<number> {
    if (entries.length === 0) return 0;
    const events = entries
      .filter((e): e is [string, string[]] => e[1] !== null && e[1].length > 0)
      .map(([id, fields]) => decodeSessionEvent(id, fields));
    if (events.length > 0) await this.options.handler(events);
    await this.options.client.sendCommand(['XACK', this.stream, this.options.group, ...entries.map(([id]) => id)]);
    return entries.length;
  }
}
