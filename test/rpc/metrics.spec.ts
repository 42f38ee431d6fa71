import { Patterns } from '#libs/contracts';
import { ServiceHarness } from '../support/session-service.harness.js';

/** The value of one sample line of the exposition text (`name{labels} value`), or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  let svc: ServiceHarness;
  beforeAll(async () => {
    svc = await ServiceHarness.start();
  });
  afterAll(() => svc.stop());

  const scrape = async (): Promise<{ status: number; type: string | null; text: string }> => {
    const res = await fetch(svc.healthUrl().replace(/\/health$/, '/metrics'));
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };

  it('serves Prometheus text with RPC latency by pattern and result code, calls in flight and open connections', async () => {
    const before = await scrape();
    const resolved = (t: string) => sample(t, 'session_rpc_duration_seconds_count{pattern="session.resolve",code="OK"}') ?? 0;
    const refused = (t: string) => sample(t, 'session_rpc_duration_seconds_count{pattern="session.login",code="UNAUTHENTICATED"}') ?? 0;
    const invalid = (t: string) => sample(t, 'session_rpc_duration_seconds_count{pattern="session.login",code="VALIDATION_FAILED"}') ?? 0;

    await svc.send(Patterns.sessionResolve, {});
    await svc.send(Patterns.sessionResolve, {});
    expect((await svc.sendExpectingError(Patterns.sessionLogin, { auth: 'not.a.jwt', data: { user: { id: 'u-m' } } })).code).toBe(
      'UNAUTHENTICATED',
    );
    expect((await svc.sendExpectingError(Patterns.sessionLogin, { data: { user: { id: '' } } })).code).toBe('VALIDATION_FAILED');

    const after = await scrape();
    expect(after.status).toBe(200);
    expect(after.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(resolved(after.text) - resolved(before.text)).toBe(2);
    expect(refused(after.text) - refused(before.text)).toBe(1);
    expect(invalid(after.text) - invalid(before.text)).toBe(1);
    expect(sample(after.text, 'session_rpc_duration_seconds_bucket{le="+Inf",pattern="session.resolve",code="OK"}')).toBe(
      resolved(after.text),
    );
    expect(sample(after.text, 'session_rpc_in_flight')).toBe(0);
    expect(sample(after.text, 'session_tcp_connections')).toBeGreaterThanOrEqual(1); // the harness's ClientProxy
    expect(sample(after.text, 'session_events_lost_total')).toBe(0); // registered; only a cluster can lose one (test/cluster/store-contracts.spec.ts)
    expect(sample(after.text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
  });

  it('labels only registered patterns, and never carries session IDs or tokens', async () => {
    const login = await svc.send(Patterns.sessionLogin, { data: { user: { id: 'u-metrics' } } });
    const { text } = await scrape();
    const patterns = new Set([...text.matchAll(/pattern="([^"]*)"/g)].map((m) => m[1]));
    for (const p of patterns) expect(Object.values(Patterns)).toContain(p);
    expect(text).not.toContain(login.session!.id!);
    expect(text).not.toContain(svc.token);
  });
});
