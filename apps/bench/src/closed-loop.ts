/** Closed-loop load: C workers, each sending its next request as soon as the previous one answered. */

export interface LoadOptions {
  concurrency: number;
  warmupMs: number;
  measureMs: number;
}

export interface LoadResult {
  concurrency: number;
  requests: number;
  /** Every answered call, warm-up included: what the servers' CPU time was spent on. */
  answered: number;
  errors: number;
  /** Completed requests per second over the measured window. */
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** First error message, if any. */
  firstError?: string;
}

/**
 * Runs `call` from `concurrency` workers for warm-up + measured time. Only requests started
 * inside the measured window are recorded; the window closes when the last of them answers.
 */
export async function closedLoop(call: () => Promise<unknown>, options: LoadOptions): Promise<LoadResult> {
  const start = process.hrtime.bigint();
  const measureFrom = start + ms(options.warmupMs);
  const stopAt = measureFrom + ms(options.measureMs);
  const latenciesNs: number[] = [];
  let answered = 0;
  let errors = 0;
  let firstError: string | undefined;

  const worker = async () => {
    for (;;) {
      const t0 = process.hrtime.bigint();
      if (t0 >= stopAt) return;
      let failed = false;
      try {
        await call();
      } catch (e) {
        failed = true;
        firstError ??= describe(e);
        await new Promise((resolve) => setImmediate(resolve)); // never spin on instant failures
      }
      answered++;
      if (t0 < measureFrom) continue;
      if (failed) errors++;
      else latenciesNs.push(Number(process.hrtime.bigint() - t0));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const windowS = Number(process.hrtime.bigint() - measureFrom) / 1e9;

  const sorted = Float64Array.from(latenciesNs).sort();
  return {
    concurrency: options.concurrency,
    requests: sorted.length,
    answered,
    errors,
    perSecond: sorted.length / windowS,
    p50Ms: percentile(sorted, 50) / 1e6,
    p99Ms: percentile(sorted, 99) / 1e6,
    ...(firstError === undefined ? {} : { firstError }),
  };
}

/** Nearest-rank percentile of ascending `sorted`; NaN when empty. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

function ms(n: number): bigint {
  return BigInt(Math.round(n * 1e6));
}

function describe(e: unknown): string {
  if (e instanceof Error) return e.message;
  try {
    return JSON.stringify(e);
  } catch {
    return String(e);
  }
}
