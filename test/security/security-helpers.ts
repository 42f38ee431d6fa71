import type { createClient } from 'redis';
import { decodeSessionValue, encodeSessionValue, sessionHandle } from '#libs/session';
import type { BigCommerceEmulator } from '../emulators/bigcommerce/index.js';
import type { CommercetoolsEmulator } from '../emulators/commercetools/index.js';

/** Credential logins that reached each emulator (password token or me/login; the GraphQL `login`). */
export const providerLogins = {
  ct: (ct: CommercetoolsEmulator) => ct.requests.filter((r) => r.path.endsWith('/customers/token') || r.path.endsWith('/me/login')).length,
  bc: (bc: BigCommerceEmulator) => bc.requests.filter((r) => r.rootFields?.includes('login')).length,
};

/** The shops `ct` and `bc` on the two emulators: how to add a customer (password pw-ok) and count provider logins. */
export function emulatorShops(ct: CommercetoolsEmulator, bc: BigCommerceEmulator) {
  return [
    { shopId: 'ct', add: (email: string) => ct.addCustomer({ email, password: 'pw-ok' }).id, logins: () => providerLogins.ct(ct) },
    {
      shopId: 'bc',
      add: (email: string) => String(bc.addCustomer({ email, password: 'pw-ok' }).entityId),
      logins: () => providerLogins.bc(bc),
    },
  ];
}

/**
 * Moves a stored session's `authenticatedAt` back by `ms`, as if the login happened that
 * long ago (the store decides time on Redis's clock, so the service's wall clock cannot do it).
 */
export async function ageLogin(inspect: ReturnType<typeof createClient>, shopId: string, sessionId: string, ms: number): Promise<void> {
  const userId = sessionId.slice(0, sessionId.lastIndexOf(':'));
  const handle = sessionHandle(sessionId);
  // The user's primary session key when its value names this handle, else the session's own key.
  const primary = `ss:s:{${shopId}|u:${userId}}`;
  const held = await inspect.get(primary);
  const key = held !== null && decodeSessionValue(held).h === handle ? primary : `${primary}:${handle}`;
  const value = key === primary ? held : await inspect.get(key);
  if (value === null) throw new Error(`no stored session at ${key}`);
  const fields = decodeSessionValue(value);
  fields.a = Number(fields.a) - ms;
  await inspect.set(key, encodeSessionValue(fields), { KEEPTTL: true });
}
