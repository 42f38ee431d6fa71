import autocannon from 'autocannon';

export interface LoadPoint {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  answered: number;
  /** Connection errors, timeouts and non-2xx answers. */
  failures: number;
}

/** autocannon against `url` from this process (loopback only) for `seconds`. */
export async function loadPoint(url: string, options: { connections: number; seconds: number; cookie: string }): Promise<LoadPoint> {
  const result = await autocannon({
    url,
    connections: options.connections,
    pipelining: 1,
    headers: { cookie: options.cookie },
    timeout: 10,
    duration: options.seconds,
  });
  return {
    requestsPerSecond: result.requests.total / options.seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    answered: result.requests.total,
    failures: result.errors + result.timeouts + result.non2xx,
  };
}

/** Several slices of one app's load as one point: requests over the whole time, the median slice's p50 and p99. */
export function combine(points: LoadPoint[], secondsEach: number): LoadPoint {
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const answered = points.reduce((n, p) => n + p.answered, 0);
  return {
    requestsPerSecond: answered / (secondsEach * points.length),
    p50Ms: median(points.map((p) => p.p50Ms)),
    p99Ms: median(points.map((p) => p.p99Ms)),
    answered,
    failures: points.reduce((n, p) => n + p.failures, 0),
  };
}
