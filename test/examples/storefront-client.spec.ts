import { ServiceHarness } from '../support/session-service.harness.js';
import { TEST_AUTH_SECRET } from '../support/service-tokens.js';
import { connect, handlePageRequest, serviceToken } from './storefront-client.example.js';

describe('the docs/rpc.md client example', () => {
  let svc: ServiceHarness;
  beforeAll(async () => {
    svc = await ServiceHarness.start({ sessionConfig: { session: { secret: 'example-secret' }, shops: { '1001': {} } } });
  });
  afterAll(() => svc.stop());

  it('resolves a session and hands back the Set-Cookie, then reuses the cookie', async () => {
    const client = connect('127.0.0.1', svc.config.port);
    const auth = serviceToken(TEST_AUTH_SECRET);
    const headers: Record<string, string> = {};
    const first = await handlePageRequest(client, auth, {}, (name, value) => (headers[name] = value));
    expect(first).toEqual({ user: null, customData: {} });
    const cookieOf = (setCookie: string) => decodeURIComponent(/^\$session-1001=([^;]+);/.exec(setCookie)![1]!);
    const cookie = cookieOf(headers['Set-Cookie']!);

    const again: Record<string, string> = {};
    await handlePageRequest(client, auth, { '$session-1001': cookie }, (name, value) => (again[name] = value));
    expect(again).toEqual({}); // the same session: nothing to send

    await expect(handlePageRequest(client, 'not-a-token', {}, () => {})).rejects.toThrow(/UNAUTHENTICATED/);
    await client.close();
  });
});
