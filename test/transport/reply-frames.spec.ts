import { createConnection, type Socket } from 'node:net';
import { Patterns } from '#libs/contracts';
import { ServiceHarness } from '../support/session-service.harness.js';
import { frame } from './raw-connection.js';

/**
 * Reply frames byte for byte, as Nest's TCP server writes them: `{ response | err,
 * isDisposed, id }` in that key order, one frame per request.
 */
describe('reply frames on the wire', () => {
  let svc: ServiceHarness;
  let socket: Socket;
  let text = '';

  beforeAll(async () => {
    svc = await ServiceHarness.start();
    socket = createConnection({ port: svc.config.port, host: '127.0.0.1' });
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    await new Promise((resolve) => socket.once('connect', resolve));
  });
  afterAll(async () => {
    socket.destroy();
    await svc.stop();
  });

  const frames = async (count: number): Promise<string[]> => {
    for (let i = 0; i < 200 && (text.match(/#/g) ?? []).length < count; i++) await new Promise((r) => setTimeout(r, 10));
    const out: string[] = [];
    while (text.length) {
      const hash = text.indexOf('#');
      const length = Number(text.slice(0, hash));
      out.push(text.slice(hash + 1, hash + 1 + length));
      text = text.slice(hash + 1 + length);
    }
    return out;
  };

  it('writes a response and an error the way Nest does', async () => {
    socket.write(frame({ pattern: Patterns.sessionResolve, id: 'ok-1', data: { auth: svc.token, shopId: 'shop-a', data: {} } }));
    socket.write(frame({ pattern: Patterns.sessionResolve, id: 'err-2', data: { shopId: 'shop-a' } }));
    const replies = await frames(2); // the refused call may be answered first
    const [ok, err] = ['"id":"ok-1"}', '"id":"err-2"}'].map((end) => replies.find((r) => r.endsWith(end)));
    expect(ok).toMatch(
      /^\{"response":\{"data":\{"user":null,"customData":\{\}\},"session":\{"id":"[^"]+","userId":null,"isNew":true,"expiresAt":"[^"]+","setCookie":"[^"]+","cookie":\{.*\}\}\},"isDisposed":true,"id":"ok-1"\}$/,
    );
    expect(err).toBe('{"err":{"code":"UNAUTHENTICATED","message":"missing service token (auth)"},"isDisposed":true,"id":"err-2"}');
  });
});
