import { Patterns, type CartResult, type LoginResult, type ResolveResult } from '#libs/contracts';
import { CapturingLogger } from '../support/capturing-logger.js';
import { ServiceHarness } from '../support/session-service.harness.js';

describe('the embedded memory store over TCP, and what the logs contain', () => {
  const logger = new CapturingLogger();
  let svc: ServiceHarness;
  beforeAll(async () => {
    svc = await ServiceHarness.start({ logger });
  });
  afterAll(() => svc.stop());

  it('serves the whole lifecycle without Redis', async () => {
    const guest = (await svc.send(Patterns.sessionResolve, {})).session!;
    await svc.send(Patterns.sessionUpdateCustomData, { session: guest.cookie!.value, data: { customData: { step: 1 } } });
    const login = (await svc.send(Patterns.sessionLogin, { session: guest.cookie!.value, data: { user: { id: 'mem-user' } } })).session!;
    const res = await svc.send<ResolveResult>(Patterns.sessionResolve, { session: login.cookie!.value });
    expect(res.data).toEqual({ user: { id: 'mem-user' }, customData: { step: 1 } });
    expect((await svc.send<{ destroyed: number }>(Patterns.sessionDestroyForUser, { data: { userId: 'mem-user' } })).data.destroyed).toBe(
      1,
    );
    expect((await svc.send<ResolveResult>(Patterns.sessionResolve, { session: login.cookie!.value })).data.user).toBeNull();
    expect((await fetch(svc.healthUrl())).status).toBe(200);
  });

  it('never logs a raw session ID or a token', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const login = (await svc.send(Patterns.sessionLogin, { data: { user: { id: `log-user-${i}` } } })).session!;
      ids.push(login.id!, login.cookie!.value);
      await svc.send(Patterns.accountLogoutOtherDevices, { session: login.cookie!.value });
      await svc.send(Patterns.sessionDestroyForUser, { session: login.cookie!.value, data: { userId: `log-user-${i}` } });
    }
    await svc.sendExpectingError(Patterns.sessionResolve, { auth: `${svc.token}x` });
    const text = logger.text();
    expect(text).toMatch(/logged in/);
    expect(text).toMatch(/destroyed \d+ session/);
    for (const secret of [...ids, svc.token]) expect(text).not.toContain(secret);
  });
});

describe('carts on the embedded memory store', () => {
  let svc: ServiceHarness;
  beforeAll(async () => {
    svc = await ServiceHarness.start();
  });
  afterAll(() => svc.stop());

  it('merges a guest cart into the customer’s at login, once', async () => {
    const guest = (await svc.send(Patterns.sessionResolve, {})).session!.cookie!.value;
    await svc.send(Patterns.cartAddItem, { session: guest, data: { productId: 'p1', variantId: 'v', quantity: 2 } });
    const device = (await svc.send(Patterns.sessionLogin, { data: { user: { id: 'mem-cart' } } })).session!.cookie!.value;
    await svc.send(Patterns.cartAddItem, { session: device, data: { productId: 'p1', variantId: 'v', quantity: 1 } });
    const login = await svc.send<LoginResult>(Patterns.sessionLogin, { session: guest, data: { user: { id: 'mem-cart' } } });
    expect(login.data.cart).toMatchObject({ strategy: 'sum', merged: 1, alreadyMerged: false });
    const cart = await svc.send<CartResult>(Patterns.cartGet, { session: device });
    expect(cart.data.lines.map((l) => l.quantity)).toEqual([3]);
  });
});
