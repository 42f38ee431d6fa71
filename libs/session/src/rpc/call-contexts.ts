import { Logger } from '@nestjs/common';
import {
  ErrorCodes,
  Patterns,
  type ReauthenticateResult,
  type SessionCustomData,
  type SessionSummary,
  type SessionUser,
} from '#libs/contracts';
import type { AuditService } from '../admin/audit.service.js';
import type { ServiceCaller } from '../auth/service-caller.js';
import { CartAccess, WishlistAccess } from '../baskets/basket-access.js';
import type { BasketService } from '../baskets/basket.service.js';
import type { ShopSettings } from '../config/service-config.js';
import { SessionError } from '../core/session-error.js';
import type { LoginMergeReport, SessionManager } from '../core/session-manager.js';
import type { SessionState } from '../core/session-state.js';
import { logWithin } from '../logging/call-log-context.js';
import type { ProviderService } from '../providers/provider.service.js';
import { ProviderSession } from '#libs/token-providers';
import { reauthenticate, type ProviderCheck, type ReauthProof } from '../security/reauthenticate.js';
import type { SessionSecurity } from '../security/session-security.js';
import { callLogFields, type CallState } from './call-state.js';
import { SessionProviderPart } from './provider-part.js';
import type { CallContext, RpcContext, RpcLog, ServiceContext } from './rpc-context.js';

/** The services a call's context works with. */
export interface RpcServices {
  readonly manager: SessionManager;
  readonly baskets: BasketService;
  readonly audit: AuditService;
  readonly providers: ProviderService;
  readonly security: SessionSecurity;
}

abstract class BaseCallContext implements CallContext {
  readonly shopId: string;
  readonly shop: ShopSettings;
  readonly caller: ServiceCaller;
  readonly receivedAt: number;
  private logger: RpcLog | undefined;

  constructor(
    protected readonly services: RpcServices,
    protected readonly call: CallState,
    /** Read at each line: a login changes the handle. */
    private readonly handle: () => string | null,
  ) {
    this.shop = call.shop;
    this.shopId = call.shop.shopId;
    this.caller = call.caller;
    this.receivedAt = call.receivedAt;
  }

  /** Built on first use: most calls log nothing. */
  get log(): RpcLog {
    return (this.logger ??= taggedLogger(this.call, this.handle));
  }

  listSessionsForUserId(userId: string): Promise<SessionSummary[]> {
    return this.services.manager.listForUser(this.shop, userId);
  }
}

export class ServiceCallContext extends BaseCallContext implements ServiceContext {
  readonly hasSession = false as const;

  constructor(services: RpcServices, call: CallState) {
    super(services, call, () => null);
  }
}

/** The RpcContext of one call, over its resolved session state. */
export class SessionCallContext extends BaseCallContext implements RpcContext {
  readonly hasSession = true as const;
  private carts: CartAccess | undefined;
  private wishlists: WishlistAccess | undefined;
  private providerPart: SessionProviderPart | undefined;

  constructor(
    services: RpcServices,
    call: CallState,
    private readonly state: SessionState,
  ) {
    super(services, call, () => state.handle);
  }

  get sessionId(): string | null {
    return this.state.id;
  }
  get sessionHandle(): string | null {
    return this.state.handle;
  }
  get isNew(): boolean {
    return this.state.isNew;
  }
  get user(): SessionUser | null {
    return this.state.user;
  }
  get customData(): SessionCustomData {
    return this.state.customData;
  }

  /** Throws CART_AT_PROVIDER on a shop whose cart lives at its provider (`cart.owner: provider`). */
  get cart(): CartAccess {
    if (this.shop.cart.owner === 'provider') {
      throw new SessionError(
        ErrorCodes.cartAtProvider,
        `shop ${this.shopId} keeps its cart at the commerce provider: use ${Patterns.providerCartGet} / ${Patterns.providerCartSet}`,
      );
    }
    return (this.carts ??= new CartAccess(this.services.baskets, this.shop, (w) => this.basketOwner(w), this.basketTtlMs()));
  }

  get wishlist(): WishlistAccess {
    return (this.wishlists ??= new WishlistAccess(this.services.baskets, this.shop, (w) => this.basketOwner(w), this.basketTtlMs()));
  }

  get provider(): SessionProviderPart {
    return (this.providerPart ??= new SessionProviderPart(this.services, this.shop, this.state, this.receivedAt, this.caller.subject));
  }

  updateUser(user: SessionUser): Promise<void> {
    return this.services.manager.updateUser(this.state, user);
  }
  updateCustomData(data: SessionCustomData): Promise<void> {
    return this.services.manager.updateCustomData(this.state, data);
  }
  login(user: SessionUser): Promise<LoginMergeReport> {
    return this.services.manager.login(this.state, user, this.receivedAt);
  }

  requireRecentLogin(maxAgeSeconds: number): void {
    this.services.security.requireRecentLogin(this.call, this.state, maxAgeSeconds);
  }

  /** Credentials go through the login throttle, like a login's. */
  async reauthenticate(proof: ReauthProof, options: { clientKey?: string } = {}): Promise<ReauthenticateResult> {
    const { manager, providers, security } = this.services;
    const check: ProviderCheck = (login) =>
      'credentials' in proof
        ? security.throttle.guard(
            { shop: this.shop, email: proof.credentials.email, clientKey: options.clientKey, actor: this.caller.subject },
            login,
          )
        : login();
    const authMethod = await reauthenticate({ manager, providers, check }, this.shop, this.state, proof);
    return { authenticatedAt: new Date(this.state.stored!.authenticatedAt!).toISOString(), authMethod };
  }

  /**
   * Logs out at the provider too (best effort): the session is destroyed whatever it answers.
   * A cart the provider hands back (BigCommerce without persistent carts) stays with the
   * shopper in a new guest session, on shops whose cart lives at the provider.
   */
  async destroySession(): Promise<void> {
    const { manager, providers } = this.services;
    const sealed = this.state.stored?.providerSession;
    const handedBack = sealed ? await providers.logout(this.shop, providers.open(sealed)) : null;
    await manager.destroy(this.state);
    if (handedBack && this.shop.cart.owner === 'provider') {
      await manager.restartAsGuest(this.state, { providerSession: providers.seal(new ProviderSession({ cartId: handedBack })) });
    }
  }

  /** Every force-logout is audited under the caller's token subject. */
  async destroySessionsForUserId(userId: string, sessionsToKeep: string[] = []): Promise<number> {
    // The session's actor (the caller's token subject, set by the dispatcher) names who asked in the session event.
    const destroyed = await this.services.manager.destroyForUser(this.shop, userId, sessionsToKeep, this.state);
    await this.services.audit.record(this.caller.subject, this.call.pattern, this.shopId, userId, destroyed);
    return destroyed;
  }

  private basketOwner(forWrite: boolean) {
    return this.services.manager.basketOwner(this.state, forWrite);
  }

  /** A customer's basket outlives sessions; a guest's cannot outlive its session's absolute timeout. */
  private basketTtlMs(): number {
    return this.state.userId ? this.shop.cart.customerTtlMs : this.shop.absoluteTimeoutMs;
  }
}

/**
 * Tags each line with the method, the shop and the session handle (never the raw ID), and
 * with the call's log fields (call id, caller) for JSON logs.
 */
function taggedLogger(call: CallState, handleOf: () => string | null): RpcLog {
  const logger = new Logger(`rpc ${call.pattern} shop=${call.shop.shopId}`);
  const tag = (msg: string) => {
    const handle = handleOf();
    return handle ? `${msg} [session ${handle.slice(0, 12)}]` : msg;
  };
  const write = (level: 'log' | 'warn' | 'error' | 'debug') => (msg: string) =>
    logWithin(callLogFields(call), () => logger[level](tag(msg)));
  return { log: write('log'), warn: write('warn'), error: write('error'), debug: write('debug') };
}
