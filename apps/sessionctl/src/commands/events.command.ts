import { Command } from 'commander';
import { createClient } from 'redis';
import { decodeSessionEvent, sessionEventStreamKey, type SessionEvent } from '#libs/contracts';
import type { CliIo } from '../cli-io.js';
import { CommandContext } from '../command-context.js';
import { parsePositiveInt } from '../connection.js';
import { UsageError } from '../exit-codes.js';

interface TailOptions {
  shop?: string;
  redis?: string;
  keyPrefix: string;
  from?: string;
  last?: string;
  follow?: boolean;
  maxEvents?: string;
}

const DEFAULT_LAST = 20;
const BLOCK_MS = 5000;
type Entry = [string, string[]];

/**
 * `events tail`: a shop's session event stream, read from Redis directly (the stream is
 * Redis's, for consumers; the service has no RPC method for it). Reading acknowledges
 * nothing: it is no consumer group's member.
 */
export function eventsCommand(io: CliIo): Command {
  const events = new Command('events').description("read a shop's session event stream (from Redis)");

  events
    .command('tail')
    .description('print the latest session events (--last, default 20) or those after an entry ID (--from); --follow waits for new ones')
    .option('--shop <shop>', 'shop id (default: $SESSION_SHOP)')
    .option('--redis <url>', 'the Redis node holding the stream (default: $REDIS_URL)')
    .option('--key-prefix <prefix>', "the service's store.keyPrefix", 'ss')
    .option('--from <id>', 'start after this stream entry ID (e.g. 1733130000000-0; 0 for the whole stream)')
    .option('--last <count>', 'start with the latest <count> events')
    .option('-f, --follow', 'keep printing new events as they are written')
    .option('--max-events <count>', 'stop after printing this many events')
    .action(async (_options: TailOptions, command: Command) => {
      const ctx = new CommandContext<TailOptions>(io, command);
      const o = ctx.options;
      const shopId = ctx.shop(o.shop);
      const url = o.redis ?? io.env.REDIS_URL;
      if (!url) throw new UsageError('missing --redis (or set REDIS_URL): events are read from Redis');
      if (o.from !== undefined && o.last !== undefined) throw new UsageError('give --from or --last, not both');
      if (o.from !== undefined && !/^\d+(-\d+)?$/.test(o.from))
        throw new UsageError(`--from must be a stream entry ID such as 1733130000000-0, got ${o.from}`);
      const last = o.last === undefined ? DEFAULT_LAST : parsePositiveInt(o.last, '--last');
      const max = o.maxEvents === undefined ? Infinity : parsePositiveInt(o.maxEvents, '--max-events');
      const key = sessionEventStreamKey(o.keyPrefix, shopId);
      const client = createClient({ url });
      client.on('error', () => {}); // a failed command reports it
      await client.connect();
      let printed = 0;
      const print = (entries: Entry[]): string | undefined => {
        for (const [id, fields] of entries) {
          if (printed >= max) break;
          const event = decodeSessionEvent(id, fields);
          io.stdout.write(ctx.out.json ? `${JSON.stringify(event)}\n` : eventLine(event));
          printed++;
        }
        return entries.at(-1)?.[0];
      };
      try {
        const first =
          o.from !== undefined
            ? ((await client.sendCommand([
                'XRANGE',
                key,
                o.from === '0' ? '-' : `(${o.from}`,
                '+',
                'COUNT',
                String(Math.min(max, 10_000)),
              ])) as Entry[])
            : ((await client.sendCommand(['XREVRANGE', key, '+', '-', 'COUNT', String(last)])) as Entry[]).reverse();
        let after =
          print(first) ?? o.from ?? ((await client.sendCommand(['XREVRANGE', key, '+', '-', 'COUNT', '1'])) as Entry[])[0]?.[0] ?? '0-0';
        while (o.follow && printed < max) {
          const reply = (await client.sendCommand(['XREAD', 'COUNT', '1000', 'BLOCK', String(BLOCK_MS), 'STREAMS', key, after])) as
            [string, Entry[]][] | null;
          after = print(reply?.[0]?.[1] ?? []) ?? after;
        }
      } finally {
        await client.quit();
      }
    });

  return events;
}

/** One event per line: ID, time, type, then the fields that are set. */
function eventLine(e: SessionEvent): string {
  const fields = [`user=${e.userId ?? '-'}`, `handle=${e.handle ?? '-'}`, `actor=${e.actor || '-'}`];
  if (e.count !== undefined) fields.push(`count=${e.count}`);
  if (e.reason !== undefined) fields.push(`reason=${e.reason}`);
  return `${e.id}  ${new Date(e.at).toISOString()}  ${e.type}  ${fields.join('  ')}\n`;
}
