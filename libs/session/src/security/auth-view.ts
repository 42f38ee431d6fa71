import type { SessionView } from '#libs/contracts';
import type { SessionState } from '../core/session-state.js';
import { isoTime } from '../util/iso-time.js';

/** The session view's `authenticatedAt` and `authMethod`: only for a logged-in session that records them. */
export function authView(state: SessionState): Pick<SessionView, 'authenticatedAt' | 'authMethod'> {
  const stored = state.userId === null ? null : state.stored;
  if (!stored || stored.authenticatedAt === undefined) return {};
  return {
    authenticatedAt: isoTime(stored.authenticatedAt),
    ...(stored.authMethod ? { authMethod: stored.authMethod } : {}),
  };
}
