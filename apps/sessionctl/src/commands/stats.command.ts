import { Command } from 'commander';
import type { AdminStatsResult } from '#libs/contracts';
import type { CliIo } from '../cli-io.js';
import { CommandContext } from '../command-context.js';
import { renderTable } from '../output.js';

interface StatsOptions {
  shop?: string;
}

/** `stats`: live sessions per configured shop (admin.stats). */
export function statsCommand(io: CliIo): Command {
  return new Command('stats')
    .description('count live sessions in every configured shop: logged in, and guests holding data')
    .option('--shop <shop>', 'any configured shop: it only addresses the request (default: $SESSION_SHOP)')
    .action(async (_options: StatsOptions, command: Command) => {
      const ctx = new CommandContext<StatsOptions>(io, command);
      const shopId = ctx.shop(ctx.options.shop);
      const res = await ctx.withClient((client) => client.adminStats(shopId));
      ctx.out.result(res.data, () => statsText(res.data));
    });
}

function statsText(data: AdminStatsResult): string {
  const total = data.shops.reduce(
    (sum, s) => ({ live: sum.live + s.liveSessions, loggedIn: sum.loggedIn + s.loggedInSessions, guests: sum.guests + s.guestsWithData }),
    { live: 0, loggedIn: 0, guests: 0 },
  );
  const rows = data.shops.map((s) => ({ shop: s.shopId, live: s.liveSessions, loggedIn: s.loggedInSessions, guests: s.guestsWithData }));
  return (
    `sessions at ${data.at}\n` +
    renderTable(
      [
        { key: 'shop', header: 'SHOP' },
        { key: 'live', header: 'LIVE' },
        { key: 'loggedIn', header: 'LOGGED IN' },
        { key: 'guests', header: 'GUESTS WITH DATA' },
      ],
      [...rows, { shop: 'total', ...total }],
    )
  );
}
