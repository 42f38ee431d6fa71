import type { ConnectionOptions } from 'node:tls';

export type TokenProvider = () => string | Promise<string>;

interface ConnectionSettings {
  host: string;
  port: number;
  /** TLS options for the TCP connection (node:tls `connect` options); plain TCP without them. */
  tls?: ConnectionOptions;
  /** Every call fails with `TIMEOUT` after this long: a stock ClientProxy never times out. */
  timeoutMs: number;
}

/** A static service token, or a provider asked before every call (so tokens can rotate). */
export type SessionClientOptions = ConnectionSettings &
  ({ token: string; tokenProvider?: never } | { tokenProvider: TokenProvider; token?: never });
