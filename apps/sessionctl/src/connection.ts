import { SessionClient, SessionServiceError } from '#libs/session-client';
import type { CliIo } from './cli-io.js';
import { UsageError } from './exit-codes.js';
import type { GlobalOptions } from './global-options.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 4000;
export const DEFAULT_TIMEOUT_MS = 5000;

export interface ConnectionSettings {
  host: string;
  port: number;
  token: string;
  timeoutMs: number;
}

/** `--host/--port` win over `SESSION_SERVICE_URL` (`tcp://host:port`), which wins over 127.0.0.1:4000. */
export function resolveConnection(options: GlobalOptions, env: CliIo['env']): ConnectionSettings {
  let host = DEFAULT_HOST;
  let port = DEFAULT_PORT;
  const url = env.SESSION_SERVICE_URL?.trim();
  if (url) ({ host, port } = parseServiceUrl(url));
  if (options.host !== undefined) host = options.host;
  if (options.port !== undefined) port = parsePort(options.port, '--port');
  const token = options.token ?? env.SESSION_SERVICE_TOKEN;
  if (!token) throw new UsageError('no service token: pass --token or set SESSION_SERVICE_TOKEN (see `sessionctl token mint`)');
  const timeoutMs = options.timeout === undefined ? DEFAULT_TIMEOUT_MS : parsePositiveInt(options.timeout, '--timeout');
  return { host, port, token, timeoutMs };
}

function parseServiceUrl(value: string): { host: string; port: number } {
  let url: URL;
  try {
    url = new URL(value.includes('://') ? value : `tcp://${value}`);
  } catch {
    throw new UsageError(`SESSION_SERVICE_URL is not a URL such as tcp://127.0.0.1:4000: ${value}`);
  }
  if (url.protocol !== 'tcp:' || !url.hostname) throw new UsageError(`SESSION_SERVICE_URL must look like tcp://host:port, got ${value}`);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? parsePort(url.port, 'SESSION_SERVICE_URL port') : DEFAULT_PORT,
  };
}

function parsePort(value: string, what: string): number {
  const port = parsePositiveInt(value, what);
  if (port > 65535) throw new UsageError(`${what} must be a port number (1-65535), got ${value}`);
  return port;
}

export function parsePositiveInt(value: string, what: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${what} must be a positive integer, got ${value}`);
  return Number(value);
}

/** Opens a client for one command and always closes it, so the process can exit. */
export async function withClient<T>(settings: ConnectionSettings, run: (client: SessionClient) => Promise<T>): Promise<T> {
  const client = new SessionClient({ host: settings.host, port: settings.port, token: settings.token, timeoutMs: settings.timeoutMs });
  try {
    return await run(client);
  } catch (e) {
    throw e instanceof SessionServiceError ? new ServiceCallFailed(e, `${settings.host}:${settings.port}`) : e;
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** A call the service (or the connection to it) failed; `target` is the `host:port` it went to. */
export class ServiceCallFailed extends Error {
  override readonly name = 'ServiceCallFailed';

  constructor(
    readonly error: SessionServiceError,
    readonly target: string,
  ) {
    super(error.message, { cause: error });
  }
}
