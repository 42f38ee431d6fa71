import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';
import { TEST_AUTH_SECRET } from './service-tokens.js';
import { TEST_SESSION_CONFIG } from './session-service.harness.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REGISTER = fileURLToPath(new URL('./ts-register.mjs', import.meta.url));
const MAIN = join(ROOT, 'apps/session-service/src/main.ts');

export interface ServiceProcessOptions {
  redisUrl?: string;
  /** Merged over TEST_SESSION_CONFIG. */
  sessionConfig?: object;
  /** The child's open-file limit (soft and hard), set with prlimit. */
  openFiles?: number;
  /** More environment variables (e.g. NODE_ENV). */
  env?: Record<string, string>;
}

/**
 * The real session service as its own process (main.ts run from the TypeScript sources
 * through test/support/ts-register.mjs), on free ports, with its output kept.
 */
export class ServiceProcess {
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly lines: string[] = [];

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly httpPort: number,
  ) {
    const keep = (chunk: Buffer) => this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  static async start(options: ServiceProcessOptions = {}): Promise<ServiceProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'session-process-'));
    const configPath = join(dir, 'session.json');
    writeFileSync(configPath, JSON.stringify({ ...TEST_SESSION_CONFIG, ...options.sessionConfig }));
    const [port, httpPort] = [await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '',
      SESSION_CONFIG: configPath,
      SESSION_SERVICE_AUTH_SECRET: TEST_AUTH_SECRET,
      PORT: String(port),
      HTTP_PORT: String(httpPort),
      HOST: '127.0.0.1',
      ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
      ...options.env,
    };
    const node = [process.execPath, '--import', REGISTER, MAIN];
    const [command, ...args] = options.openFiles ? ['prlimit', `--nofile=${options.openFiles}:${options.openFiles}`, '--', ...node] : node;
    const child = spawn(command!, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const service = new ServiceProcess(child, port, httpPort);
    await service.waitHealthy();
    return service;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get healthUrl(): string {
    return `http://127.0.0.1:${this.httpPort}/health`;
  }

  output(): string {
    return this.lines.join('\n');
  }

  isRunning(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Waits for GET /health 200; a start runs the TypeScript sources, so it may take a while on a busy machine. */
  async waitHealthy(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (
      (await fetch(this.healthUrl).then(
        (r) => r.status,
        () => 0,
      )) !== 200
    ) {
      if (!this.isRunning()) throw new Error(`the service exited before it was healthy:\n${this.output()}`);
      if (Date.now() > deadline) throw new Error(`the service was not healthy within ${timeoutMs} ms:\n${this.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Resolves once a line of output matches `pattern`. */
  async waitForLine(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.lines.find((l) => pattern.test(l));
      if (line) return line;
      if (Date.now() > deadline) throw new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${this.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** A figure from /proc/<pid>/status in KiB (VmRSS, VmHWM). */
  memoryKiB(field: 'VmRSS' | 'VmHWM'): number {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
    if (!match) throw new Error(`no ${field} in /proc/${this.pid}/status`);
    return Number(match[1]);
  }

  async stop(): Promise<void> {
    if (!this.isRunning()) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

/**
 * Runs apps/bench/src/hostile-client-process.ts (a hostile client pattern in its own
 * process) and resolves with the outcome it prints.
 */
export function runHostileClients<T = { opened: number; closedByService: number; bytesSent: number }>(job: object): Promise<T> {
  const entry = join(ROOT, 'apps/bench/src/hostile-client-process.ts');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', REGISTER, entry, JSON.stringify(job)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0) resolve(JSON.parse(line) as T);
      else reject(new Error(`hostile clients exited with ${code}:\n${out}`));
    });
  });
}
