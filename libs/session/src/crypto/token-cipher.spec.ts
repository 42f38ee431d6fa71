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

  it('draws a 12-byte IV per token: 200 sealings of the same plaintext share no IV and no ciphertext', () => {
    const cipher = new TokenCipher([NEW]);
    const sealed = Array.from({ length: 200 }, () => cipher.encrypt(TOKEN).split('.'));
    const ivs = sealed.map((parts) => parts[2]!);
    expect(new Set(ivs).size).toBe(200);
    expect(new Set(sealed.map((parts) => parts[4]!)).size).toBe(200);
    for (const iv of ivs) expect(Buffer.from(iv, 'base64url')).toHaveLength(12);
    for (const parts of sealed) expect(cipher.decrypt(parts.join('.'))).toBe(TOKEN);
  });

  it('refuses a token whose IV was swapped for another token’s', () => {
    const cipher = new TokenCipher([NEW]);
    const a = cipher.encrypt(TOKEN).split('.');
    const b = cipher.encrypt(TOKEN).split('.');
    expect(cipher.decrypt([a[0], a[1], b[2], a[3], a[4]].join('.'))).toBeNull();
  });

  it('needs a key, and names each key by its own fingerprint', () => {
    expect(() => new TokenCipher([])).toThrow('at least one key');
    const idOf = (secret: string) => new TokenCipher([secret]).encrypt('x').split('.')[1];
    expect(idOf(OLD)).not.toBe(idOf(NEW));
    expect(idOf(OLD)).toBe(idOf(OLD));
    expect(idOf(OLD)).toHaveLength(8);
  });

  it.each([
    ['an empty key id', (p: string[]) => [p[0], '', p[2], p[3], p[4]]],
    ['an empty IV', (p: string[]) => [p[0], p[1], '', p[3], p[4]]],
    ['an empty tag', (p: string[]) => [p[0], p[1], p[2], '', p[4]]],
    ['no body', (p: string[]) => p.slice(0, 4)],
    ['an unknown key id', (p: string[]) => [p[0], 'AAAAAAAA', p[2], p[3], p[4]]],
  ])('refuses a sealed value with %s', (_, edit) => {
    const cipher = new TokenCipher([NEW]);
    expect(cipher.decrypt(edit(cipher.encrypt(TOKEN).split('.')).join('.'))).toBeNull();
  });

  it('round-trips an empty plaintext (the body part is empty then)', () => {
    const cipher = new TokenCipher([NEW]);
    expect(cipher.decrypt(cipher.encrypt(''))).toBe('');
  });
});
