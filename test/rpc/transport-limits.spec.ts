import { createConnection } from 'node:net';
import { Patterns } from '#libs/contracts';
import { CapturingLogger } from '../support/capturing-logger.js';
import { ServiceHarness } from '../support/session-service.harness.js';

describe('transport limits', () => {
  const logger = new CapturingLogger();
  let svc: ServiceHarness;
  beforeAll(async () => {
    svc = await ServiceHarness.start({ logger });
  });
  afterAll(() => svc.stop());

  it('refuses a frame above 1 MiB by closing that connection, and keeps serving', async () => {
    const err = await svc.send(Patterns.sessionUpdateCustomData, { data: { customData: { blob: 'x'.repeat(1_200_000) } } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(String((err as Error)?.message ?? err)).toMatch(/Connection closed/);
    expect((await svc.send(Patterns.sessionResolve, {})).session!.isNew).toBe(true);
  });

  it('survives a frame that is not JSON, without logging its content', async () => {
    const secret = 's:this-cookie-must-not-be-logged';
    await new Promise<void>((resolve, reject) => {
      const socket = createConnection(svc.config.port, '127.0.0.1');
      socket.once('error', reject);
      socket.once('close', () => resolve());
      const body = `{"pattern":"session.resolve","data":{"session":"${secret}"`;
      socket.write(`${body.length}#${body}`);
    });
    expect(logger.text()).toMatch(/invalid received message/);
    expect(logger.text()).not.toContain(secret);
    expect((await svc.send(Patterns.sessionResolve, {})).session!.isNew).toBe(true);
  });
});
