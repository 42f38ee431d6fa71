/**
 * Server errors a test asks for: the next `count` requests (to any host of the emulator)
 * are answered with `status` in the provider's error shape, after being recorded.
 */
export class InjectedFaults {
  private queue: number[] = [];

  failNext(count: number, status = 503): void {
    for (let i = 0; i < count; i++) this.queue.push(status);
  }

  clear(): void {
    this.queue = [];
  }

  /** The status to answer the current request with, or undefined to serve it normally. */
  take(): number | undefined {
    return this.queue.shift();
  }
}
