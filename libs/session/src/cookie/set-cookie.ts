import type { CookieView, SameSite } from '#libs/contracts';

export interface CookieSettings {
  name: string;
  maxAgeSeconds: number;
  secure: boolean;
  sameSite: SameSite;
  path: string;
  domain: string | null;
}

export function cookieView(settings: CookieSettings, value: string, maxAge: number): CookieView {
  return {
    name: settings.name,
    value,
    maxAge,
    httpOnly: true,
    secure: settings.secure,
    sameSite: settings.sameSite,
    path: settings.path,
    domain: settings.domain,
  };
}

/** Serialises a cookie as a Set-Cookie header value (value URL-encoded, as express does). */
export function serializeSetCookie(cookie: CookieView, now: number): string {
  const parts = [`${cookie.name}=${encodeURIComponent(cookie.value)}`, `Path=${cookie.path}`];
  if (cookie.domain) parts.push(`Domain=${cookie.domain}`);
  parts.push(`Max-Age=${cookie.maxAge}`);
  parts.push(`Expires=${new Date(cookie.maxAge === 0 ? 0 : now + cookie.maxAge * 1000).toUTCString()}`);
  parts.push('HttpOnly');
  if (cookie.secure) parts.push('Secure');
  parts.push(`SameSite=${cookie.sameSite[0]!.toUpperCase()}${cookie.sameSite.slice(1)}`);
  return parts.join('; ');
}
