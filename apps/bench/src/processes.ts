import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A child process of the bench, with the tail of its output kept for error messages. */
export interface Child {
  name: string;
  process: ChildProcess;
  /** Last lines of stdout + stderr. */
  output(): string;
  /** Resolves when the child has exited. */
  exited: Promise<void>;
}

const children = new Set<Child>();
const OUTPUT_LINES = 40;

/** A port that was free a moment ago (bind to 0, read it, release it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Spawns a child that is killed by stopAll(), whatever happens to the bench. */
export function spawnChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Child {
  const proc = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > OUTPUT_LINES) lines.splice(0, lines.length - OUTPUT_LINES);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => {
    proc.once('exit', () => resolve());
    proc.once('error', (e) => {
      lines.push(`spawn failed: ${e.message}`);
      resolve();
    });
  });
  const child: Child = { name, process: proc, output: () => lines.join('\n'), exited };
  children.add(child);
  void exited.then(() => children.delete(child));
  return child;
}

/** The bench's own pid and its running children's. */
export function ownPids(): number[] {
  return [process.pid, ...[...children].map((c) => c.process.pid).filter((pid): pid is number => pid !== undefined)];
}

export function isRunning(child: Child): boolean {
  return child.process.exitCode === null && child.process.signalCode === null && children.has(child);
}

/** SIGTERM to every child, SIGKILL to those still alive after `graceMs`. */
export async function stopAll(graceMs = 3_000): Promise<void> {
  const running = [...children];
  for (const c of running) c.process.kill('SIGTERM');
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
  await Promise.race([Promise.all(running.map((c) => c.exited)), timeout]);
  killAllNow();
}

/** Last resort, synchronous (usable in an 'exit' handler). */
export function killAllNow(): void {
  for (const c of children) c.process.kill('SIGKILL');
}

/** Polls `probe` every `intervalMs` until it returns true; fails if `child` dies or after `timeoutMs`. */
export async function waitUntil(
  child: Child,
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 15_000,
  intervalMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!isRunning(child)) throw new Error(`${child.name} exited before ${what}:\n${child.output()}`);
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${child.name}: no ${what} within ${timeoutMs} ms:\n${child.output()}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Runs a bench's `main` as the whole process: its children never outlive it (on a signal,
 * after `limitMs` without a result, on any exit), and its exit code is main's, or 2 when it
 * could not run.
 */
export async function runBench(name: string, main: () => Promise<number>, limitMs: number): Promise<never> {
  const progress = (message: string) => process.stderr.write(`${name}: ${message}\n`);
  process.once('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      progress(`${signal}: stopping`);
      void stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
  setTimeout(() => {
    progress(`no result after ${Math.round(limitMs / 1000)} s: giving up`);
    void stopAll().finally(() => process.exit(2));
  }, limitMs).unref();

  let code = 2;
  try {
    code = await main();
  } catch (e) {
    console.error(`${name} failed: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    await stopAll();
  }
  process.exit(code);
}
