/** Message patterns of contract v1. Names are public API: add freely, never rename. */
export const Patterns = {
  sessionResolve: 'session.resolve',
  sessionLogin: 'session.login',
  sessionLogout: 'session.logout',
  sessionUpdateUser: 'session.updateUser',
  sessionUpdateCustomData: 'session.updateCustomData',
  sessionDestroy: 'session.destroy',
  sessionDestroyForUser: 'session.destroyForUser',
  sessionProviderToken: 'session.providerToken',
  ssoCustomerLoginUrl: 'sso.customerLoginUrl',
  checkoutRedirectUrls: 'checkout.redirectUrls',
  adminSessionsList: 'admin.sessions.list',
  adminSessionsGet: 'admin.sessions.get',
  adminSessionsRevoke: 'admin.sessions.revoke',
  adminAuditTail: 'admin.audit.tail',
  accountLogoutOtherDevices: 'account.logoutOtherDevices',
  cartGet: 'cart.get',
  cartAddItem: 'cart.addItem',
  cartSetQuantity: 'cart.setQuantity',
  cartRemoveItem: 'cart.removeItem',
  cartClear: 'cart.clear',
  wishlistGet: 'wishlist.get',
  wishlistAdd: 'wishlist.add',
  wishlistRemove: 'wishlist.remove',
  wishlistClear: 'wishlist.clear',
} as const;

export type Pattern = (typeof Patterns)[keyof typeof Patterns];
