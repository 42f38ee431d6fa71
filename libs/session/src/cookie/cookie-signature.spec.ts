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

  describe('compares the whole signature', () => {
    const signer = new CookieSigner(['k']);
    const good = signer.sign(id);
    const dot = good.lastIndexOf('.');
    const signature = good.slice(dot + 1);
    /** The same signature with the character at `index` swapped for another base64 character. */
    const changedAt = (index: number) => {
      const swapped = signature[index] === 'A' ? 'B' : 'A';
      return `${good.slice(0, dot + 1)}${signature.slice(0, index)}${swapped}${signature.slice(index + 1)}`;
    };

    it('refuses a signature of the right length that differs only in its last character', () => {
      expect(changedAt(signature.length - 1)).toHaveLength(good.length);
      expect(signer.unsign(changedAt(signature.length - 1))).toBeNull();
    });

    it.each([0, 8, 16, 24, 32, 40])('refuses a signature that differs only at character %i', (index) => {
      expect(signer.unsign(changedAt(index))).toBeNull();
    });

    it('refuses a signature one character longer or shorter', () => {
      expect(signer.unsign(`${good}A`)).toBeNull();
      expect(signer.unsign(good.slice(0, -1))).toBeNull();
    });
  });

  it('needs a secret', () => {
    expect(() => new CookieSigner([])).toThrow('at least one secret');
  });

  it('decodes only a URL-encoded cookie (lower- or upper-case %3A), and never a plain one', () => {
    const signer = new CookieSigner(['k']);
    // A plain cookie is used as it is: its value may hold a literal %-sequence.
    expect(signer.unsign(signer.sign('a%41b'))).toBe('a%41b');
    expect(signer.unsign(signer.sign(id).replace('s:', 's%3a'))).toBe(id);
    expect(signer.unsign(signer.sign(id).replace('s:', 's%3A'))).toBe(id);
  });

  it('needs the s: prefix', () => {
    const signed = new CookieSigner(['k']).sign(id);
    expect(new CookieSigner(['k']).unsign(`x:${signed.slice(2)}`)).toBeNull();
    expect(new CookieSigner(['k']).unsign(signed.slice(2))).toBeNull();
  });

  it('accepts a signed empty value, as express-session does', () => {
    expect(new CookieSigner(['k']).unsign(expressSign('', 'k'))).toBe('');
  });
});
