import { randomBytes, randomUUID } from 'node:crypto';

export interface BcCustomer {
  entityId: number;
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  /** The account must reset its password before it can log in (A1, `Reset password"` message). */
  passwordResetRequired: boolean;
}

export interface BcLineItem {
  entityId: string;
  productEntityId: number;
  variantEntityId: number | null;
  quantity: number;
  name: string;
}

export interface BcCart {
  entityId: string;
  /** Owner; null for a guest cart. */
  customerEntityId: number | null;
  currencyCode: string;
  lineItems: BcLineItem[];
  createdAt: number;
  updatedAt: number;
  /** Monotonic modification counter; breaks ties between equal timestamps. */
  seq: number;
}

export interface BcCustomerAccessToken {
  value: string;
  customerEntityId: number;
  expiresAt: number;
  revoked: boolean;
}

export interface BcCheckoutRedirect {
  token: string;
  cartEntityId: string;
  /** Set when the URL was created with a customer access token (session-sync link, A4). */
  customerEntityId: number | null;
  embedded: boolean;
  issuedAt: number;
  used: boolean;
}

export interface LineItemDraft {
  productEntityId: number;
  variantEntityId?: number | null;
  quantity: number;
  name?: string;
}

/** In-memory store shared by the GraphQL operations and the storefront routes. */
export class BigCommerceState {
  readonly customers = new Map<number, BcCustomer>();
  readonly carts = new Map<string, BcCart>();
  readonly accessTokens = new Map<string, BcCustomerAccessToken>();
  readonly usedJtis = new Set<string>();
  readonly checkoutRedirects = new Map<string, BcCheckoutRedirect>();
  private nextCustomerId = 1;
  private seq = 0;

  constructor(private readonly now: () => number) {}

  addCustomer(input: Partial<BcCustomer> & { email: string; password: string }): BcCustomer {
    const entityId = input.entityId ?? this.nextCustomerId;
    if (this.customers.has(entityId)) throw new Error(`customer ${entityId} already exists`);
    this.nextCustomerId = Math.max(this.nextCustomerId, entityId + 1);
    const customer: BcCustomer = {
      entityId,
      email: input.email,
      password: input.password,
      firstName: input.firstName ?? 'Test',
      lastName: input.lastName ?? `Customer${entityId}`,
      passwordResetRequired: input.passwordResetRequired ?? false,
    };
    this.customers.set(entityId, customer);
    return customer;
  }

  findCustomerByEmail(email: string): BcCustomer | undefined {
    const wanted = email.trim().toLowerCase();
    return [...this.customers.values()].find((c) => c.email.toLowerCase() === wanted);
  }

  createCart(lines: LineItemDraft[], customerEntityId: number | null, currencyCode = 'USD'): BcCart {
    const now = this.now();
    const cart: BcCart = {
      entityId: randomUUID(),
      customerEntityId,
      currencyCode,
      lineItems: [],
      createdAt: now,
      updatedAt: now,
      seq: ++this.seq,
    };
    this.addLines(cart, lines);
    this.carts.set(cart.entityId, cart);
    return cart;
  }

  /** Adding a product+variant that is already in the cart raises its quantity. */
  addLines(cart: BcCart, lines: LineItemDraft[]): void {
    for (const draft of lines) {
      const variantEntityId = draft.variantEntityId ?? null;
      const existing = cart.lineItems.find((l) => l.productEntityId === draft.productEntityId && l.variantEntityId === variantEntityId);
      if (existing) existing.quantity += draft.quantity;
      else {
        cart.lineItems.push({
          entityId: randomUUID(),
          productEntityId: draft.productEntityId,
          variantEntityId,
          quantity: draft.quantity,
          name: draft.name ?? `Product ${draft.productEntityId}`,
        });
      }
    }
    this.touch(cart);
  }

  touch(cart: BcCart): void {
    cart.updatedAt = this.now();
    cart.seq = ++this.seq;
  }

  /** The customer's saved cart: the most recently modified cart they own. */
  customerCart(customerEntityId: number): BcCart | undefined {
    return [...this.carts.values()].filter((c) => c.customerEntityId === customerEntityId).sort((a, b) => b.seq - a.seq)[0];
  }

  issueAccessToken(customerEntityId: number, ttlSeconds: number): BcCustomerAccessToken {
    const token: BcCustomerAccessToken = {
      value: randomBytes(24).toString('hex'),
      customerEntityId,
      expiresAt: this.now() + ttlSeconds * 1000,
      revoked: false,
    };
    this.accessTokens.set(token.value, token);
    return token;
  }

  /** The customer behind a CAT, or undefined when it is unknown, expired or revoked. */
  customerForAccessToken(value: string): BcCustomer | undefined {
    const token = this.accessTokens.get(value);
    if (!token || token.revoked || token.expiresAt <= this.now()) return undefined;
    return this.customers.get(token.customerEntityId);
  }

  consumeJti(jti: string): boolean {
    if (this.usedJtis.has(jti)) return false;
    this.usedJtis.add(jti);
    return true;
  }
}
