import type { SessionClient } from '#libs/session-client';

export interface DemoShop {
  id: string;
  name: string;
  /** Shows the email + password form: the shop logs in through its commerce provider (commercetools). */
  passwordLogin?: boolean;
}

/** Demo customers signed in by a trusted login: the storefront vouches for them itself. */
export interface DemoCustomer {
  id: string;
  name: string;
  email: string;
}

export interface DemoOptions {
  /** Serves the pages: token scopes session:read session:write. */
  client: SessionClient;
  /**
   * Lists the signed-in customer's sessions on the account page. The contract lists sessions
   * only for session:admin (admin.sessions.list), so this client's token carries it; the demo
   * asks only for the user of the request's own resolved session.
   */
  accountClient: SessionClient;
  shops: readonly DemoShop[];
  customers?: readonly DemoCustomer[];
  /** Pass `guest` (default) or `fail` to the adapter. */
  whenUnavailable?: 'guest' | 'fail';
}

export const DEMO_CUSTOMERS: readonly DemoCustomer[] = [
  { id: 'demo-ada', name: 'Ada Lovelace', email: 'ada@example.com' },
  { id: 'demo-grace', name: 'Grace Hopper', email: 'grace@example.com' },
  { id: 'demo-alan', name: 'Alan Turing', email: 'alan@example.com' },
  { id: 'demo-margaret', name: 'Margaret Hamilton', email: 'margaret@example.com' },
];
