import { createHmac } from 'node:crypto';
import { CookieSigner } from './cookie-signature.js';

// Reference signature computed independently, as express-session's cookie-signature does.
const expressSign = (value: string, secret: string) =>
  `s:${value}.${createHmac('sha256', secret).update(value).digest('base64').replace(/=+$/, '')}`;

describe('CookieSigner', () => {
  const id = '7b0c1c8e-4a53-4b7e-9d2a-0f6c1d2e3f40';

  it('produces express-session compatible values', () => {
    expect(new CookieSigner(['s3cret']).sign(id)).toBe(expressSign(id, 's3cret'));
  });

  it('signs with the last secret and verifies with all of them', () => {
    const rotated = new CookieSigner(['old', 'new']);
    expect(rotated.sign(id)).toBe(expressSign(id, 'new'));
    expect(rotated.unsign(expressSign(id, 'old'))).toBe(id);
    expect(rotated.unsign(expressSign(id, 'new'))).toBe(id);
    expect(new CookieSigner(['new']).unsign(expressSign(id, 'old'))).toBeNull();
  });

  it('accepts the URL-encoded form a browser sends', () => {
    const signer = new CookieSigner(['k']);
    expect(signer.unsign(encodeURIComponent(signer.sign(`42:${id}`)))).toBe(`42:${id}`);
  });

  it.each([
    ['unsigned', id],
    ['empty', ''],
    ['tampered value', expressSign(id, 'k').replace('7b0c', '7b0d')],
    ['truncated signature', expressSign(id, 'k').slice(0, -2)],
    ['bad percent-encoding', 's%3A%E0%A4%A'],
    ['no separator', 's:abc'],
  ])('rejects a %s cookie', (_, cookie) => {
    expect(new CookieSigner(['k']).unsign(cookie)).toBeNull();
  });
});
