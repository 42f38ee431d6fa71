/**
 * What a provider login did with the shopper's cart, read the way Catalyst reads it:
 * - `restored`: no guest cart, and the customer's saved cart came back;
 * - `adopted`: the guest cart became the customer's (same id);
 * - `combined`: the guest cart was merged into another customer cart (a different id);
 * - `none`: the customer has no cart after login.
 */
export type LoginCartOutcome = 'none' | 'restored' | 'adopted' | 'combined';

export function loginCartOutcome(guestCartId: string | null, customerCartId: string | null): LoginCartOutcome {
  if (customerCartId === null) return 'none';
  if (guestCartId === null) return 'restored';
  return customerCartId === guestCartId ? 'adopted' : 'combined';
}
