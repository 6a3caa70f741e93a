import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM sealing. A sealed value reads `v1.<iv>.<ciphertext>.<tag>` (base64url parts);
 * `context` is bound as additional data, so a value moved to another row does not open.
 */
export function seal(key: Uint8Array, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, body, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

/** Opens a sealed value, or returns null when the key, the context or the bytes are wrong. */
export function unseal(key: Uint8Array, sealed: string, context: string): string | null {
  const [version, iv, body, tag] = sealed.split('.');
  if (version !== 'v1' || iv === undefined || body === undefined || tag === undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
      .setAAD(Buffer.from(context, 'utf8'))
      .setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

export const isSealed = (value: string): boolean => value.startsWith('v1.');

/** A 256-bit key derived from a secret the caller holds (HKDF-SHA256). */
export function deriveKey(secret: string, purpose: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), purpose, 32));
}

/** Marks a secret kept in clear, so one that happens to start like a sealed value is never taken for one. */
const clearPrefix = 'clear.';

/** A secret as stored: sealed with `key` (KEY_ENCRYPTION_KEY) when there is one, else marked as clear. */
export const storeSecret = (key: Uint8Array | null, secret: string, context: string): string => (key ? seal(key, secret, context) : `${clearPrefix}${secret}`);

/** Opens what storeSecret wrote; null when it was sealed under another key, or there is none now. */
export function openStoredSecret(key: Uint8Array | null, stored: string, context: string): string | null {
  if (stored.startsWith(clearPrefix)) return stored.slice(clearPrefix.length);
  return isSealed(stored) && key ? unseal(key, stored, context) : null;
}
