import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * express-session / cookie-signature format: `s:<value>.<base64 HMAC-SHA256(secret, value)>`
 * with the base64 padding stripped. The last secret signs; every secret verifies.
 */
export class CookieSigner {
  private readonly signing: string;

  constructor(private readonly secrets: readonly string[]) {
    if (secrets.length === 0) throw new Error('CookieSigner needs at least one secret');
    this.signing = secrets[secrets.length - 1]!;
  }

  sign(value: string): string {
    return `s:${value}.${mac(this.signing, value)}`;
  }

  /** Returns the signed value, or null for anything unsigned, malformed or signed with an unknown secret. */
  unsign(cookie: string): string | null {
    const raw = cookie.startsWith('s%3A') || cookie.startsWith('s%3a') ? safeDecode(cookie) : cookie;
    if (raw === null || !raw.startsWith('s:')) return null;
    const dot = raw.lastIndexOf('.');
    if (dot < 2) return null;
    const value = raw.slice(2, dot);
    const given = Buffer.from(raw.slice(dot + 1));
    for (const secret of this.secrets) {
      const expected = Buffer.from(mac(secret, value));
      if (expected.length === given.length && timingSafeEqual(expected, given)) return value;
    }
    return null;
  }
}

/** An HMAC-SHA256 is 32 bytes: 44 base64 characters, the last one the `=` padding that is stripped. */
const MAC_CHARS = 43;

function mac(secret: string, value: string): string {
  return createHmac('sha256', secret).update(value).digest('base64').slice(0, MAC_CHARS);
}

function safeDecode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}
