import autocannon from 'autocannon';

export interface LoadPoint {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  answered: number;
  /** Connection errors, timeouts and non-2xx answers. */
  failures: number;
}

/** autocannon against `url` from this process (loopback only), after an unmeasured warm-up. */
export async function loadPoint(url: string, options: { connections: number; warmupSeconds: number; seconds: number; cookie: string }): Promise<LoadPoint> {
  const base = { url, connections: options.connections, pipelining: 1, headers: { cookie: options.cookie }, timeout: 10 };
  if (options.warmupSeconds > 0) await autocannon({ ...base, duration: options.warmupSeconds });
  const result = await autocannon({ ...base, duration: options.seconds });
  return {
    requestsPerSecond: result.requests.total / options.seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    answered: result.requests.total,
    failures: result.errors + result.timeouts + result.non2xx,
  };
}
