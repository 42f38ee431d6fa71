import { Inject, Injectable } from '@nestjs/common';
import {
  ErrorCodes,
  type AuthMethod,
  type LoginResult,
  type SessionCustomData,
  type SessionSummary,
  type SessionUser,
  type SessionView,
} from '#libs/contracts';
import { BasketService } from '../baskets/basket.service.js';
import { alreadyMerged, planLoginMerge, readGuestBaskets } from '../baskets/login-basket-merge.js';
import { cookieView, serializeSetCookie } from '../cookie/set-cookie.js';
import { SERVICE_CONFIG, type ServiceConfig, type ShopSettings } from '../config/service-config.js';
import { newGuestId, newUserBoundId, parseSessionId, sessionHandle, toHandle, type ParsedSessionId } from '../id/session-id.js';
import { BoundedCache } from '../util/bounded-cache.js';
import { isoTime } from '../util/iso-time.js';
import {
  SESSION_REPOSITORY,
  type Clock,
  type SessionFields,
  type SessionKey,
  type SessionRepository,
  type StoredSession,
} from '../store/session-repository.js';
import type { BasketOwner } from '../store/basket-repository.js';
import type { ReauthUpdate } from '../store/session-rotation.js';
import { authView } from '../security/auth-view.js';
import { serializeWithin } from './payload-limits.js';
import { SessionError } from './session-error.js';
import { applyFields, idleExpiry } from './session-rules.js';
import type { SessionState } from './session-state.js';

/** A cookie whose signature `shopId`'s signer accepted. */
type VerifiedCookie = ParsedSessionId & { handle: string; shopId: string };

const VERIFIED_COOKIE_CACHE_SIZE = 10_000;
const MAX_MERGE_ATTEMPTS = 10;

/** What a login did with the guest's baskets (empty when the guest had none). */
export type LoginMergeReport = Pick<LoginResult, 'cart' | 'wishlist' | 'providerCart'>;

/** The session use cases. RpcContext exposes them to handlers; this is the only caller of the repository. */
@Injectable()
export class SessionManager {
  private readonly verifiedCookies = new BoundedCache<string, VerifiedCookie>(VERIFIED_COOKIE_CACHE_SIZE);

  constructor(
    @Inject(SESSION_REPOSITORY) private readonly repo: SessionRepository,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly baskets: BasketService,
  ) {}

  /**
   * Turns an untrusted cookie into a session. Anything we did not sign, or a user-bound
   * session that is gone, becomes a fresh guest. A signed guest ID keeps its ID even with
   * nothing stored. Costs no store call for a fresh guest and exactly one otherwise.
   */
  async resolve(shop: ShopSettings, cookie: string | null | undefined, now = this.config.wallClock()): Promise<SessionState> {
    const parsed = cookie ? this.verifyCookie(shop, cookie) : null;
    if (parsed === null) return this.freshGuest(shop, now);

    const handle = parsed.handle;
    const found = await this.repo.resolve({ shopId: shop.shopId, handle, userId: parsed.userId }, clock(shop, now));
    if (found === null && parsed.userId !== null) return this.freshGuest(shop, now);

    const stored = found?.session ?? null;
    return {
      shop,
      id: parsed.id,
      handle,
      userId: parsed.userId,
      isNew: false,
      stored,
      user: stored?.user ? (JSON.parse(stored.user) as SessionUser) : null,
      customData: stored?.customData ? (JSON.parse(stored.customData) as SessionCustomData) : {},
      expiresAt: found?.expiresAt ?? now + shop.idleTimeoutMs,
      // The browser cookie follows the server-side expiry: re-sent exactly when it moved.
      cookie: found?.extended ? 'set' : 'none',
    };
  }

  async updateCustomData(state: SessionState, data: SessionCustomData, now = this.config.wallClock()): Promise<void> {
    const key = this.liveKey(state);
    const json = serializeWithin('customData', data, this.config.limits.maxCustomDataBytes);
    const empty = Object.keys(data).length === 0;
    if (state.userId === null && empty && !state.stored?.hasBasket && !state.stored?.providerSession) {
      // A guest holding nothing costs nothing: drop what is stored instead of writing {}.
      if (state.stored) await this.repo.destroy(key, state.actor);
      state.stored = null;
    } else if (state.userId !== null) {
      await this.patchUserBound(state, key, { customData: empty ? null : json }, now);
    } else {
      await this.writeGuest(state, key, { customData: empty ? null : json }, now);
    }
    state.customData = data;
  }

  /**
   * Whose cart and wishlist this session uses: the customer's for a logged-in session, the
   * session's own for a guest. Before a guest's first basket write the session is stored
   * (it now holds something), so its expiry runs and its cookie is re-sent with it.
   */
  async basketOwner(state: SessionState, forWrite: boolean, now = this.config.wallClock()): Promise<BasketOwner> {
    const key = this.liveKey(state);
    if (state.userId !== null) return { shopId: key.shopId, userId: state.userId };
    if (forWrite && !state.stored?.hasBasket) await this.writeGuest(state, key, { hasBasket: true }, now);
    return { shopId: key.shopId, guestHandle: key.handle };
  }

  async updateUser(state: SessionState, user: SessionUser, now = this.config.wallClock()): Promise<void> {
    const key = this.liveKey(state);
    if (state.userId === null) throw notLoggedIn();
    if (user.id !== state.userId) {
      throw new SessionError(ErrorCodes.validationFailed, 'user.id must stay the logged-in user', [
        { field: 'user.id', message: 'user.id must equal the logged-in user; use session.login to switch users' },
      ]);
    }
    const json = serializeWithin('user', user, this.config.limits.maxUserBytes);
    await this.patchUserBound(state, key, { user: json }, now);
    state.user = user;
  }

  /**
   * Binds the session to `user` under a new ID `<userId>:<uuid>`: the new session is
   * written (atomically with the user's revocation check) before the old one is deleted,
   * so a failure in between loses nothing, and the old ID is dead once this returns.
   * `authenticatedAt` is when the caller verified the shopper: a force-logout after that
   * instant makes this fail with SESSION_REVOKED.
   *
   * A guest's cart and wishlist merge into the customer's in the same atomic step, at most
   * once per guest session; the guest's are deleted afterwards (unless changed meanwhile).
   */
  async login(
    state: SessionState,
    user: SessionUser,
    authenticatedAt: number,
    options: { providerSession?: string; now?: number; authMethod?: AuthMethod } = {},
  ): Promise<LoginMergeReport> {
    const now = options.now ?? this.config.wallClock();
    const userJson = serializeWithin('user', user, this.config.limits.maxUserBytes);
    const shop = state.shop;
    const keepData = state.userId === null || state.userId === user.id;
    const id = newUserBoundId(user.id);
    const key: SessionKey = { shopId: shop.shopId, handle: sessionHandle(id), userId: user.id };
    const record: StoredSession = {
      ...this.newRecord(shop, now),
      authenticatedAt,
      authMethod: options.authMethod ?? 'trusted',
      user: userJson,
    };
    if (keepData && state.stored?.customData) record.customData = state.stored.customData;
    if (options.providerSession) record.providerSession = options.providerSession;
    // A trusted login keeps what the guest holds at the provider (its cart): nothing is lost.
    else if (state.userId === null && state.stored?.providerSession) record.providerSession = state.stored.providerSession;

    const guest =
      state.userId === null && state.stored?.hasBasket && state.handle
        ? await readGuestBaskets(this.baskets, { shopId: shop.shopId, guestHandle: state.handle })
        : null;
    let report: LoginMergeReport = {};
    for (let attempt = 1; ; attempt++) {
      const plan = guest ? await planLoginMerge(this.baskets, shop, user.id, guest) : null;
      const outcome = await this.repo.createUserBound(key, record, clock(shop, now), shop.absoluteTimeoutMs, {
        merge: plan?.merge,
        limit: shop.sessionLimit,
        actor: state.actor,
      });
      if (outcome.status === 'revoked') {
        throw new SessionError(ErrorCodes.sessionRevoked, "the user's sessions were revoked while this login was in flight");
      }
      if (outcome.status === 'too-many') {
        throw new SessionError(
          ErrorCodes.tooManySessions,
          `the user already has ${shop.sessionLimit.max} live sessions in this shop; log out elsewhere first`,
          {
            maxSessionsPerUser: shop.sessionLimit.max,
          },
        );
      }
      if (outcome.status === 'created') {
        if (plan) report = outcome.merged ? { cart: plan.cart, wishlist: plan.wishlist } : alreadyMerged(plan);
        break;
      }
      // The customer's cart changed while the merge was computed: compute it again.
      if (attempt >= MAX_MERGE_ATTEMPTS)
        throw new SessionError(ErrorCodes.conflict, "the customer's cart kept changing during login; retry");
    }
    if (guest) {
      await Promise.all([
        this.baskets.removeIfUnchanged(guest.owner, 'cart', guest.cart.version),
        this.baskets.removeIfUnchanged(guest.owner, 'wishlist', guest.wishlist.version),
      ]);
    }
    const previous = this.currentKey(state);
    if (previous && (state.stored || state.userId)) await this.repo.destroy(previous, state.actor);

    Object.assign(state, {
      id,
      handle: key.handle,
      userId: user.id,
      stored: record,
      user,
      customData: keepData ? state.customData : {},
      expiresAt: idleExpiry(now, shop.idleTimeoutMs, record.absoluteExpiresAt),
      cookie: 'set',
    } satisfies Partial<SessionState>);
    return report;
  }

  /**
   * Re-authentication: the logged-in session moves to a new ID `<userId>:<uuid>` stamped with
   * a new `authenticatedAt`, in one store step; the session itself (creation, absolute expiry,
   * user, custom data, the customer's baskets) stays. No login, no merge, no session limit.
   */
  async reauthenticate(state: SessionState, update: ReauthUpdate, now = this.config.wallClock()): Promise<void> {
    const key = this.liveKey(state);
    if (key.userId === null) throw notLoggedIn();
    const id = newUserBoundId(key.userId);
    const handle = sessionHandle(id);
    const rotated = await this.repo.rotate(key, handle, update, clock(state.shop, now), state.actor);
    if (rotated.status === 'gone') {
      markDestroyed(state);
      throw notLoggedIn('the session ended (logged out or revoked elsewhere)');
    }
    const stored: StoredSession = { ...state.stored!, authenticatedAt: rotated.authenticatedAt, authMethod: update.authMethod };
    if (update.providerSession !== undefined) stored.providerSession = update.providerSession;
    Object.assign(state, { id, handle, stored, expiresAt: rotated.expiresAt, cookie: 'set' } satisfies Partial<SessionState>);
  }

  /** Stores the sealed provider session (refreshed tokens, a guest's anonymous session, a cart id). */
  async updateProviderSession(state: SessionState, sealed: string, now = this.config.wallClock()): Promise<void> {
    const key = this.liveKey(state);
    if (state.userId === null) return this.writeGuest(state, key, { providerSession: sealed }, now);
    await this.patchUserBound(state, key, { providerSession: sealed }, now);
    if (state.stored) state.stored = { ...state.stored, providerSession: sealed };
  }

  /**
   * After a destroy: the response carries a new guest session holding `fields` instead of
   * clearing the cookie (a cart the provider handed back at logout stays with the shopper).
   */
  async restartAsGuest(state: SessionState, fields: SessionFields, now = this.config.wallClock()): Promise<void> {
    Object.assign(state, this.freshGuest(state.shop, now));
    await this.writeGuest(state, this.liveKey(state), fields, now);
  }

  /**
   * A guest's cart and wishlist belong to its session and go with it, before the session
   * record (a failure in between leaves a session that can be destroyed again). A customer's
   * outlive the session. A brand-new guest has no baskets to look for.
   */
  async destroy(state: SessionState): Promise<void> {
    const key = this.currentKey(state);
    if (key && key.userId === null && !state.isNew) await this.baskets.removeAll({ shopId: key.shopId, guestHandle: key.handle });
    if (key && (state.stored || state.userId)) await this.repo.destroy(key, state.actor);
    markDestroyed(state);
  }

  /**
   * Force-logout: destroys the user's sessions in the shop except `keep` (raw IDs or handles).
   * `by`: the calling session's state (marked destroyed when it is among them; its actor is
   * the session event's), or, for operators, the actor alone.
   */
  async destroyForUser(
    shop: ShopSettings,
    userId: string,
    keep: string[],
    by: SessionState | { actor?: string },
    now = this.config.wallClock(),
  ): Promise<number> {
    const current = 'userId' in by ? by : null;
    const actor = by.actor;
    const keepHandles = keep.map(toHandle);
    const destroyed = await this.repo.destroyForUser(shop.shopId, userId, keepHandles, clock(shop, now), shop.absoluteTimeoutMs, actor);
    if (current && current.userId === userId && current.handle && !keepHandles.includes(current.handle)) markDestroyed(current);
    return destroyed;
  }

  async listForUser(shop: ShopSettings, userId: string, now = this.config.wallClock()): Promise<SessionSummary[]> {
    const sessions = await this.repo.listForUser(shop.shopId, userId, clock(shop, now));
    return sessions
      .sort((a, b) => b.lastSeenAt - a.lastSeenAt)
      .map((s) => ({
        id: s.handle,
        createdAt: new Date(s.createdAt).toISOString(),
        lastSeenAt: new Date(s.lastSeenAt).toISOString(),
        expiresAt: new Date(s.expiresAt).toISOString(),
      }));
  }

  /** The `session` part of a response. */
  view(state: SessionState, now = this.config.wallClock()): SessionView {
    const { cookie: settings, signer } = state.shop;
    if (state.cookie === 'clear' || state.id === null) {
      const cleared = cookieView(settings, '', 0);
      return {
        id: null,
        userId: null,
        isNew: false,
        expiresAt: isoTime(now),
        setCookie: serializeSetCookie(cleared, now),
        cookie: cleared,
      };
    }
    const cookie =
      state.cookie === 'set'
        ? cookieView(settings, signer.sign(state.id), cookieMaxAge(state.expiresAt, now, settings.maxAgeSeconds))
        : null;
    return {
      id: state.id,
      userId: state.userId,
      isNew: state.isNew,
      expiresAt: isoTime(state.expiresAt),
      setCookie: cookie ? serializeSetCookie(cookie, now) : null,
      cookie,
      ...authView(state),
    };
  }

  /**
   * Verified cookies are remembered (bounded), so a returning cookie costs no HMAC and no
   * SHA-256. Only successes are cached: a forged cookie never enters the cache.
   */
  private verifyCookie(shop: ShopSettings, cookie: string): VerifiedCookie | null {
    // Keyed by the cookie alone (no key string to build per call); a hit counts for the shop that verified it.
    const hit = this.verifiedCookies.get(cookie);
    if (hit && hit.shopId === shop.shopId) return hit;
    const id = shop.signer.unsign(cookie);
    const parsed = id === null ? null : parseSessionId(id);
    if (parsed === null) return null;
    const verified = { ...parsed, handle: sessionHandle(parsed.id), shopId: shop.shopId };
    this.verifiedCookies.set(cookie, verified);
    return verified;
  }

  private freshGuest(shop: ShopSettings, now: number): SessionState {
    const id = newGuestId();
    return {
      shop,
      id,
      handle: sessionHandle(id),
      userId: null,
      isNew: true,
      stored: null,
      user: null,
      customData: {},
      expiresAt: now + shop.idleTimeoutMs,
      cookie: 'set',
    };
  }

  private newRecord(shop: ShopSettings, now: number): StoredSession {
    return { createdAt: now, absoluteExpiresAt: now + shop.absoluteTimeoutMs };
  }

  /**
   * Writes fields of a guest session. A guest not stored yet is stored from now on: its
   * expiry starts, so the cookie is (re-)sent. The write is seeded, so a guest session that
   * idled out meanwhile is written again rather than lost.
   */
  private async writeGuest(state: SessionState, key: SessionKey, fields: SessionFields, now: number): Promise<void> {
    const first = state.stored === null;
    const record = applyFields(state.stored ?? this.newRecord(state.shop, now), fields);
    if (first && state.isNew) await this.repo.create(key, record, clock(state.shop, now), state.actor);
    else await this.repo.patch(key, fields, clock(state.shop, now), record, state.actor);
    state.stored = record;
    if (first)
      Object.assign(state, {
        expiresAt: idleExpiry(now, state.shop.idleTimeoutMs, record.absoluteExpiresAt),
        cookie: 'set',
      } satisfies Partial<SessionState>);
  }

  private async patchUserBound(state: SessionState, key: SessionKey, fields: SessionFields, now: number): Promise<void> {
    const written = await this.repo.patch(key, fields, clock(state.shop, now), undefined, state.actor);
    if (!written) {
      markDestroyed(state);
      throw notLoggedIn('the session ended (logged out or revoked elsewhere)');
    }
  }

  private currentKey(state: SessionState): SessionKey | null {
    return state.id === null || state.handle === null ? null : { shopId: state.shop.shopId, handle: state.handle, userId: state.userId };
  }

  private liveKey(state: SessionState): SessionKey {
    const key = this.currentKey(state);
    if (!key) throw new SessionError(ErrorCodes.notLoggedIn, 'the session was destroyed earlier in this call');
    return key;
  }
}

function clock(shop: ShopSettings, now: number): Clock {
  return { now, idleTimeoutMs: shop.idleTimeoutMs, touchAfterMs: shop.touchAfterMs };
}

function notLoggedIn(message = 'this method needs a logged-in session'): SessionError {
  return new SessionError(ErrorCodes.notLoggedIn, message);
}

/** The browser keeps the cookie as long as the server keeps the session: until its idle (or absolute) expiry. */
function cookieMaxAge(expiresAt: number, now: number, maxAgeSeconds: number): number {
  return Math.max(1, Math.min(maxAgeSeconds, Math.ceil((expiresAt - now) / 1000)));
}

function markDestroyed(state: SessionState): void {
  Object.assign(state, {
    id: null,
    handle: null,
    userId: null,
    stored: null,
    user: null,
    customData: {},
    cookie: 'clear',
  } satisfies Partial<SessionState>);
}
