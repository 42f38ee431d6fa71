import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { resolveConnection, withClient } from './connection.js';
import type { SessionClient } from '#libs/session-client';
import { UsageError } from './exit-codes.js';
import type { GlobalOptions } from './global-options.js';
import { Output } from './output.js';

/** What a command's action needs: its merged options, the output, the service connection. */
export class CommandContext<TOptions extends object> {
  readonly options: TOptions & GlobalOptions;
  readonly out: Output;

  constructor(
    readonly io: CliIo,
    command: Command,
  ) {
    this.options = command.optsWithGlobals<TOptions & GlobalOptions>();
    this.out = new Output(io, this.options.json === true);
  }

  /** `--shop`, else `SESSION_SHOP`. */
  shop(given: string | undefined): string {
    const shop = given ?? this.io.env.SESSION_SHOP;
    if (!shop) throw new UsageError('missing --shop (or set SESSION_SHOP)');
    return shop;
  }

  /** Runs `call` with a client connected as `--host/--port/--token` or the environment say. */
  withClient<T>(call: (client: SessionClient) => Promise<T>): Promise<T> {
    return withClient(resolveConnection(this.options, this.io.env), call);
  }
}

/** Reads a required option's value, so a missing one is a usage error (exit 2) with a clear line. */
export function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`missing ${flag}`);
  return value;
}
