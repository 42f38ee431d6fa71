import { createClient, ErrorReply, type RedisClientType } from 'redis';
import { createRedisClients } from '#libs/session';
import { ReadPipeline } from '../../libs/session/src/store/redis/read-pipeline.js';
import { lastCommand, readsConnectionLines } from '../support/reads-connections.js';
import { RedisServer, sleep } from '../support/redis-server.js';

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(20)) if (await ok()) return;
  throw new Error(`not within ${ms} ms: ${what}`);
}

describe('ReadPipeline, the reads connection of a single Redis node', () => {
  let redis: RedisServer;
  let admin: RedisClientType;
  const opened: Array<{ close(): unknown }> = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
    admin = createClient({ url: redis.url }) as RedisClientType;
    admin.on('error', () => {});
    await admin.connect();
    await admin.sendCommand(['ACL', 'SETUSER', 'reader', 'on', '>pw-1', '~*', '+@all']);
  });
  afterEach(async () => {
    for (const o of opened.splice(0)) await o.close();
  });
  afterAll(async () => {
    await admin?.quit().catch(() => {});
    await redis?.stop();
  });

  function pipeline(url: string, errors: Error[] = []): ReadPipeline {
    const reads = new ReadPipeline(new URL(url), 1000, (e) => errors.push(e));
    opened.push(reads);
    return reads;
  }

  it('answers a batch with the replies node-redis gives for the same commands, after AUTH as a user and SELECT', async () => {
    const db3 = createClient({ url: `${redis.url}/3` }) as RedisClientType;
    await db3.connect();
    await db3.set('k:ä', 'välue');
    await db3.set('k:2', '{"a":1}', { PXAT: Date.now() + 60_000 });
    const commands = [
      ['MGET', 'k:ä', 'k:missing', 'k:2'],
      ['PEXPIRETIME', 'k:2'],
      ['PEXPIRETIME', 'k:missing'],
    ];
    const viaNodeRedis = await Promise.all(commands.map((c) => db3.sendCommand(c)));
    await db3.quit();

    const reads = pipeline(`redis://reader:pw-1@127.0.0.1:${redis.port}/3`);
    await until('ready', () => reads.isReady());
    expect(await reads.batch(commands)).toEqual(viaNodeRedis);
    expect(viaNodeRedis[0]).toEqual(['välue', null, '{"a":1}']);
    expect(readsConnectionLines(await admin.sendCommand<string>(['CLIENT', 'LIST']))).toHaveLength(1);
  });

  it('connects to an IPv6 literal, which a URL holds in brackets', async () => {
    const v6 = await RedisServer.start(['--bind', '127.0.0.1', '::1']);
    try {
      const reads = pipeline(`redis://[::1]:${v6.port}`);
      await until('ready', () => reads.isReady());
      expect(await reads.batch([['PEXPIRETIME', 'nothing']])).toEqual([-2]);
    } finally {
      await v6.stop();
    }
  });

  it('answers batches in the order they were sent, many in one write', async () => {
    const reads = pipeline(redis.url);
    await until('ready', () => reads.isReady());
    for (let i = 0; i < 50; i++) await admin.set(`order:${i}`, String(i));
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        reads.batch([
          ['MGET', `order:${i}`],
          ['PEXPIRETIME', `order:${i}`],
        ]),
      ),
    );
    expect(replies).toEqual(Array.from({ length: 50 }, (_, i) => [[String(i)], -1]));
  });

  it('answers a reply larger than one read whole (its first reads are copied out of the reused read buffer)', async () => {
    const reads = pipeline(redis.url);
    await until('ready', () => reads.isReady());
    const big = Array.from({ length: 50_000 }, (_, i) => `${i}ü`).join(',');
    await admin.set('big', big);
    await admin.set('small', '1');
    const replies = await Promise.all(
      Array.from({ length: 4 }, () =>
        reads.batch([
          ['MGET', 'big', 'order:1'],
          ['PEXPIRETIME', 'big'],
        ]),
      ),
    );
    for (const reply of replies) expect(reply).toEqual([[big, '1'], -1]);
  });

  it('rejects a batch with the error reply of any of its commands, and goes on answering', async () => {
    const reads = pipeline(redis.url);
    await until('ready', () => reads.isReady());
    await admin.rPush('a-list', 'x');
    const failed = await reads
      .batch([
        ['MGET', 'a-list'],
        ['GET', 'a-list'],
      ])
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ErrorReply);
    expect((failed as Error).message).toMatch(/^WRONGTYPE/);
    expect(await reads.batch([['PEXPIRETIME', 'a-list']])).toEqual([-1]);
  });

  it('never becomes ready with a wrong password, and says so once', async () => {
    const errors: Error[] = [];
    const reads = pipeline(`redis://reader:wrong@127.0.0.1:${redis.port}`, errors);
    await until('the refusal reported', () => errors.length > 0);
    await sleep(300);
    expect(reads.isReady()).toBe(false);
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/^redis read connection: (WRONGPASS|ERR invalid password)/)]);
  });

  it('fails what is in flight when Redis dies, and is ready again once it is back', async () => {
    const reads = pipeline(redis.url);
    await until('ready', () => reads.isReady());
    redis.pause(); // the batch is sent but not answered
    const inFlight = reads.batch([['PEXPIRETIME', 'x']]).catch((e: unknown) => e);
    await sleep(50);
    await redis.stop();
    expect(((await inFlight) as Error).message).toBe('redis read connection closed');
    expect(reads.isReady()).toBe(false);
    await redis.restart();
    await until('ready after the restart', () => reads.isReady(), 5000);
    expect(await reads.batch([['PEXPIRETIME', 'x']])).toEqual([-2]);
  });

  it('RedisClients reads through it, and through node-redis while it is down', async () => {
    const clients = await createRedisClients({ url: redis.url, connectTimeoutMs: 1000, onError: () => {} });
    opened.push(clients);
    await admin.set('both', 'v');
    const readsConnection = async () => readsConnectionLines(await admin.sendCommand<string>(['CLIENT', 'LIST']))[0];
    await until('the reads connection is up', async () => clients.isReady() && (await readsConnection()) !== undefined);
    const before = lastCommand(await readsConnection());
    expect(
      await clients.sendAll('both', [
        ['MGET', 'both'],
        ['PEXPIRETIME', 'both'],
      ]),
    ).toEqual([['v'], -1]);
    expect(lastCommand(await readsConnection())).toBe('pexpiretime');
    expect(before).not.toBe('pexpiretime');

    // Redis refuses new connections from here on: once killed, the reads connection cannot come back,
    // so the same call must go through node-redis.
    // (Connections already open stay open.)
    const { maxclients } = await admin.configGet('maxclients');
    await admin.configSet('maxclients', '1');
    try {
      const id = /id=(\d+)/.exec((await readsConnection())!)![1]!;
      await admin.sendCommand(['CLIENT', 'KILL', 'ID', id]);
      await sleep(300); // a few reconnect attempts, each refused
      expect(await readsConnection()).toBeUndefined();
      expect(
        await clients.sendAll('both', [
          ['MGET', 'both'],
          ['PEXPIRETIME', 'both'],
        ]),
      ).toEqual([['v'], -1]);
    } finally {
      await admin.configSet('maxclients', maxclients!);
    }
    await until('the reads connection back', async () => (await readsConnection()) !== undefined);
  });
});
