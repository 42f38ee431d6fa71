import { Logger } from '@nestjs/common';
import type { SessionCustomData, SessionUser } from '#libs/contracts';
import { ErrorCodes } from '#libs/contracts';
import { SessionError } from '../core/session-error.js';
import type { SessionManager } from '../core/session-manager.js';
import type { SessionState } from '../core/session-state.js';
import type { MessageState } from './message-state.js';
import type { RpcContext } from './rpc-context.js';

/** Builds the RpcContext of one message over its session state (null for session-less methods). */
export function createRpcContext(manager: SessionManager, message: MessageState, state: SessionState | null): RpcContext {
  const shop = message.shop;
  const session = (): SessionState => {
    if (!state) throw new SessionError(ErrorCodes.internal, `${message.pattern} was registered with session: false`);
    return state;
  };
  const logger = new Logger(`rpc ${message.pattern} shop=${shop.shopId}`);
  const tag = (msg: string) => (state?.handle ? `${msg} [session ${state.handle.slice(0, 12)}]` : msg);

  return {
    shopId: shop.shopId,
    shop,
    get sessionId() {
      return state?.id ?? null;
    },
    get sessionHandle() {
      return state?.handle ?? null;
    },
    get isNew() {
      return state?.isNew ?? false;
    },
    get user() {
      return state?.user ?? null;
    },
    get customData() {
      return state?.customData ?? {};
    },
    caller: message.caller,
    receivedAt: message.receivedAt,
    log: {
      log: (msg: string) => logger.log(tag(msg)),
      warn: (msg: string) => logger.warn(tag(msg)),
      error: (msg: string) => logger.error(tag(msg)),
      debug: (msg: string) => logger.debug(tag(msg)),
    },
    updateUser: (user: SessionUser) => manager.updateUser(session(), user),
    updateCustomData: (data: SessionCustomData) => manager.updateCustomData(session(), data),
    destroySession: () => manager.destroy(session()),
    destroySessionsForUserId: (userId: string, keep: string[] = []) => manager.destroyForUser(shop, userId, keep, state),
    createUserBoundSession: (user?: SessionUser) => {
      const s = session();
      const target = user ?? s.user;
      if (!target) throw new SessionError(ErrorCodes.notLoggedIn, 'createUserBoundSession needs a user');
      return manager.login(s, target, message.receivedAt);
    },
    login: (user: SessionUser) => manager.login(session(), user, message.receivedAt),
    listSessionsForUserId: (userId: string) => manager.listForUser(shop, userId),
  };
}
