/** Every request: the service token, the shop, the raw session cookie value and the method's input. */
export interface RpcRequest<TData = Record<string, unknown>> {
  auth: string;
  shopId: string;
  /** Raw cookie value as the browser sent it (`s:<id>.<sig>`, URL-encoded or not). */
  session?: string | null;
  data?: TData;
}

export type SameSite = 'lax' | 'strict' | 'none';

/** Everything a caller needs to emit a Set-Cookie itself, with any HTTP framework. */
export interface CookieView {
  name: string;
  value: string;
  /** Seconds; 0 clears the cookie. */
  maxAge: number;
  httpOnly: true;
  secure: boolean;
  sameSite: SameSite;
  path: string;
  domain: string | null;
}

export interface SessionView {
  /** Raw session ID; null once the session was destroyed in this call. */
  id: string | null;
  userId: string | null;
  isNew: boolean;
  /** When the session ends if left idle (capped by the absolute timeout). */
  expiresAt: string;
  /** A ready Set-Cookie header value, or null when the caller must not send one. */
  setCookie: string | null;
  cookie: CookieView | null;
  /** Logged-in sessions: when the user last proved who they are (login or session.reauthenticate), if recorded. */
  authenticatedAt?: string;
  /** How: `credentials` (the shop's provider), `sso` (a Customer Login JWT) or `trusted` (the caller verified the shopper). */
  authMethod?: AuthMethod;
}

export type AuthMethod = 'credentials' | 'sso' | 'trusted';

/** Every successful response. `session` is null for methods that run without a session (admin methods). */
export interface RpcResponse<TResult> {
  data: TResult;
  session: SessionView | null;
}
