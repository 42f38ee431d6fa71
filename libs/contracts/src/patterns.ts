/** Message patterns of contract v1. Names are public API: add freely, never rename. */
export const Patterns = {
  sessionResolve: 'session.resolve',
  sessionLogin: 'session.login',
  sessionLogout: 'session.logout',
  sessionUpdateUser: 'session.updateUser',
  sessionUpdateCustomData: 'session.updateCustomData',
  sessionDestroy: 'session.destroy',
  sessionDestroyForUser: 'session.destroyForUser',
  adminSessionsList: 'admin.sessions.list',
  accountLogoutOtherDevices: 'account.logoutOtherDevices',
} as const;

export type Pattern = (typeof Patterns)[keyof typeof Patterns];
