import type { SigningKeyRecord } from '../domain/types.js';
import { isSealed, seal, unseal } from '../lib/seal.js';
import type { KeysStore } from '../store/types.js';
import { KeyRingError } from './errors.js';

// Private signing keys at rest: sealed with KEY_ENCRYPTION_KEY (AES-256-GCM, bound to the kid) when it is set.

/** Additional data binding a sealed private key to its row. */
export const privateKeyContext = (kid: string): string => `tessera signing key ${kid}`;

export const sealPrivateJwk = (keyEncryptionKey: Uint8Array, kid: string, json: string): string => seal(keyEncryptionKey, json, privateKeyContext(kid));

/** The private JWK as JSON; throws a KeyRingError an operator can act on when it cannot be opened. */
export function openPrivateJwk(record: SigningKeyRecord, keyEncryptionKey: Uint8Array | null): string {
  if (!isSealed(record.privateJwk)) return record.privateJwk;
  if (!keyEncryptionKey) {
    throw new KeyRingError(
      'key_encryption_key_missing',
      `the signing keys in the store are encrypted (key ${record.kid}): set KEY_ENCRYPTION_KEY to the key they were encrypted with`,
    );
  }
  const json = unseal(keyEncryptionKey, record.privateJwk, privateKeyContext(record.kid));
  if (json === null) {
    throw new KeyRingError(
      'key_encryption_key_wrong',
      `KEY_ENCRYPTION_KEY does not decrypt signing key ${record.kid}: it is not the key the signing keys were encrypted with`,
    );
  }
  return json;
}

/** Throws unless every sealed key opens with this key, so no instance adds keys the others cannot read. */
export function assertKeysOpen(records: readonly SigningKeyRecord[], keyEncryptionKey: Uint8Array | null): void {
  for (const record of records) openPrivateJwk(record, keyEncryptionKey);
}

export const unencryptedKids = (records: readonly SigningKeyRecord[]): string[] => records.filter((r) => !isSealed(r.privateJwk)).map((r) => r.kid);

/**
 * Seals every private key still stored in clear. Checks first that the already sealed ones open
 * with the same key, so a wrong KEY_ENCRYPTION_KEY changes nothing.
 */
export async function encryptStoredKeys(store: KeysStore, keyEncryptionKey: Uint8Array | null): Promise<{ encrypted: string[]; alreadyEncrypted: string[] }> {
  if (!keyEncryptionKey)
    throw new KeyRingError('key_encryption_key_missing', 'KEY_ENCRYPTION_KEY is not set: it is the key the private signing keys are encrypted with');
  const records = await store.listSigningKeys();
  assertKeysOpen(records, keyEncryptionKey);
  const encrypted: string[] = [];
  for (const record of records) {
    if (isSealed(record.privateJwk)) continue;
    await store.updateSigningKeyPrivate(record.kid, sealPrivateJwk(keyEncryptionKey, record.kid, record.privateJwk));
    encrypted.push(record.kid);
  }
  return { encrypted, alreadyEncrypted: records.map((r) => r.kid).filter((kid) => !encrypted.includes(kid)) };
}
