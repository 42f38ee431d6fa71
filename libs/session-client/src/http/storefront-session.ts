import type {
  CartAddItemInput,
  CartLineInput,
  CartResult,
  CartSetQuantityInput,
  DestroyResult,
  LoginInput,
  LoginResult,
  ReauthenticateInput,
  ReauthenticateResult,
  RpcResponse,
  SessionCustomData,
  SessionUser,
  SessionView,
  WishlistItemInput,
  WishlistResult,
} from '#libs/contracts';
import type { SessionClient } from '../session-client.js';

export interface StorefrontCart {
  get(): Promise<CartResult>;
  add(input: CartAddItemInput): Promise<CartResult>;
  /** 0 removes the line. */
  setQuantity(input: CartSetQuantityInput): Promise<CartResult>;
  remove(input: CartLineInput): Promise<CartResult>;
  clear(): Promise<CartResult>;
}

export interface StorefrontWishlist {
  get(): Promise<WishlistResult>;
  add(input: WishlistItemInput): Promise<WishlistResult>;
  remove(input: WishlistItemInput): Promise<WishlistResult>;
  clear(): Promise<WishlistResult>;
}

const EMPTY_CART: CartResult = Object.freeze({ lines: [] }) as CartResult;
const EMPTY_WISHLIST: WishlistResult = Object.freeze({ items: [] }) as WishlistResult;

/**
 * The shopper's session for one HTTP request, as the adapter puts it on the request.
 *
 * Every helper sends the cookie as it stands after the previous call of this request (so a
 * cart change after `login()` lands in the new session), and keeps the last Set-Cookie the
 * service asked for; the adapter writes that one right before the response's headers go out.
 * Helpers reject with the client's `SessionServiceError`.
 *
 * When the service could not be reached and the adapter served the request as a guest
 * (`available` false), `cart.get()` and `wishlist.get()` answer empty without a call; the
 * other helpers still try the service.
 */
export class StorefrontSession {
  private cookieValue: string | null;
  private pending: string | null = null;
  private currentUser: SessionUser | null = null;
  private currentCustomData: SessionCustomData = {};
  private currentId: string | null = null;
  private cartHelpers?: StorefrontCart;
  private wishlistHelpers?: StorefrontWishlist;

  constructor(
    private readonly client: SessionClient,
    readonly shopId: string,
    incomingCookie: string | null,
    /** False when the service was unreachable (or its store was) and this request runs as an anonymous guest. */
    readonly available: boolean,
  ) {
    this.cookieValue = incomingCookie;
  }

  get user(): SessionUser | null {
    return this.currentUser;
  }

  get isLoggedIn(): boolean {
    return this.currentUser !== null;
  }

  get customData(): SessionCustomData {
    return this.currentCustomData;
  }

  /** The raw session ID (never log it); null before a resolve, after logout, or when unavailable. */
  get sessionId(): string | null {
    return this.currentId;
  }

  /** The cookie value the next call sends: the incoming one, or what the service set since. */
  get cookie(): string | null {
    return this.cookieValue;
  }

  /** The Set-Cookie header value that will go out with the response, if any. */
  get pendingSetCookie(): string | null {
    return this.pending;
  }

  /** Takes the pending Set-Cookie (the adapter calls this when the headers go out). */
  takeSetCookie(): string | null {
    const value = this.pending;
    this.pending = null;
    return value;
  }

  get cart(): StorefrontCart {
    return (this.cartHelpers ??= {
      get: () => (this.available ? this.run(this.client.cart(this.shopId, this.cookieValue)) : Promise.resolve(EMPTY_CART)),
      add: (input) => this.run(this.client.addCartItem(this.shopId, this.cookieValue, input)),
      setQuantity: (input) => this.run(this.client.setCartQuantity(this.shopId, this.cookieValue, input)),
      remove: (input) => this.run(this.client.removeCartItem(this.shopId, this.cookieValue, input)),
      clear: () => this.run(this.client.clearCart(this.shopId, this.cookieValue)),
    });
  }

  get wishlist(): StorefrontWishlist {
    return (this.wishlistHelpers ??= {
      get: () => (this.available ? this.run(this.client.wishlist(this.shopId, this.cookieValue)) : Promise.resolve(EMPTY_WISHLIST)),
      add: (input) => this.run(this.client.addWishlistItem(this.shopId, this.cookieValue, input)),
      remove: (input) => this.run(this.client.removeWishlistItem(this.shopId, this.cookieValue, input)),
      clear: () => this.run(this.client.clearWishlist(this.shopId, this.cookieValue)),
    });
  }

  /** Logs in (trusted `{ user }`, provider `{ credentials }` or `{ customerLoginJwt }`); the cookie rotates. */
  async login(input: LoginInput): Promise<LoginResult> {
    const result = await this.run(this.client.login(this.shopId, this.cookieValue, input));
    this.currentUser = result.user;
    return result;
  }

  /** The logged-in shopper proves who they are again (after REAUTH_REQUIRED); the cookie rotates, nothing else changes. */
  reauthenticate(input: ReauthenticateInput): Promise<ReauthenticateResult> {
    return this.run(this.client.reauthenticate(this.shopId, this.cookieValue, input));
  }

  /** Logs out: the cookie is cleared, and the next call of this request starts a new guest. */
  async logout(): Promise<void> {
    await this.run(this.client.logout(this.shopId, this.cookieValue));
    this.currentUser = null;
    this.currentCustomData = {};
  }

  /** Ends every other session of the logged-in user in this shop (`NOT_LOGGED_IN` for a guest). */
  logoutOtherDevices(): Promise<DestroyResult> {
    return this.run(this.client.logoutOtherDevices(this.shopId, this.cookieValue));
  }

  /** Any pattern with this request's session, including a team's own methods. */
  call<T>(pattern: string, data: object = {}): Promise<T> {
    return this.run(this.client.call<T>(pattern, this.shopId, this.cookieValue, data));
  }

  /** Takes in a resolve's answer: the user, the custom data and any Set-Cookie. */
  adopt(response: RpcResponse<{ user: SessionUser | null; customData: SessionCustomData }>): void {
    this.currentUser = response.data.user;
    this.currentCustomData = response.data.customData;
    this.follow(response.session);
  }

  private async run<T>(call: Promise<RpcResponse<T>>): Promise<T> {
    const response = await call;
    this.follow(response.session);
    return response.data;
  }

  /** Keeps the service's latest cookie: it is what the next call must send and what the browser must get. */
  private follow(session: SessionView | null): void {
    if (!session) return;
    this.currentId = session.id;
    if (session.userId === null) this.currentUser = null;
    if (session.cookie) this.cookieValue = session.cookie.maxAge === 0 ? null : session.cookie.value;
    if (session.setCookie) this.pending = session.setCookie;
  }
}
