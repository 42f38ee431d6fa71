import { randomUUID } from 'node:crypto';
import type { Cart } from './cart-model.js';

export interface CtCustomer {
  id: string;
  version: number;
  email: string;
  firstName?: string;
  lastName?: string;
  createdAt: string;
  lastModifiedAt: string;
  isEmailVerified: boolean;
  addresses: unknown[];
  /** Store keys the customer belongs to; empty for a global customer. */
  stores: Array<{ typeId: 'store'; key: string }>;
  authenticationMode: 'Password';
}

export interface ShippingMethod {
  id: string;
  active: boolean;
  /** Stores the method is scoped to; empty means any store. */
  storeKeys: string[];
}

export interface CustomerSeed {
  id?: string;
  email: string;
  password: string;
  firstName?: string;
  lastName?: string;
  stores?: string[];
}

/** In-memory project data shared by the auth and API hosts. */
export class CommercetoolsState {
  readonly customers = new Map<string, CtCustomer>();
  readonly carts = new Map<string, Cart>();
  readonly shippingMethods = new Map<string, ShippingMethod>();
  /** anonymousIds that already have a token or a cart (AnonymousIdAlreadyInUse, B2). */
  readonly usedAnonymousIds = new Set<string>();
  private readonly passwords = new Map<string, string>();
  /** Modification order; "most recently modified" must not depend on clock resolution. */
  private readonly modificationSeq = new Map<string, number>();
  private seq = 0;

  constructor(private readonly now: () => number) {}

  nowIso(): string {
    return new Date(this.now()).toISOString();
  }

  addCustomer(seed: CustomerSeed): CtCustomer {
    const now = this.nowIso();
    const customer: CtCustomer = {
      id: seed.id ?? randomUUID(),
      version: 1,
      email: seed.email,
      ...(seed.firstName ? { firstName: seed.firstName } : {}),
      ...(seed.lastName ? { lastName: seed.lastName } : {}),
      createdAt: now,
      lastModifiedAt: now,
      isEmailVerified: false,
      addresses: [],
      stores: (seed.stores ?? []).map((key) => ({ typeId: 'store', key })),
      authenticationMode: 'Password',
    };
    if (this.customers.has(customer.id)) throw new Error(`customer ${customer.id} already exists`);
    this.customers.set(customer.id, customer);
    this.passwords.set(customer.id, seed.password);
    return customer;
  }

  /** Email is case-insensitive (B2). */
  findCustomerByCredentials(email: string, password: string): CtCustomer | undefined {
    const wanted = email.toLowerCase();
    const customer = [...this.customers.values()].find((c) => c.email.toLowerCase() === wanted);
    return customer && this.passwords.get(customer.id) === password ? customer : undefined;
  }

  /** Stores a cart; `modified` moves it to the front of the "most recently modified" order. */
  saveCart(cart: Cart, modified = true): void {
    this.carts.set(cart.id, cart);
    if (modified || !this.modificationSeq.has(cart.id)) this.modificationSeq.set(cart.id, ++this.seq);
    if (cart.anonymousId) this.usedAnonymousIds.add(cart.anonymousId);
  }

  touch(cart: Cart): void {
    cart.version += 1;
    cart.lastModifiedAt = this.nowIso();
    this.saveCart(cart);
  }

  private mostRecent(filter: (cart: Cart) => boolean): Cart | undefined {
    return [...this.carts.values()]
      .filter(filter)
      .sort((a, b) => (this.modificationSeq.get(b.id) ?? 0) - (this.modificationSeq.get(a.id) ?? 0))[0];
  }

  /** Active cart lookup ignores Merchant and Quote origin carts (C3). */
  activeCartOfCustomer(customerId: string, excludeCartId?: string): Cart | undefined {
    return this.mostRecent(
      (c) => c.customerId === customerId && c.cartState === 'Active' && c.origin === 'Customer' && c.id !== excludeCartId,
    );
  }

  activeAnonymousCart(anonymousId: string): Cart | undefined {
    return this.mostRecent((c) => c.anonymousId === anonymousId && !c.customerId && c.cartState === 'Active' && c.origin === 'Customer');
  }

  /** B2: not merged if the shipping method is inactive or scoped to a store the cart is not in. */
  shippingEligibleForMerge(cart: Cart): boolean {
    const methodId = cart.shippingInfo?.shippingMethod.id;
    const method = methodId ? this.shippingMethods.get(methodId) : undefined;
    if (!method) return true;
    if (!method.active) return false;
    if (method.storeKeys.length === 0) return true;
    return cart.store !== undefined && method.storeKeys.includes(cart.store.key);
  }
}
