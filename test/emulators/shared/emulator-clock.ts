/**
 * An emulator's clock: a base clock (`Date.now` unless a test passes its own) plus an offset that
 * `advanceTime` moves forward, so tests never need to sleep.
 */
export class EmulatorClock {
  private offsetMs = 0;

  constructor(private readonly base: () => number = Date.now) {}

  /** Epoch ms. */
  now(): number {
    return this.base() + this.offsetMs;
  }

  advanceTime(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}
