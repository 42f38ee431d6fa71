/** The store could not answer (down, unreachable, or slower than the command timeout). */
export class StoreUnavailableError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`session store unavailable: ${reason}`, options);
    this.name = 'StoreUnavailableError';
  }
}
