import { Command } from 'commander';
import type { AuditTailResult } from '#libs/contracts';
import type { CliIo } from '../cli-io.js';
import { CommandContext } from '../command-context.js';
import { parsePositiveInt } from '../connection.js';
import { renderTable } from '../output.js';

interface TailOptions {
  shop?: string;
  lines?: string;
}

/** `audit tail`: the most recent admin actions (who, what, when, how many). */
export function auditCommand(io: CliIo): Command {
  const audit = new Command('audit').description('read the audit trail of admin actions');

  audit
    .command('tail')
    .description('print the most recent audit entries')
    .option('-n, --lines <count>', 'how many entries (1-1000; default: the service default)')
    .option('--shop <shop>', 'shop id (default: $SESSION_SHOP)')
    .action(async (_options: TailOptions, command: Command) => {
      const ctx = new CommandContext<TailOptions>(io, command);
      const shopId = ctx.shop(ctx.options.shop);
      const count = ctx.options.lines === undefined ? undefined : parsePositiveInt(ctx.options.lines, '-n');
      const res = await ctx.withClient((client) => client.auditTail(shopId, count === undefined ? {} : { count }));
      ctx.out.result(res.data, () => tailText(res.data));
    });

  return audit;
}

function tailText(data: AuditTailResult): string {
  return renderTable(
    [
      { key: 'at', header: 'AT' },
      { key: 'actor', header: 'ACTOR' },
      { key: 'action', header: 'ACTION' },
      { key: 'shopId', header: 'SHOP' },
      { key: 'userId', header: 'USER' },
      { key: 'count', header: 'COUNT' },
    ],
    data.entries.map((e) => ({ ...e })),
  );
}
