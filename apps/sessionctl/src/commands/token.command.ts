import { Command } from 'commander';
import { JwtService } from '@nestjs/jwt';
import { SERVICE_TOKEN_AUDIENCE, Scopes } from '#libs/contracts';
import type { CliIo } from '../cli-io.js';
import { CommandContext, required } from '../command-context.js';
import { UsageError } from '../exit-codes.js';

interface MintOptions {
  sub?: string;
  scope?: string;
  ttl: string;
}

const KNOWN_SCOPES: readonly string[] = Object.values(Scopes);
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `token mint`: a service token signed with SESSION_SERVICE_AUTH_SECRET (HS256, audience session-service). */
export function tokenCommand(io: CliIo): Command {
  const token = new Command('token').description('service tokens');

  token
    .command('mint')
    .description('mint a service token with $SESSION_SERVICE_AUTH_SECRET and print it')
    .option('--sub <name>', 'the caller the token names (its `sub` claim; shows up in the audit trail)')
    .option('--scope <scopes>', `space-separated scopes: ${KNOWN_SCOPES.join(' ')}`)
    .option('--ttl <duration>', 'lifetime: seconds, or a number with s, m, h or d', '1h')
    .action((_options: MintOptions, command: Command) => {
      const ctx = new CommandContext<MintOptions>(io, command);
      const sub = required(ctx.options.sub, '--sub');
      const scope = parseScopes(required(ctx.options.scope, '--scope'));
      const ttlSeconds = parseTtl(ctx.options.ttl);
      const secret = io.env.SESSION_SERVICE_AUTH_SECRET;
      if (!secret) throw new UsageError('SESSION_SERVICE_AUTH_SECRET is not set: it is the secret the service verifies tokens with');
      const signed = new JwtService().sign(
        { sub, scope },
        { secret, audience: SERVICE_TOKEN_AUDIENCE, expiresIn: ttlSeconds, algorithm: 'HS256' },
      );
      const expiresAt = new Date(Date.now() + ttlSeconds * 1000).toISOString();
      ctx.out.result({ token: signed, sub, scope, audience: SERVICE_TOKEN_AUDIENCE, expiresAt }, () => `${signed}\n`);
    });

  return token;
}

function parseScopes(value: string): string {
  const scopes = value.split(/[\s,]+/).filter(Boolean);
  const unknown = scopes.filter((s) => !KNOWN_SCOPES.includes(s));
  if (scopes.length === 0) throw new UsageError('--scope needs at least one scope');
  if (unknown.length) throw new UsageError(`unknown scope ${unknown.join(', ')}: use ${KNOWN_SCOPES.join(', ')}`);
  return [...new Set(scopes)].join(' ');
}

/** `3600`, `90s`, `30m`, `1h`, `7d` → seconds. */
export function parseTtl(value: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(value.trim());
  const seconds = match ? Number(match[1]) * UNIT_SECONDS[match[2] || 's']! : 0;
  if (!match || seconds < 1) throw new UsageError(`--ttl must be a duration such as 3600, 30m, 1h or 7d, got ${value}`);
  return seconds;
}
