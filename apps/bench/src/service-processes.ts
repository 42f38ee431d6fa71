import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { EchoMode } from './echo-pattern.js';
import { freePort, spawnChild, waitUntil } from './processes.js';

const HOST = '127.0.0.1';
const SERVICE_MAIN = fileURLToPath(new URL('../../session-service/src/main.js', import.meta.url));
const ECHO_MAIN = fileURLToPath(new URL('./echo-server.js', import.meta.url));

export interface RpcEndpoint {
  host: string;
  port: number;
  /** The serving process, for its CPU time. */
  pid: number | undefined;
}

export interface SessionServiceProcess extends RpcEndpoint {
  authSecret: string;
}

/**
 * The built session service against `redisUrl` (or a Redis Cluster's `clusterNodes`), with the development shop config and a
 * random service-token secret; ready once GET /health answers 200.
 * BENCH_SERVICE_NODE_OPTIONS becomes the child's NODE_OPTIONS (e.g. --perf-basic-prof; node refuses --cpu-prof there).
 */
export async function startSessionService(store: string | { clusterNodes: string }): Promise<SessionServiceProcess> {
  const [port, httpPort] = [await freePort(), await freePort()];
  const authSecret = randomBytes(36).toString('base64url'); // 48 characters
  const env = childEnv(
    {
      ...(typeof store === 'string' ? { REDIS_URL: store } : { REDIS_CLUSTER_NODES: store.clusterNodes }),
      PORT: String(port),
      HTTP_PORT: String(httpPort),
      HOST,
      SESSION_SERVICE_AUTH_SECRET: authSecret,
    },
    process.env.BENCH_SERVICE_NODE_OPTIONS,
  );
  const child = spawnChild('session-service', process.execPath, [SERVICE_MAIN], env);
  await waitUntil(child, 'GET /health 200', async () => (await fetch(`http://${HOST}:${httpPort}/health`)).status === 200);
  return { host: HOST, port, pid: child.process.pid, authSecret };
}

/** An echo microservice (echo-server.ts, in `mode`), ready once its port accepts connections. */
export async function startEchoServer(mode: EchoMode): Promise<RpcEndpoint> {
  const port = await freePort();
  const child = spawnChild(
    `echo-server (${mode})`,
    process.execPath,
    [ECHO_MAIN],
    childEnv({ ECHO_HOST: HOST, ECHO_PORT: String(port), ECHO_MODE: mode }),
  );
  await waitUntil(child, 'an open port', () => accepts(port));
  return { host: HOST, port, pid: child.process.pid };
}

/** The bench's environment without anything that would change the service's configuration. */
function childEnv(extra: Record<string, string>, nodeOptions?: string): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['NODE_ENV', 'SESSION_CONFIG', 'SESSION_COOKIE_SECRET', 'NODE_OPTIONS', 'REDIS_URL', 'REDIS_CLUSTER_NODES'])
    delete env[name];
  Object.assign(env, extra);
  if (nodeOptions) env.NODE_OPTIONS = nodeOptions;
  return env;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, HOST);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
