import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { freePort } from './free-port.js';

/**
 * A private redis-server on a free port, started and stopped by the test itself so that
 * fault tests can take it down and bring it back on the same port.
 */
export class RedisServer {
  private process: ChildProcess | null = null;

  private constructor(
    readonly port: number,
    private readonly extraArgs: string[],
  ) {}

  /** `args` are added to the command line (later options win), e.g. to turn on AOF. */
  static async start(args: string[] = []): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), args);
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    if (this.process) return;
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...this.extraArgs],
      {
        stdio: 'ignore',
      },
    );
    this.process = child;
    let spawnError: NodeJS.ErrnoException | null = null;
    child.once('error', (e: NodeJS.ErrnoException) => (spawnError = e));
    child.once('exit', () => {
      if (this.process === child) this.process = null;
    });
    for (let i = 0; i < 200; i++) {
      if (spawnError) throw notStarted(spawnError);
      if ((await this.tryCommand('PING').catch(() => null)) === '+PONG') return;
      await sleep(50);
    }
    throw new Error(`redis-server did not answer PING on port ${this.port} within 10 s`);
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child) return;
    this.process = null;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Freezes the server (SIGSTOP): connections stay open but nothing answers. */
  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  resume(): void {
    this.process?.kill('SIGCONT');
  }

  /** Sends one inline command and returns the first reply line (enough for PING, FLUSHALL, DBSIZE). */
  tryCommand(command: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(this.port, '127.0.0.1');
      socket.setTimeout(1000, () => socket.destroy(new Error('timeout')));
      socket.once('error', reject);
      socket.once('data', (data) => {
        resolve(data.toString().split('\r\n')[0]!);
        socket.end();
      });
      socket.write(`${command}\r\n`);
    });
  }
}

function notStarted(error: NodeJS.ErrnoException): Error {
  if (error.code === 'ENOENT') {
    return new Error(
      'redis-server not found on PATH; install it: apt-get install redis-server (the integration tests start their own on a free port)',
    );
  }
  return new Error(`redis-server could not be started: ${error.message}`, { cause: error });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
