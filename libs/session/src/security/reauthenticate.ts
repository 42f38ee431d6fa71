import { ErrorCodes, type AuthMethod } from '#libs/contracts';
import { ProviderSession, type ProviderCredentials } from '#libs/token-providers';
import type { ShopSettings } from '../config/service-config.js';
import { SessionError } from '../core/session-error.js';
import type { SessionManager } from '../core/session-manager.js';
import type { SessionState } from '../core/session-state.js';
import type { ProviderLoginOutcome, ProviderService } from '../providers/provider.service.js';

/** How the shopper proves who they are again. */
export type ReauthProof =
  | { credentials: ProviderCredentials }
  /** BigCommerce SSO. */
  | { customerLoginJwt: string }
  /** The caller verified the shopper itself (a shop without a provider). */
  | { trusted: true };

/** Runs one provider check (throttled by the caller for credentials). */
export type ProviderCheck = (login: () => Promise<ProviderLoginOutcome>) => Promise<ProviderLoginOutcome>;

/**
 * The logged-in shopper proves who they are again: through the provider (which must name
 * the session's own customer; another customer's credentials are refused and their fresh
 * tokens revoked), or on the caller's word. The session's ID rotates and `authenticatedAt`
 * is refreshed; the provider session takes the fresh tokens, keeping the cart and last order
 * it had. No guest state is involved, so nothing merges.
 */
export async function reauthenticate(
  deps: { manager: SessionManager; providers: ProviderService; check: ProviderCheck },
  shop: ShopSettings,
  session: SessionState,
  proof: ReauthProof,
): Promise<AuthMethod> {
  const { manager, providers } = deps;
  if (session.userId === null) throw new SessionError(ErrorCodes.notLoggedIn, 'session.reauthenticate needs a logged-in session');
  if ('trusted' in proof) {
    await manager.reauthenticate(session, { authMethod: 'trusted' });
    return 'trusted';
  }
  const method: AuthMethod = 'credentials' in proof ? 'credentials' : 'sso';
  const outcome = await deps.check(() =>
    'credentials' in proof
      ? providers.login(shop, proof.credentials, new ProviderSession())
      : providers.loginWithCustomerLoginJwt(shop, proof.customerLoginJwt, new ProviderSession()),
  );
  if (outcome.login.customerId !== session.userId) {
    void providers.logout(shop, outcome.session);
    throw new SessionError(
      ErrorCodes.forbidden,
      "the credentials are another customer's: re-authentication never switches users (use session.login)",
    );
  }
  const fresh = outcome.session;
  // An unreadable or missing provider session is an empty one: the fresh login's cart stands.
  const current = providers.openOrEmpty(session.stored?.providerSession);
  fresh.cartId = current.cartId ?? fresh.cartId;
  fresh.lastOrderId = current.lastOrderId;
  await manager.reauthenticate(session, { authMethod: method, providerSession: providers.seal(fresh) });
  return method;
}
