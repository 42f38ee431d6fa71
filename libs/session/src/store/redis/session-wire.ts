import type { AuthMethod } from '#libs/contracts';
import type { StoredSession } from '../session-repository.js';
import { decodeSessionValue } from './session-value.js';

/**
 * The stored session's fields, all instants on Redis's clock; `u` and `d` stay JSON text. Stored
 * as session-value.ts encodes them: a new optional field is one more letter here (a number or a
 * text) and in toWire/fromWire; the encoding and the scripts carry it as it is.
 */
export interface Wire {
  c: number;
  x: number;
  a?: number;
  /** How the user authenticated (StoredSession.authMethod). */
  m?: AuthMethod;
  u?: string;
  d?: string;
  b?: 1;
  p?: string;
  /** The session's handle, in a user's primary session only (session-keys.ts). */
  h?: string;
}

export function parseWire(value: string): Wire {
  return decodeSessionValue(value) as unknown as Wire;
}

/** `offset`: Redis's clock minus the caller's; the caller's instants are translated to Redis's. */
export function toWire(s: StoredSession, offset: number): Wire {
  const w: Wire = { c: s.createdAt + offset, x: s.absoluteExpiresAt + offset };
  if (s.authenticatedAt !== undefined) w.a = s.authenticatedAt + offset;
  if (s.authMethod !== undefined) w.m = s.authMethod;
  if (s.user !== undefined) w.u = s.user;
  if (s.customData !== undefined) w.d = s.customData;
  if (s.hasBasket) w.b = 1;
  if (s.providerSession !== undefined) w.p = s.providerSession;
  return w;
}

export function fromWire(w: Wire, offset: number): StoredSession {
  const s: StoredSession = { createdAt: w.c - offset, absoluteExpiresAt: w.x - offset };
  if (w.a !== undefined) s.authenticatedAt = w.a - offset;
  if (w.m !== undefined) s.authMethod = w.m;
  if (w.u !== undefined) s.user = w.u;
  if (w.d !== undefined) s.customData = w.d;
  if (w.b) s.hasBasket = true;
  if (w.p !== undefined) s.providerSession = w.p;
  return s;
}
