import { Command } from 'commander';
import type { AdminGetSessionResult, AdminRevokeResult, SessionListResult } from '#libs/contracts';
import type { CliIo } from '../cli-io.js';
import { CommandContext, required } from '../command-context.js';
import { OperationFailed, UsageError } from '../exit-codes.js';
import { readUserIds } from '../users-file.js';
import { revokeFromFile } from './revoke-from-file.js';
import { renderRecord, renderTable } from '../output.js';

interface ListOptions {
  shop?: string;
  user?: string;
}

interface ShowOptions {
  shop?: string;
  user?: string;
}

interface RevokeOptions {
  shop?: string;
  user?: string;
  allShops?: boolean;
  keep?: string[];
  fromFile?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `sessions list|show|revoke`: a user's sessions, one session, force-logout. */
export function sessionsCommand(io: CliIo): Command {
  const sessions = new Command('sessions').description("inspect and revoke shoppers' sessions");

  sessions
    .command('list')
    .description("list a user's sessions in a shop (by handle, most recent first)")
    .option('--shop <shop>', 'shop id (default: $SESSION_SHOP)')
    .option('--user <userId>', 'the user whose sessions to list')
    .action(async (_options: ListOptions, command: Command) => {
      const ctx = new CommandContext<ListOptions>(io, command);
      const shopId = ctx.shop(ctx.options.shop);
      const userId = required(ctx.options.user, '--user');
      const res = await ctx.withClient((client) => client.listSessions(shopId, { userId }));
      ctx.out.result(res.data, () => listText(res.data));
    });

  sessions
    .command('show')
    .description('show one session, by raw session ID or handle (a user-bound handle needs --user)')
    .argument('<id>', 'raw session ID or session handle (one beginning with "-" goes after --)')
    .option('--shop <shop>', 'shop id (default: $SESSION_SHOP)')
    .option('--user <userId>', 'the user the session belongs to')
    .action(async (sessionId: string, _options: ShowOptions, command: Command) => {
      const ctx = new CommandContext<ShowOptions>(io, command);
      const shopId = ctx.shop(ctx.options.shop);
      const userId = ctx.options.user;
      const res = await ctx.withClient((client) => client.getSession(shopId, { sessionId, ...(userId !== undefined ? { userId } : {}) }));
      if (!res.data.session) {
        if (ctx.out.json) ctx.out.result(res.data, () => '');
        throw new OperationFailed(`no such session in shop ${shopId}`);
      }
      ctx.out.result(res.data, () => showText(res.data));
    });

  sessions
    .command('revoke')
    .description("force-logout a user: destroy the user's sessions in one shop or in all shops")
    .option('--user <userId>', 'the user to log out')
    .option('--shop <shop>', 'shop id (default: $SESSION_SHOP)')
    .option('--all-shops', 'revoke in every configured shop (--shop or $SESSION_SHOP then only addresses the request)')
    .option('--keep <id>', 'a raw session ID or handle to keep (repeatable)', collect)
    .option('--from-file <csv>', 'revoke every user in a CSV file (first column; header, blank and # lines skipped); safe to re-run')
    .action(async (_options: RevokeOptions, command: Command) => {
      const ctx = new CommandContext<RevokeOptions>(io, command);
      const fromFile = ctx.options.fromFile;
      if (fromFile !== undefined && (ctx.options.user !== undefined || ctx.options.keep !== undefined)) {
        throw new UsageError('--from-file takes the users from the file: it cannot be combined with --user or --keep');
      }
      const userId = fromFile === undefined ? required(ctx.options.user, '--user (or --from-file)') : '';
      const allShops = ctx.options.allShops === true;
      // The envelope always names a configured shop; with --all-shops it only addresses the request.
      const shopId = allShops
        ? (ctx.options.shop ??
          required(
            io.env.SESSION_SHOP,
            '--shop (with --all-shops, any configured shop: it only addresses the request; or set SESSION_SHOP)',
          ))
        : ctx.shop(ctx.options.shop);
      if (fromFile !== undefined) {
        const userIds = await readUserIds(fromFile);
        return ctx.withClient((client) => revokeFromFile(client, io, ctx.out, { shopId, allShops, userIds }));
      }
      const keep = ctx.options.keep ?? [];
      const res = await ctx.withClient((client) =>
        client.revokeSessions(shopId, {
          userId,
          ...(keep.length ? { sessionsToKeep: keep } : {}),
          ...(allShops ? { allShops: true } : {}),
        }),
      );
      ctx.out.result(res.data, () => revokeText(userId, res.data));
    });

  return sessions;
}

function listText(data: SessionListResult): string {
  return renderTable(
    [
      { key: 'id', header: 'HANDLE' },
      { key: 'createdAt', header: 'CREATED' },
      { key: 'lastSeenAt', header: 'LAST SEEN' },
      { key: 'expiresAt', header: 'EXPIRES' },
    ],
    data.sessions.map((s) => ({ ...s })),
  );
}

function showText(data: AdminGetSessionResult): string {
  const s = data.session!;
  return renderRecord([
    ['handle', s.id],
    ['shop', s.shopId],
    ['user', s.userId],
    ['created', s.createdAt],
    ['expires', s.expiresAt],
    ['absolute end', s.absoluteExpiresAt],
    ['custom data', s.hasCustomData ? 'yes' : 'no'],
  ]);
}

function revokeText(userId: string, data: AdminRevokeResult): string {
  const rows = Object.entries(data.byShop).map(([shop, destroyed]) => ({ shop, destroyed }));
  return (
    `destroyed ${data.destroyed} session${data.destroyed === 1 ? '' : 's'} of user ${userId}\n` +
    renderTable(
      [
        { key: 'shop', header: 'SHOP' },
        { key: 'destroyed', header: 'DESTROYED' },
      ],
      rows,
    )
  );
}
