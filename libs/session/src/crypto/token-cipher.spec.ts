import { TokenCipher } from './token-cipher.js';

const OLD = 'old-token-encryption-key-0123456789abcdef';
const NEW = 'new-token-encryption-key-0123456789abcdef';
const TOKEN = JSON.stringify({ accessToken: 'at-secret-value', refreshToken: 'rt-secret-value', expiresAt: 1_800_000_000_000 });

describe('TokenCipher', () => {
  it('round-trips, and never leaves the plaintext readable', () => {
    const cipher = new TokenCipher([NEW]);
    const sealed = cipher.encrypt(TOKEN);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('secret');
    expect(cipher.decrypt(sealed)).toBe(TOKEN);
  });

  it('uses a fresh IV each time', () => {
    const cipher = new TokenCipher([NEW]);
    expect(cipher.encrypt(TOKEN)).not.toBe(cipher.encrypt(TOKEN));
  });

  it('encrypts with the last key and decrypts with any key of the list', () => {
    const before = new TokenCipher([OLD]).encrypt(TOKEN);
    const rotated = new TokenCipher([OLD, NEW]);
    expect(rotated.decrypt(before)).toBe(TOKEN);
    expect(new TokenCipher([NEW]).decrypt(rotated.encrypt(TOKEN))).toBe(TOKEN);
    expect(new TokenCipher([NEW]).decrypt(before)).toBeNull();
  });

  it('refuses tampered or malformed values', () => {
    const cipher = new TokenCipher([NEW]);
    const sealed = cipher.encrypt(TOKEN);
    const parts = sealed.split('.');
    const flipped = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    expect(cipher.decrypt([...parts.slice(0, 4), flipped(parts[4]!)].join('.'))).toBeNull();
    expect(cipher.decrypt([...parts.slice(0, 3), flipped(parts[3]!), parts[4]].join('.'))).toBeNull();
    expect(cipher.decrypt(sealed.replace(/^v1/, 'v2'))).toBeNull();
    expect(cipher.decrypt('not-a-sealed-token')).toBeNull();
    expect(cipher.decrypt(`${sealed}.extra`)).toBeNull();
  });
});
