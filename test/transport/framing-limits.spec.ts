import { createConnection } from 'node:net';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';
import { ErrorCodes, Patterns } from '#libs/contracts';
import { CapturingLogger } from '../support/capturing-logger.js';
import { ServiceHarness, TEST_SESSION_CONFIG } from '../support/session-service.harness.js';
import { frame, RawConnection } from './raw-connection.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('TCP transport limits', () => {
  const logger = new CapturingLogger();
  let svc: ServiceHarness;
  const opened: RawConnection[] = [];
  const open = async () => {
    const c = await RawConnection.open(svc.config.port);
    opened.push(c);
    return c;
  };
  const request = (id: string, pattern: string, data: object = {}) =>
    frame({ pattern, id, data: { auth: svc.token, shopId: 'shop-a', ...data } });
  const linesMatching = (re: RegExp) => logger.lines.filter((l) => re.test(l)).length;

  beforeAll(async () => {
    svc = await ServiceHarness.start({
      logger,
      sessionConfig: {
        ...TEST_SESSION_CONFIG,
        transport: { maxConnections: 40, idleTimeoutMs: 1_500, frameTimeoutMs: 1_000, maxBufferedBytes: 512 * 1024 },
      },
    });
  });
  afterEach(() => opened.splice(0).forEach((c) => c.destroy()));
  afterAll(() => svc.stop());

  it('answers frames split at every byte, with multi-byte characters, and pipelined frames in one write', async () => {
    const c = await open();
    const text = 'ü€😀 ß';
    const bytes = Buffer.from(
      request('a', Patterns.sessionUpdateCustomData, { data: { customData: { text } } }) + request('b', Patterns.sessionResolve),
      'utf8',
    );
    for (let i = 0; i < bytes.length; i += 7) c.write(bytes.subarray(i, i + 7));
    const a = await c.reply('a');
    expect(a.err).toBeUndefined();
    expect(a.response).toMatchObject({ data: { customData: { text } } });
    expect((await c.reply('b')).err).toBeUndefined();
    c.write(request('c', Patterns.sessionResolve) + request('d', Patterns.sessionResolve));
    expect((await c.reply('d')).response).toMatchObject({ session: { isNew: true } });
    expect(c.isClosed).toBe(false);
  });

  it('closes a connection whose length prefix has more digits than the largest frame, without waiting for a #', async () => {
    const c = await open();
    c.write('0'.repeat(8));
    expect(await c.closesWithin(2_000)).toBe(true);
    const flood = await open();
    flood.write('1'.repeat(900_000));
    expect(await flood.closesWithin(2_000)).toBe(true);
    expect(logger.text()).toMatch(/closed a TCP connection: length prefix too long/);
  });

  it('closes a connection that sends a frame that is not a JSON object, logging one line per interval', async () => {
    const before = linesMatching(/not a JSON object/);
    const conns = await Promise.all(Array.from({ length: 20 }, () => open()));
    for (const c of conns) c.write('1#1' + '1#1'.repeat(200));
    expect(await Promise.all(conns.map((c) => c.closesWithin(3_000)))).toEqual(conns.map(() => true));
    expect(linesMatching(/not a JSON object/) - before).toBeLessThanOrEqual(1);
    const c = await open();
    c.write(frame(['an', 'array']));
    expect(await c.closesWithin(2_000)).toBe(true);
  });

  it('closes a frame that is not complete within the frame deadline, however its bytes trickle in', async () => {
    const c = await open();
    const body = JSON.stringify({ pattern: Patterns.sessionResolve, id: 't', data: { pad: 'x'.repeat(10_000) } });
    c.write(`${body.length}#`);
    const started = Date.now();
    let sent = 0;
    while (!c.isClosed && Date.now() - started < 5_000) {
      c.write(body.slice(sent, sent + 10));
      sent += 10;
      await sleep(50);
    }
    expect(c.isClosed).toBe(true);
    // A second of deadline, checked a few times per deadline; a trickle that extended it would still be open after 5 s.
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(logger.text()).toMatch(/a frame not complete within 1000 ms of its first byte/);
  });

  it('closes connections that stay silent past the idle timeout; a stock client reconnects by itself', async () => {
    const silent = await open();
    const client = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port: svc.config.port } });
    const call = () => firstValueFrom(client.send(Patterns.sessionResolve, { auth: svc.token, shopId: 'shop-a' }).pipe(timeout(5_000)));
    await call();
    expect(await silent.closesWithin(4_000)).toBe(true);
    await sleep(500); // the client's connection went idle as well
    await expect(call()).resolves.toMatchObject({ session: { isNew: true } });
    await client.close();
  });

  it('destroys an idle connection whose peer never closes its side after the service ended it', async () => {
    const socket = createConnection({ port: svc.config.port, host: '127.0.0.1', allowHalfOpen: true });
    socket.on('error', () => undefined);
    socket.resume(); // reading, so that a reset is noticed
    const ended = new Promise<void>((r) => socket.once('end', () => r()));
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    try {
      await ended; // the idle timeout: the service sent its FIN
      await sleep(7_000); // 5 s for the peer to close, plus a sweep
      // Refused (reset) by a destroyed socket; read and ignored by a half-open one.
      for (let i = 0; i < 5 && !socket.destroyed; i++) {
        socket.write('1');
        await sleep(200);
      }
      expect(await Promise.race([closed.then(() => true), sleep(2_000).then(() => false)])).toBe(true);
    } finally {
      socket.destroy();
    }
  }, 20_000);

  it('keeps partial frames within the buffer budget by closing the oldest, and serves whole requests meanwhile', async () => {
    const conns = await Promise.all(Array.from({ length: 8 }, () => open()));
    for (const c of conns) {
      c.write(`900000#{"pattern":"session.resolve","pad":"${'x'.repeat(100_000)}`);
      await sleep(30);
    }
    // 8 × 128 KiB buffers do not fit 512 KiB: the oldest are closed first.
    await sleep(300);
    const open_ = conns.map((c) => !c.isClosed);
    expect(open_.slice(0, 3)).toEqual([false, false, false]);
    expect(open_.slice(-2)).toEqual([true, true]);
    await expect(svc.send(Patterns.sessionResolve, {})).resolves.toMatchObject({ session: { isNew: true } });
    expect(logger.text()).toMatch(/partial frames above the buffer budget/);
  });

  it('refuses connections above maxConnections and logs that once per interval; serves again once some close', async () => {
    const conns: RawConnection[] = [];
    for (let i = 0; i < 45; i++) conns.push(await open());
    await sleep(300);
    const refused = conns.filter((c) => c.isClosed).length;
    expect(refused).toBeGreaterThanOrEqual(5);
    expect(linesMatching(/refused a TCP connection/)).toBe(1);
    conns.forEach((c) => c.destroy());
    await sleep(200);
    await expect(svc.send(Patterns.sessionResolve, {})).resolves.toMatchObject({ session: { isNew: true } });
  });

  it('answers an unknown pattern with UNKNOWN_PATTERN, through a stock client', async () => {
    const err = await svc.sendExpectingError('session.noSuchMethod', {});
    expect(err).toEqual({ code: ErrorCodes.unknownPattern, message: 'no method answers the pattern "session.noSuchMethod"' });
    const c = await open();
    c.write(frame({ pattern: { cmd: 'x' }, id: 'o', data: {} }));
    expect((await c.reply('o')).err).toMatchObject({ code: ErrorCodes.unknownPattern });
  });

  it('refuses a message without an id with VALIDATION_FAILED and never executes it', async () => {
    const created = await svc.send<{ customData: unknown }>(Patterns.sessionUpdateCustomData, { data: { customData: { n: 1 } } });
    const cookie = created.session!.id!;
    const setCookie = created.session!.setCookie!;
    const raw = decodeURIComponent(setCookie.split(';')[0]!.split('=').slice(1).join('='));
    const c = await open();
    c.write(
      frame({
        pattern: Patterns.sessionUpdateCustomData,
        data: { auth: svc.token, shopId: 'shop-a', session: raw, data: { customData: { n: 2 } } },
      }),
    );
    const refused = await c.reply(undefined);
    expect(refused.err).toMatchObject({ code: ErrorCodes.validationFailed, details: [{ field: 'id' }] });
    c.write(request('after', Patterns.sessionResolve, { session: raw }));
    const after = await c.reply('after');
    expect(after.response).toMatchObject({ session: { id: cookie }, data: { customData: { n: 1 } } });
  });
});
