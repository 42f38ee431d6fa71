import type { SessionCustomData, SessionUser } from '#libs/contracts';
import type { ShopSettings } from '../config/service-config.js';
import type { StoredSession } from '../store/session-repository.js';

/** What the response must tell the caller about the cookie. */
export type CookieAction = 'none' | 'set' | 'clear';

/** One message's view of its session; the manager mutates it as the handler acts. */
export interface SessionState {
  shop: ShopSettings;
  /** null once destroyed in this call. */
  id: string | null;
  handle: string | null;
  userId: string | null;
  isNew: boolean;
  /** What the store holds; null while a guest session holds nothing. */
  stored: StoredSession | null;
  user: SessionUser | null;
  customData: SessionCustomData;
  expiresAt: number;
  cookie: CookieAction;
  /** Who is calling (the service token's subject): the actor of the session events this call causes. */
  actor?: string;
}
