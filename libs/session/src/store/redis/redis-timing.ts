/** Reconnect forever, backing off from 50 ms to at most 1 s between attempts. */
export const reconnectStrategy = (retries: number) => Math.min(50 * 2 ** retries, 1_000);

/** Rejects when `promise` has not settled within `ms` (the promise itself is left to finish). */
export function withTimeout<T>(promise: Promise<T>, ms: number, what = 'redis'): Promise<T> {
  let timer: NodeJS.Timeout;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no reply within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timedOut]).finally(() => clearTimeout(timer));
}
