import { connect, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { RedisClientType } from 'redis';

/** Commands that clients sent to Redis (one network round trip each unless pipelined), by name. */
export interface CommandCount {
  /** Client-issued commands, by lower-case name; commands run inside Lua scripts are not here. */
  sent: Map<string, number>;
  /** Commands that Lua scripts ran, by name. */
  inScripts: Map<string, number>;
}

/**
 * Counts what other clients send to Redis while `work` runs, from a MONITOR connection.
 * MONITOR tells a client's command (`[db ip:port]`) from one a script ran (`[db lua]`),
 * which INFO commandstats and total_commands_processed do not. Commands from `exclude`
 * (the bench's own client, which sends the start/stop markers) are left out.
 */
export async function countRedisCommands(port: number, exclude: RedisClientType, work: () => Promise<void>): Promise<CommandCount> {
  const ownAddress = await clientAddress(exclude);
  const marker = `bench-marker-${randomUUID()}`;
  const monitor = await openMonitor(port);
  const sent = new Map<string, number>();
  const inScripts = new Map<string, number>();
  let counting = false;
  let onStop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (onStop = resolve));

  monitor.onLine((line) => {
    const m = /^\+?\d+\.\d+ \[\d+ ([^\]]+)\] "([^"]*)"(?: "([^"]*)")?/.exec(line);
    if (!m) return;
    const [, source, command, firstArg] = m as unknown as [string, string, string, string | undefined];
    const name = command.toLowerCase();
    if (source === ownAddress) {
      if (name === 'echo' && firstArg === `${marker}-start`) counting = true;
      if (name === 'echo' && firstArg === `${marker}-stop`) onStop();
      return;
    }
    if (!counting) return;
    const into = source === 'lua' ? inScripts : sent;
    into.set(name, (into.get(name) ?? 0) + 1);
  });

  try {
    await exclude.sendCommand(['ECHO', `${marker}-start`]);
    await work();
    await exclude.sendCommand(['ECHO', `${marker}-stop`]);
    await Promise.race([
      stopped,
      new Promise((_, reject) => setTimeout(() => reject(new Error('MONITOR never saw the stop marker')), 5_000).unref()),
    ]);
  } finally {
    monitor.close();
  }
  return { sent, inScripts };
}

/** ip:port of a node-redis client's connection, as Redis names it. */
async function clientAddress(client: RedisClientType): Promise<string> {
  const info = String(await client.sendCommand(['CLIENT', 'INFO']));
  const addr = /(?:^| )addr=(\S+)/.exec(info)?.[1];
  if (!addr) throw new Error(`CLIENT INFO has no addr: ${info}`);
  return addr;
}

interface Monitor {
  onLine(listener: (line: string) => void): void;
  close(): void;
}

/** A raw connection in MONITOR mode, ready once Redis answered +OK. */
function openMonitor(port: number): Promise<Monitor> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    const listeners: ((line: string) => void)[] = [];
    let buffer = '';
    let ready = false;
    socket.setEncoding('utf8');
    socket.once('error', reject);
    socket.once('connect', () => socket.write('MONITOR\r\n'));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!ready) {
          if (line !== '+OK') return reject(new Error(`MONITOR refused: ${line}`));
          ready = true;
          resolve({ onLine: (l) => listeners.push(l), close: () => socket.destroy() });
          continue;
        }
        for (const l of listeners) l(line);
      }
    });
  });
}
