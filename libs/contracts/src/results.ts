import type { SessionCustomData, SessionUser } from './session-user.js';

export interface ResolveResult {
  user: SessionUser | null;
  customData: SessionCustomData;
}

export interface LoginResult {
  user: SessionUser;
}

export interface DestroyResult {
  destroyed: number;
}

export interface SessionSummary {
  /** Session handle: base64url SHA-256 of the session ID. Raw IDs are never stored. */
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

export interface SessionListResult {
  sessions: SessionSummary[];
}

/** Cart lines: references and quantities only; prices belong to the commerce backend. */
export interface CartLineView {
  productId: string;
  variantId: string;
  quantity: number;
  customData?: Record<string, unknown>;
  /** ISO time the line was first added. */
  addedAt: string;
}

export interface CartResult {
  lines: CartLineView[];
}

export interface WishlistItemView {
  productId: string;
  variantId?: string;
  addedAt: string;
}

export interface WishlistResult {
  items: WishlistItemView[];
}
