import { Inject, Injectable } from '@nestjs/common';
import type { OperationResult, Violation } from '#libs/cart';
import { ErrorCodes } from '#libs/contracts';
import { SessionError } from '../core/session-error.js';
import { BASKET_REPOSITORY, type BasketKind, type BasketOwner, type BasketRepository } from '../store/basket-repository.js';
import { KeyedQueue } from '../util/keyed-queue.js';

const KINDS: readonly BasketKind[] = ['cart', 'wishlist'];

/** Another instance wrote the same basket this many times in a row: give up with CONFLICT. */
const MAX_ATTEMPTS = 40;
/** Upper bound of the random pause before retry n, in ms: n * this, so contending instances spread out. */
const BACKOFF_STEP_MS = 2;

/**
 * Reads and changes carts and wishlists. A change is a pure function of the current
 * document (libs/cart, libs/wishlist); it is written with compare-and-set, so no update is
 * lost. Changes of one basket are queued in this process, so a burst of them (200 adds at
 * once) costs no retries; a write by another instance in between is retried after a short
 * random pause that grows with each attempt.
 */
@Injectable()
export class BasketService {
  private readonly queue = new KeyedQueue();

  constructor(@Inject(BASKET_REPOSITORY) private readonly repo: BasketRepository) {}

  async read<T>(owner: BasketOwner, kind: BasketKind, empty: T): Promise<{ value: T; version: number }> {
    const doc = await this.repo.read(owner, kind);
    return doc ? { value: JSON.parse(doc.json) as T, version: doc.version } : { value: empty, version: 0 };
  }

  /** Deletes a basket unless it changed since `version` was read (then it is left as it is). */
  async removeIfUnchanged(owner: BasketOwner, kind: BasketKind, version: number): Promise<boolean> {
    return version === 0 || this.repo.remove(owner, kind, version);
  }

  /** Deletes the cart and the wishlist whatever their versions (a change racing with this is deleted too). */
  async removeAll(owner: BasketOwner): Promise<void> {
    await Promise.all(
      KINDS.map((kind) =>
        this.queue.run(queueKey(owner, kind), async () => {
          for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            const doc = await this.repo.read(owner, kind);
            if (doc === null || (await this.repo.remove(owner, kind, doc.version))) return;
          }
          throw new SessionError(ErrorCodes.conflict, `the ${kind} kept changing concurrently; retry`);
        }),
      ),
    );
  }

  /**
   * Applies `change` with compare-and-set. `beforeWrite` runs before a non-empty basket is
   * written (a guest session is stored then): a refused change, or one that leaves the
   * basket empty and absent, writes nothing at all.
   */
  update<T>(
    owner: BasketOwner,
    kind: BasketKind,
    empty: T,
    change: (current: T) => OperationResult<T>,
    ttlMs: number,
    isEmpty: (value: T) => boolean,
    beforeWrite: () => Promise<unknown> = async () => undefined,
  ): Promise<T> {
    return this.queue.run(queueKey(owner, kind), async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const { value, version } = await this.read(owner, kind, empty);
        const result = change(value);
        if (!result.ok) throw violationError(result.violations);
        // An empty basket is not stored: an emptied one is deleted.
        let done: boolean;
        if (isEmpty(result.value)) done = version === 0 || (await this.repo.remove(owner, kind, version));
        else {
          await beforeWrite();
          done = (await this.repo.write(owner, kind, JSON.stringify(result.value), version, ttlMs)) !== null;
        }
        if (done) return result.value;
        await sleep(Math.random() * BACKOFF_STEP_MS * (attempt + 1));
      }
      throw new SessionError(ErrorCodes.conflict, `the ${kind} kept changing concurrently; retry`);
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function queueKey(owner: BasketOwner, kind: BasketKind): string {
  return `${kind}\n${owner.shopId}\n${'userId' in owner ? `u:${owner.userId}` : `g:${owner.guestHandle}`}`;
}

/** LIMIT_EXCEEDED when the shopper ran into a limit, VALIDATION_FAILED otherwise; details list every violation. */
function violationError(violations: readonly Violation[]): SessionError {
  const code = violations.some((v) => v.code === 'LIMIT_EXCEEDED') ? ErrorCodes.limitExceeded : ErrorCodes.validationFailed;
  return new SessionError(code, violations.map((v) => `${v.field}: ${v.message}`).join('; '), violations);
}
