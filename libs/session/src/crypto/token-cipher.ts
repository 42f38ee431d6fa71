import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;

interface CipherKey {
  id: string;
  key: Buffer;
}

/**
 * Encrypts provider tokens before they are stored (AES-256-GCM). Keys form a rotation list:
 * the last one encrypts, every one decrypts, and each ciphertext names its key by a short
 * fingerprint. A key is a secret string of 32+ characters, stretched to 256 bits by SHA-256.
 *
 * Format: `v1.<key id>.<iv>.<auth tag>.<ciphertext>`, base64url parts.
 */
export class TokenCipher {
  private readonly keys: CipherKey[];

  constructor(secrets: readonly string[]) {
    if (secrets.length === 0) throw new Error('TokenCipher needs at least one key');
    this.keys = secrets.map((secret) => {
      const key = createHash('sha256').update(secret).digest();
      return { id: createHash('sha256').update(key).digest('base64url').slice(0, 8), key };
    });
  }

  encrypt(plaintext: string): string {
    const { id, key } = this.keys[this.keys.length - 1]!;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  /** Null for anything not produced by one of the keys (unknown key, tampered, malformed). */
  decrypt(sealed: string): string | null {
    const [version, id, iv, tag, body, ...rest] = sealed.split('.');
    if (version !== VERSION || !id || !iv || !tag || body === undefined || rest.length) return null;
    const entry = this.keys.find((k) => k.id === id);
    if (!entry) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', entry.key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}
