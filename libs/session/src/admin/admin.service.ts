import { Inject, Injectable } from '@nestjs/common';
import type { AdminRevokeResult, AdminSessionDetails, AdminStatsResult } from '#libs/contracts';
import { SERVICE_CONFIG, type ServiceConfig, type ShopSettings } from '../config/service-config.js';
import { SessionManager } from '../core/session-manager.js';
import { parseSessionId, sessionHandle, toHandle } from '../id/session-id.js';
import { SESSION_REPOSITORY, type SessionKey, type SessionRepository } from '../store/session-repository.js';
import { AuditService } from './audit.service.js';

/** Operator use cases; every one is audited by the caller. */
@Injectable()
export class AdminService {
  constructor(
    @Inject(SESSION_REPOSITORY) private readonly repo: SessionRepository,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly manager: SessionManager,
    readonly audit: AuditService,
  ) {}

  /**
   * Metadata of one session, without touching it. `sessionId` is a raw ID, or a handle; a
   * user-bound session's handle needs `userId`, because its key lives in the user's slot.
   */
  async getSession(shop: ShopSettings, sessionId: string, userId?: string): Promise<AdminSessionDetails | null> {
    const parsed = parseSessionId(sessionId);
    const key: SessionKey = parsed
      ? { shopId: shop.shopId, handle: sessionHandle(parsed.id), userId: parsed.userId }
      : { shopId: shop.shopId, handle: toHandle(sessionId), userId: userId ?? null };
    const found = await this.repo.peek(key);
    if (!found) return null;
    return {
      id: key.handle,
      shopId: shop.shopId,
      userId: key.userId,
      createdAt: new Date(found.session.createdAt).toISOString(),
      expiresAt: new Date(found.expiresAt).toISOString(),
      absoluteExpiresAt: new Date(found.session.absoluteExpiresAt).toISOString(),
      hasCustomData: found.session.customData !== undefined,
    };
  }

  /** Force-logout of a user in one shop, or in every configured shop. */
  async revoke(actor: string, action: string, shops: ShopSettings[], userId: string, keep: string[]): Promise<AdminRevokeResult> {
    const byShop: Record<string, number> = {};
    for (const shop of shops) {
      byShop[shop.shopId] = await this.manager.destroyForUser(shop, userId, keep, { actor });
      await this.audit.record(actor, action, shop.shopId, userId, byShop[shop.shopId]!);
    }
    return { destroyed: Object.values(byShop).reduce((a, b) => a + b, 0), byShop };
  }

  /** Live sessions in every configured shop, from the store's count sets: O(shops), no scan. */
  async stats(now = this.config.wallClock()): Promise<AdminStatsResult> {
    const shopIds = [...this.config.shops.keys()];
    const counts = await this.repo.stats(shopIds, now);
    return {
      at: new Date(now).toISOString(),
      shops: shopIds.map((shopId) => {
        const { loggedIn, guests } = counts.get(shopId) ?? { loggedIn: 0, guests: 0 };
        return { shopId, liveSessions: loggedIn + guests, loggedInSessions: loggedIn, guestsWithData: guests };
      }),
    };
  }

  allShops(): ShopSettings[] {
    return [...this.config.shops.values()];
  }
}
